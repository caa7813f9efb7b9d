package dev.caravan.sandbox;

import dev.caravan.config.InvalidSettingException;
import static dev.caravan.sandbox.SharedEngine.expect;
import static dev.caravan.sandbox.SharedEngine.input;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caravan.contract.ExecuteResult;
import dev.caravan.contract.Job;
import dev.caravan.contract.Limits;
import dev.caravan.contract.Status;
import dev.caravan.contract.TestCase;
import dev.caravan.engine.EngineFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start-up checks, clean-up, the compile limits and the configuration switches of the engine. */
class EngineLifecycleTest {

    @TempDir
    Path temp;

    @Test
    void jobDirectoriesAreEmptiedWhateverTheOutcome() throws IOException {
        SharedEngine.run("python", "print(1)", input(""));
        SharedEngine.run("c", "int main(void) { return nope; }", input(""));
        SharedEngine.run("c", "int main(void) { for (;;); }", new Limits(500, 1000, 64, 64), input(""));
        SharedEngine.run("python", "open('left-behind', 'w').write('x' * 100000)\nimport os\nos.mkdir('d')\nos.chmod('d', 0)\n", input(""));
        Path workRoot = SharedEngine.get().workRoot();
        try (Stream<Path> left = Files.list(workRoot)) {
            assertEquals(List.of("javac-server", "launcher", "reports"), left.map(p -> p.getFileName().toString())
                    .filter(name -> !name.startsWith("slot-")).sorted().toList());
        }
        for (int slot = 0; slot < SharedEngine.get().slotCount(); slot++) {
            Path jobDir = workRoot.resolve("slot-" + slot);
            // a slot is reset after its job's result is returned
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                try (Stream<Path> left = Files.list(jobDir)) {
                    assertEquals(List.of(), left.toList(), "slot " + jobDir + " kept files of a job");
                }
            });
        }
        assertTrue(Files.isExecutable(SharedEngine.get().workRoot().resolve("launcher/caravan-launch")),
                "the native launcher was built (else every run silently takes the sh + setpriv fallback)");
        assertTrue(Files.isExecutable(SharedEngine.get().workRoot().resolve("launcher/caravan-supervisor")),
                "the slot supervisor was built (else every run silently makes a sandbox of its own)");
    }

    @Test
    void compilerOutputOverItsCapIsACompilationErrorSayingSo() {
        StringBuilder code = new StringBuilder("int main(void) {\n");
        for (int i = 0; i < 3000; i++) {
            code.append("  undefined_name_number_").append(i).append(" = 1;\n");
        }
        ExecuteResult result = SharedEngine.run("c", code.append("}\n").toString(), input(""));
        assertEquals(Status.COMPILATION_ERROR, result.status());
        assertTrue(result.compile().output().startsWith("compile output limit exceeded (64 KB)"),
                () -> result.compile().output().substring(0, 200));
    }

    @Test
    void unknownLanguageIsAFaultOfTheWorkerNotAVerdict() {
        Job job = new Job("j1", "cobol", "DISPLAY 'HI'.", List.of(input("")), SharedEngine.LIMITS);
        assertThrows(EngineFailure.class, () -> SharedEngine.get().execute(job, SharedEngine.noHurry()));
    }

    @Test
    void missingLanguagesFileStopsStartUpNamingTheKey() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> SandboxedEngine.create(SharedEngine.settings("caravan.languages.file", temp.resolve("absent.yaml").toString())));
        assertTrue(e.getMessage().contains("caravan.languages.file"), e::getMessage);
    }

    @Test
    void languageWhoseRuntimeIsMissingStopsStartUpNamingIt() throws IOException {
        String message = startUpFailure("""
                languages:
                  - id: cobol
                    name: COBOL
                    source_file: main.cob
                    run: [/usr/bin/cobc-not-installed, main.cob]
                    version: {command: [/usr/bin/cobc-not-installed, --version], pattern: '(\\S+)'}
                """);
        assertTrue(message.contains("'cobol'"), message);
    }

    @Test
    void misspeltLanguageFieldStopsStartUp() throws IOException {
        String message = startUpFailure("""
                languages:
                  - id: python
                    name: Python
                    source_file: main.py
                    run_command: [/usr/bin/python3, main.py]
                """);
        assertTrue(message.contains("run_command"), message);
    }

    private String startUpFailure(String languagesYaml) throws IOException {
        Path file = temp.resolve("languages.yaml");
        Files.writeString(file, languagesYaml);
        return assertThrows(IllegalStateException.class,
                () -> SandboxedEngine.create(SharedEngine.settings("caravan.languages.file", file.toString()))).getMessage();
    }

    @Test
    void sandboxThatCannotRunStopsStartUp() {
        // JUnit's temporary directory is 0700 root: the sandbox uid cannot reach a job directory inside it
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> SandboxedEngine.create(SharedEngine.settings("caravan.sandbox.work-dir", temp.toString())));
        assertTrue(e.getMessage().startsWith("sandbox unavailable"), e::getMessage);
        try (Stream<Path> left = Files.list(temp)) {
            assertEquals(0, left.count(), "a failed start-up leaves nothing behind");
        } catch (IOException io) {
            throw new AssertionError(io);
        }
    }

    @Test
    void sandboxThatFailsForOneRunIsAFaultOfTheWorkerNotARuntimeError() throws IOException {
        Path file = temp.resolve("ghost.yaml");
        Files.writeString(file, """
                languages:
                  - id: ghost
                    name: A runtime that is not installed
                    source_file: main.ghost
                    run: [/usr/bin/ghost-runtime, main.ghost]
                    version: {command: [/usr/bin/python3, --version], pattern: 'Python (\\S+)'}
                """);
        Files.setPosixFilePermissions(temp, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        try (SandboxedEngine engine = SandboxedEngine.create(SharedEngine.settings("caravan.languages.file", file.toString()))) {
            EngineFailure failure = assertThrows(EngineFailure.class,
                    () -> execute(engine, "ghost", "boo", SharedEngine.LIMITS, input("")));
            assertTrue(failure.getMessage().contains("ghost-runtime"), failure::getMessage);
        }
    }

    @Test
    void badSettingIsReportedByItsKey() {
        InvalidSettingException e = assertThrows(InvalidSettingException.class,
                () -> SharedEngine.settings("caravan.compile.memory-mb", "lots"));
        assertTrue(e.getMessage().contains("'caravan.compile.memory-mb'"), e::getMessage);
        InvalidSettingException mode = assertThrows(InvalidSettingException.class,
                () -> SharedEngine.settings("caravan.sandbox", "docker"));
        assertTrue(mode.getMessage().contains("bwrap, none"), mode::getMessage);
    }

    @Test
    void aWorkerWithMoreSlotsThanItsUidRangeIsRefusedNamingTheKey() {
        var refused = org.junit.jupiter.api.Assertions.assertThrows(dev.caravan.config.InvalidSettingException.class,
                () -> SandboxedEngine.create(SharedEngine.settings("caravan.worker.concurrency", "100")).close());
        assertTrue(refused.getMessage().contains("caravan.worker.concurrency"), refused::getMessage);
    }

    @Test
    void javaCompilesWithTheCommandLineJavacWhenTheWarmOneIsOff() {
        try (SandboxedEngine cold = SandboxedEngine.create(SharedEngine.settings("caravan.compile.warm-javac", "false"))) {
            ExecuteResult result = execute(cold, "java",
                    "public class Main { public static void main(String[] a) { System.out.println(\"cold\"); } }",
                    SharedEngine.LIMITS, expect("", "cold\n"));
            assertEquals(Status.ACCEPTED, result.status(), result::toString);
        }
    }

    @Test
    void theShellLauncherContainsJobsAsTheNativeOneDoes() {
        try (SandboxedEngine shell = SandboxedEngine.create(SharedEngine.settings(
                "caravan.sandbox.native-launcher", "false", "caravan.compile.warm-javac", "false"))) {
            assertEchoIsAccepted(shell);
            ExecuteResult bomb = execute(shell, "c", SharedEngine.source("hostile/fork_bomb.c"), new Limits(1000, 2000, 64, 64), input(""));
            assertEquals(Status.TIME_LIMIT_EXCEEDED, bomb.status(), bomb::toString);
            ExecuteResult identity = execute(shell, "python", "import os\nprint(os.getuid(), sorted(os.environ))",
                    SharedEngine.LIMITS, input(""));
            String[] uidAndEnvironment = identity.tests().get(0).stdout().split(" ", 2);
            int uid = Integer.parseInt(uidAndEnvironment[0]);
            assertTrue(uid >= SharedEngine.SETTINGS.uidBase() && uid % EngineSettings.UIDS_PER_WORKER < shell.slotCount(),
                    () -> "ran as uid " + uid + ", not a slot's");
            assertEquals("['HOME', 'LANG', 'PATH', 'PWD']\n", uidAndEnvironment[1]);
            ExecuteResult byPath = execute(shell, "python", "open('/dev/stdout', 'w').write(open('/dev/stdin').read())",
                    SharedEngine.LIMITS, expect("by path\n", "by path\n"));
            assertEquals(Status.ACCEPTED, byPath.status(), byPath::toString);
        }
    }

    @Test
    void withoutTheSandboxJobsStillRunWithTheirLimits() {
        try (SandboxedEngine bare = SandboxedEngine.create(SharedEngine.settings(
                "caravan.sandbox", "none", "caravan.compile.warm-javac", "false"))) {
            assertEchoIsAccepted(bare);
            ExecuteResult bomb = execute(bare, "python", SharedEngine.source("hostile/memory_bomb.py"), new Limits(5000, 10_000, 64, 64), input(""));
            assertEquals(Status.MEMORY_LIMIT_EXCEEDED, bomb.status(), bomb::toString);
        }
    }

    private static void assertEchoIsAccepted(SandboxedEngine engine) {
        ExecuteResult echo = execute(engine, "python", "print(input())", SharedEngine.LIMITS, expect("x\n", "x\n"));
        assertEquals(Status.ACCEPTED, echo.status(), echo::toString);
    }

    private static ExecuteResult execute(SandboxedEngine engine, String language, String code, Limits limits, TestCase test) {
        return engine.execute(new Job(UUID.randomUUID().toString(), language, code, List.of(test), limits), SharedEngine.noHurry());
    }
}
