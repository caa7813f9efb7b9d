package dev.caravan.sandbox;

import dev.caravan.contract.CompileResult;
import dev.caravan.engine.JobBudget;
import dev.caravan.languages.InstalledLanguage;
import dev.caravan.languages.LanguageDefinition;

/** Runs a language's compile command in the job's slot like any program, with the compile limits. */
final class CommandCompiler implements ProgramCompiler {

    private static final byte[] NO_INPUT = new byte[0];

    private final EngineSettings.CompileLimits limits;

    CommandCompiler(EngineSettings.CompileLimits limits) {
        this.limits = limits;
    }

    @Override
    public CompileResult compile(InstalledLanguage language, JobDirectory dir, JobBudget budget, ProgramRunner slotRunner) {
        LanguageDefinition definition = language.definition();
        RunObservation run = slotRunner.run(new RunRequest(
                CommandTemplate.expand(definition.compile().command(), limits.memoryMb()),
                dir.path(), NO_INPUT, limits.cpuTimeMs(), budget.cut(limits.wallTimeMs()),
                limits.memoryMb() * 1024L * 1024L, limits.outputKb() * 1024L, limits.maxProcesses(),
                definition.memory().addressSpaceLimit(), definition.readOnlyBinds(), dir.user()));
        boolean outOfMemory = !run.exitedCleanly() && definition.memory().reportsOutOfMemory(run.stderr().text());
        return CompileVerdict.of(run, limits, outOfMemory);
    }
}
