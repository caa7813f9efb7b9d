package dev.caravan.sandbox;

import dev.caravan.contract.Limits;
import dev.caravan.contract.RunOutcome;
import dev.caravan.contract.TestCase;
import dev.caravan.languages.LanguageDefinition;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One test of a job: the run request built from the language and the job's limits, and the observation turned into
 * the {@link RunOutcome} the contract's verdict rules judge. "Over the memory limit" is decided here the same way
 * for every language: the kernel killed it in its cgroup, or the runtime reported running out of memory.
 */
final class TestExecution {

    private TestExecution() {
    }

    /**
     * @param args       the job's command-line arguments, after the language's run command
     * @param wallTimeMs the test's wall-time limit: the job's, or less when the job's budget has less left
     */
    static RunRequest request(LanguageDefinition language, Limits limits, List<String> args, long wallTimeMs, TestCase test,
                              JobDirectory dir) {
        long memoryMb = limits.memoryMb();
        long cgroupMb = memoryMb + language.memory().runtimeOverheadMb();
        List<String> command = new ArrayList<>(CommandTemplate.expand(language.run(), memoryMb));
        command.addAll(args);
        return new RunRequest(command, dir.path(),
                test.input().getBytes(StandardCharsets.UTF_8), limits.cpuTimeMs(), wallTimeMs,
                cgroupMb * 1024 * 1024, limits.outputBytes(), language.maxProcesses(),
                language.memory().addressSpaceLimit(), language.readOnlyBinds(), dir.user());
    }

    static RunOutcome outcome(LanguageDefinition language, Limits limits, RunObservation run) {
        String stderr = run.stderr().text();
        boolean outOfMemory = run.oomKilled()
                || (!run.exitedCleanly() && language.memory().reportsOutOfMemory(stderr));
        boolean overTime = run.wallKilled() || run.cpuExceeded(limits.cpuTimeMs());
        return new RunOutcome(run.stdout().text(), stderr, run.exitCode(), run.signal(), run.cpuTimeMs(),
                run.wallTimeMs(), run.peakMemoryKb(), overTime, outOfMemory, run.outputExceeded());
    }
}
