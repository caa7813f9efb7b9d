package dev.caravan.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caravan.contract.Limits;
import dev.caravan.contract.RunOutcome;
import dev.caravan.contract.Status;
import dev.caravan.contract.TestCase;
import dev.caravan.contract.Verdicts;
import dev.caravan.languages.LanguageCatalog;
import dev.caravan.languages.LanguageDefinition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hosts where no cgroup is writable: memory is held by RLIMIT_AS, processes by RLIMIT_NPROC, and CPU time and peak
 * memory come from the launcher's report of the reaped run.
 */
class WithoutCgroupsTest {

    @TempDir
    static Path temp;

    private static SandboxRunner runner;
    private static Path workRoot;
    private static UidRangeLock uids;
    private static SandboxUser slotUser;
    private static LanguageDefinition python;

    @BeforeAll
    static void runnerWithoutCgroups() throws IOException {
        uids = UidRangeLock.acquire(SharedEngine.SETTINGS.uidBase(), -1);
        EngineSettings settings = SharedEngine.SETTINGS.withWorkerIndex(uids.index());
        slotUser = settings.slotUser(0);
        // JUnit's 0700 directory would keep the sandbox uid from reaching its job directory
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwx--x--x"));
        workRoot = JobDirectory.createRoot(temp);
        Path launcher = NativeLauncher.build(workRoot.resolve("launcher")).orElseThrow();
        Path reports = JobDirectory.createPrivate(workRoot.resolve("reports"));
        runner = new SandboxRunner(new SandboxLauncher(settings, launcher, SeccompFilter.write(reports.resolve("seccomp.bpf"))),
                new NoCgroupSupport("test"), reports);
        python = LanguageCatalog.load(settings.languagesFile()).find("python").orElseThrow().definition();
    }

    @AfterAll
    static void stop() {
        runner.shutdown();
        uids.close();
    }

    @Test
    void cpuTimeAndPeakMemoryComeFromTheLaunchersReport() {
        RunOutcome outcome = run("block = bytearray(48 * 2 ** 20)\ntotal = 0\nfor i in range(2 * 10 ** 6):\n    total += i\nprint(len(block))\n",
                new Limits(5000, 10_000, 256, 64));
        assertEquals(0, outcome.exitCode(), outcome::toString);
        assertTrue(outcome.memoryKb() >= 48 * 1024 && outcome.memoryKb() < 96 * 1024, outcome::toString);
        assertTrue(outcome.cpuTimeMs() >= 50 && outcome.cpuTimeMs() <= outcome.wallTimeMs() + 20, outcome::toString);
    }

    @Test
    void addressSpaceLimitHoldsMemoryAndTheRuntimeReportsIt() {
        TestCase test = new TestCase("", null);
        RunOutcome outcome = run(SharedEngine.source("hostile/memory_bomb.py"), new Limits(5000, 10_000, 64, 64));
        assertEquals(Status.MEMORY_LIMIT_EXCEEDED, Verdicts.judge(test, outcome), outcome::toString);
    }

    @Test
    void forkBombIsStoppedByTheProcessRlimit() {
        RunOutcome outcome = run(SharedEngine.source("hostile/fork_bomb.py"), new Limits(1000, 2000, 64, 64));
        assertEquals(Status.TIME_LIMIT_EXCEEDED, Verdicts.judge(new TestCase("", null), outcome), outcome::toString);
    }

    /** The start-up warning of a worker without cgroups names which languages keep only their heap flag. */
    @Test
    void startUpLogSaysWhatHoldsEachLanguagesMemory() {
        String line = SandboxedEngine.memoryWithoutCgroup(LanguageCatalog.load(SharedEngine.SETTINGS.languagesFile()));
        assertTrue(line.startsWith("RLIMIT_AS for [python, c, cpp]"), line);
        assertTrue(line.contains("heap flag only for [java, javascript]"), line);
    }

    private static RunOutcome run(String code, Limits limits) {
        try (JobDirectory dir = JobDirectory.create(workRoot, slotUser, slotUser.gid())) {
            dir.write(python.sourceFile(), code);
            RunObservation run = runner.run(TestExecution.request(python, limits, List.of(), limits.wallTimeMs(), new TestCase("", null), dir));
            return TestExecution.outcome(python, limits, run);
        }
    }
}
