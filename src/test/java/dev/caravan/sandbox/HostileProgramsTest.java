package dev.caravan.sandbox;

import static dev.caravan.sandbox.SharedEngine.expect;
import static dev.caravan.sandbox.SharedEngine.input;
import static dev.caravan.sandbox.SharedEngine.source;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caravan.contract.ExecuteResult;
import dev.caravan.contract.Limits;
import dev.caravan.contract.Status;
import dev.caravan.contract.TestResult;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The hostile programs of src/test/resources/hostile, each with the exact verdict it must get. Contained means: the
 * job gets that verdict, the worker stays up, and the next job on the same engine is unaffected — checked after
 * every test.
 */
class HostileProgramsTest {

    private static final Limits SHORT = new Limits(1000, 2000, 64, 64);
    private static final Limits ROOMY = new Limits(8000, 10_000, 64, 64);

    @AfterEach
    void nextJobIsUnaffected() {
        ExecuteResult next = SharedEngine.run("python", "print(int(input()) + 1)", expect("41\n", "42\n"));
        assertEquals(Status.ACCEPTED, next.status(), () -> "job after the hostile one: " + next);
        // run cgroups are reused: nothing of the previous program may count as this one's memory
        assertTrue(next.tests().get(0).memoryKb() < 32 * 1024, () -> "job after the hostile one: " + next);
    }

    @ParameterizedTest
    @CsvSource({"c, fork_bomb.c", "python, fork_bomb.py"})
    void forkBombIsStoppedAtTheProcessLimitAndTimedOut(String language, String file) {
        TestResult result = single(language, file, SHORT, input(""));
        assertEquals(Status.TIME_LIMIT_EXCEEDED, result.status(), result::toString);
    }

    @ParameterizedTest
    @CsvSource({"c, memory_bomb.c", "cpp, memory_bomb.cpp", "python, memory_bomb.py", "java, MemoryBomb.java",
        "javascript, memory_bomb.js"})
    void memoryBombIsMemoryLimitExceededInEveryLanguage(String language, String file) {
        TestResult result = single(language, file, new Limits(8000, 10_000, 64, 64), input(""));
        assertEquals(Status.MEMORY_LIMIT_EXCEEDED, result.status(), result::toString);
    }

    @Test
    void allocationTheRuntimeRefusesIsMemoryLimitExceededToo() {
        TestResult result = single("python", "huge_allocation.py", ROOMY, input(""));
        assertEquals(Status.MEMORY_LIMIT_EXCEEDED, result.status(), result::toString);
        assertTrue(result.stderr().contains("MemoryError"), result::stderr);
        assertEquals(1, result.exitCode());
    }

    @Test
    void memoryFigureCountsWhatTheProgramWroteToTmpfs() {
        TestResult result = single("python", "fill_tmpfs.py", new Limits(8000, 10_000, 32, 64), input(""));
        assertEquals(Status.MEMORY_LIMIT_EXCEEDED, result.status(), result::toString);
        assertTrue(result.memoryKb() >= 24 * 1024, result::toString);
    }

    /** Test 1 leaves a 40 MB file in the job folder (a tmpfs, charged to its cgroup); test 2 uses 30 MB of its own. */
    @Test
    void memoryFigureIsNotLoweredByWhatAnEarlierTestLeftCharged() {
        String code = "if input() == 'write':\n    with open('scratch', 'wb') as out:\n        for _ in range(40):\n"
                + "            out.write(b'x' * (1 << 20))\nelse:\n    held = b'y' * (30 << 20)\n    print(len(held) >> 20)\n";
        ExecuteResult result = SharedEngine.run("python", code, new Limits(8000, 10_000, 64, 64), input("write\n"),
                expect("allocate\n", "30\n"));
        assertEquals(Status.OK, result.tests().get(0).status(), result::toString);
        assertEquals(Status.ACCEPTED, result.tests().get(1).status(), result::toString);
        assertTrue(result.tests().get(1).memoryKb() >= 30 * 1024, result::toString);
    }

    @Test
    void infiniteLoopIsTimeLimitExceeded() {
        // a wall clock far beyond the CPU limit, so that the CPU limit stops it even on a loaded machine
        TestResult result = single("c", "infinite_loop.c", new Limits(1000, 60_000, 64, 64), input(""));
        assertEquals(Status.TIME_LIMIT_EXCEEDED, result.status(), result::toString);
        // the kernel's RLIMIT_CPU is a backstop above the limit: what it stops has used more than the limit, measured
        assertTrue(result.cpuTimeMs() > 1000, () -> "CPU time " + result.cpuTimeMs());
        assertEquals("SIGXCPU", result.signal(), result::toString);
    }

    @Test
    void sleepingForeverIsStoppedByTheWallClock() {
        TestResult result = single("python", "sleep_forever.py", SHORT, input(""));
        assertEquals(Status.TIME_LIMIT_EXCEEDED, result.status(), result::toString);
        assertEquals("SIGKILL", result.signal());
        assertTrue(result.wallTimeMs() >= 2000 && result.wallTimeMs() < 4000, () -> "wall time " + result.wallTimeMs());
        assertTrue(result.cpuTimeMs() < 500, () -> "CPU time " + result.cpuTimeMs());
    }

    @Test
    void infiniteOutputIsCutAtTheCapAndKilled() {
        TestResult result = single("c", "infinite_output.c", SHORT, input(""));
        assertEquals(Status.OUTPUT_LIMIT_EXCEEDED, result.status(), result::toString);
        assertEquals(64 * 1024, result.stdout().length());
        assertTrue(result.stdout().startsWith("spam spam"));
    }

    @Test
    void hugeFileIsStoppedByTheFileSizeLimit() {
        // the job folder is a tmpfs whose pages count as the program's memory: give it more memory than the 64 MB file cap
        TestResult result = single("c", "huge_file.c", new Limits(8000, 10_000, 256, 64), input(""));
        assertEquals(Status.RUNTIME_ERROR, result.status(), result::toString);
        assertEquals("SIGXFSZ", result.signal());
    }

    @Test
    void noConnectionLeavesTheSandbox() throws IOException {
        try (ServerSocket worker = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            TestResult result = single("python", "network.py", ROOMY, input(worker.getLocalPort() + "\n"));
            assertEquals("broker blocked\nworker blocked\noutside blocked\n", result.stdout(), result::toString);
            assertEquals(Status.OK, result.status());
        }
    }

    @Test
    void neitherEnvironmentNorConfigurationIsVisible() throws IOException {
        Path canary = Files.createTempFile("caravan-canary-", ".properties");
        try {
            Files.writeString(canary, "rabbitmq.password=hunter2\n");
            TestResult result = single("python", "secrets.py", ROOMY, input(canary.getFileName() + "\n"));
            // pid 1 is the slot's supervisor, root's, which /proc (hidepid=2) does not even show
            assertEquals("env: HOME,LANG,PATH\npid1 env: unreadable\nfound: nothing\n", result.stdout(), result::toString);
        } finally {
            Files.delete(canary);
        }
    }

    @Test
    void nothingOutsideTheJobDirectoryIsWritable() {
        TestResult result = single("python", "write_outside.py", ROOMY, input(""));
        assertEquals("written outside: nowhere\n", result.stdout(), result::toString);
        assertFalse(Files.exists(Path.of("/x")) || Files.exists(Path.of("/usr/x")) || Files.exists(Path.of("/etc/x")));
    }

    @Test
    void killingEverythingReachesNothingOutsideTheSandbox() throws IOException {
        // a process of another unprivileged user outside the sandbox, as a neighbour slot's is: kill(-1) must not reach it
        Process bystander = new ProcessBuilder("/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                "/usr/bin/sleep", "60").start();
        try {
            TestResult result = single("python", "kill_everything.py", ROOMY, input(""));
            assertEquals(Status.OK, result.status(), result::toString);
            assertEquals("still here\n", result.stdout());
            assertTrue(bystander.isAlive(), "a process outside the sandbox was killed");
        } finally {
            bystander.destroyForcibly();
        }
    }

    /** Keyrings, io_uring, new namespaces, ptrace, perf, bpf, userfaultfd, mounts, clocks, modules: EPERM, not a kill. */
    @Test
    void callsTheSyscallFilterDeniesFailWithEpermAndOrdinaryOnesWork() {
        TestResult result = single("python", "denied_syscalls.py", ROOMY, input(""));
        assertEquals(Status.OK, result.status(), result::toString);
        String denied = Stream.of("add_key", "request_key", "keyctl", "io_uring_setup", "unshare", "setns", "clone_newuser",
                        "ptrace", "perf_event_open", "bpf", "userfaultfd", "mount", "pivot_root", "personality_change",
                        "clock_settime", "init_module", "process_vm_readv")
                .map(call -> call + " EPERM\n").collect(Collectors.joining());
        assertEquals(denied + "personality_query ok\nfork ok\n", result.stdout(), result::toString);
    }

    @Test
    void otherProcessesAreInvisible() {
        TestResult result = single("python", "proc_snoop.py", ROOMY, input(""));
        assertEquals("processes: python3\n", result.stdout(), result::toString);
    }

    @Test
    void symlinksOutLeadNowhereAndCleanupDoesNotFollowThem() throws IOException {
        Path canary = Files.createTempFile("caravan-canary-", ".txt");
        try {
            TestResult result = single("python", "symlink_out.py", ROOMY, input(canary + "\n"));
            assertEquals("read through links: nothing\n", result.stdout(), result::toString);
            assertTrue(Files.exists(canary), "removing the job directory followed a link out of it");
        } finally {
            Files.deleteIfExists(canary);
        }
    }

    @ParameterizedTest
    @CsvSource({"cpp, template_bomb.cpp", "c, dev_random.c"})
    void compileBombIsACompilationErrorNamingTheLimit(String language, String file) {
        ExecuteResult result = SharedEngine.run(language, source("hostile/" + file), SHORT, input(""));
        assertEquals(Status.COMPILATION_ERROR, result.status(), result::toString);
        assertTrue(result.compile().output().matches("(?s)^compile (time|memory) limit exceeded.*"),
                () -> "compile output: " + result.compile().output());
        assertTrue(result.tests().isEmpty());
    }

    @Test
    void javaNestedTooDeeplyForJavacIsACompilationErrorAndTheWarmCompilerSurvives() {
        String deep = "(".repeat(20_000) + "1" + ")".repeat(20_000);
        ExecuteResult result = SharedEngine.run("java",
                "public class Main { public static void main(String[] a) { System.out.println(" + deep + "); } }", input(""));
        assertEquals(Status.COMPILATION_ERROR, result.status(), result::toString);
        // javac catches its own StackOverflowError and reports it as a compiler crash (a long one: over the output cap)
        assertTrue(result.compile().output().contains("java.lang.StackOverflowError"), result.compile()::output);
        ExecuteResult next = SharedEngine.run("java", "public class Main { public static void main(String[] a) { System.out.println(7); } }",
                expect("", "7\n"));
        assertEquals(Status.ACCEPTED, next.status(), next::toString);
        assertTrue(next.compile().timeMs() < 2000, () -> "the warm javac had to restart: " + next.compile());
    }

    @Test
    void thousandsOfJavaThreadsHitTheProcessLimit() {
        TestResult result = single("java", "Threads.java", ROOMY, input(""));
        assertEquals(Status.RUNTIME_ERROR, result.status(), result::toString);
        assertTrue(result.stderr().contains("unable to create native thread"), result::stderr);
    }

    @Test
    void invalidUtf8IsReplacedNotFatal() {
        TestResult result = single("c", "invalid_utf8.c", ROOMY, input(""));
        assertEquals(Status.OK, result.status(), result::toString);
        assertEquals("\uFFFD\uFFFDabc\uFFFD", result.stdout());
    }

    @Test
    void oneMebibyteOfStdinComesBackWhole() {
        StringBuilder text = new StringBuilder(1 << 20);
        for (int line = 0; text.length() < (1 << 20) - 64; line++) {
            text.append("line ").append(line).append(" of the mebibyte\n");
        }
        String input = text.toString();
        TestResult result = single("c", "echo_stdin.c", new Limits(5000, 10_000, 64, 2048), expect(input, input));
        assertEquals(Status.ACCEPTED, result.status(), () -> result.status() + " " + result.stderr());
        assertEquals(input.length(), result.stdout().length());
    }

    @Test
    void parallelJobsCannotSeeEachOther() {
        List<CompletableFuture<TestResult>> jobs = List.of("a", "b", "c").stream()
                .map(name -> CompletableFuture.supplyAsync(() -> single("python", "neighbours.py", ROOMY, input(name + "\n"))))
                .toList();
        List<TestResult> results = jobs.stream().map(job -> job.orTimeout(60, TimeUnit.SECONDS).join()).toList();
        assertEquals("markers: marker-a\n", results.get(0).stdout(), results.get(0)::toString);
        assertEquals("markers: marker-b\n", results.get(1).stdout(), results.get(1)::toString);
        assertEquals("markers: marker-c\n", results.get(2).stdout(), results.get(2)::toString);
    }

    private static TestResult single(String language, String file, Limits limits, dev.caravan.contract.TestCase test) {
        ExecuteResult result = SharedEngine.run(language, source("hostile/" + file), limits, test);
        assertTrue(result.compile() == null || !result.compile().failed(), () -> "compile failed: " + result.compile());
        assertEquals(1, result.tests().size(), result::toString);
        return result.tests().get(0);
    }
}
