package dev.caravan.sandbox;

/**
 * Runs one program in the sandbox and observes it: its capped output, how it ended, its wall and CPU time and peak
 * memory. Verdicts are not its business. A slot's pooled {@link SlotSandbox} is one; the {@link SandboxRunner},
 * which makes a whole new sandbox per run, is the other.
 */
interface ProgramRunner {

    /** @throws dev.caravan.engine.EngineFailure when the sandbox, not the program, failed */
    RunObservation run(RunRequest request);
}
