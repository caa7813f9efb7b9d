package dev.caravan.sandbox;

import static dev.caravan.sandbox.SharedEngine.input;
import static dev.caravan.sandbox.SharedEngine.source;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caravan.contract.ExecuteResult;
import dev.caravan.contract.Job;
import dev.caravan.contract.Status;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A compile that breaks one of its limits is a COMPILATION_ERROR whose first line names that limit, decided from the
 * engine's measurements whatever the compiler prints. Each engine here has one limit far below the others, so each
 * bomb can break only the limit under test, however loaded the machine is (a CPU limit of 2 s is reached well within
 * a 120 s wall clock even at a tenth of a core).
 */
class CompileLimitsTest {

    private static final String GENEROUS_MS = "120000";
    private static SandboxedEngine cpuLimited;
    private static SandboxedEngine wallLimited;
    private static SandboxedEngine memoryLimited;

    @BeforeAll
    static void engines() {
        cpuLimited = engine("caravan.compile.cpu-time-ms", "2000", "caravan.compile.wall-time-ms", GENEROUS_MS);
        wallLimited = engine("caravan.compile.cpu-time-ms", GENEROUS_MS, "caravan.compile.wall-time-ms", "2000");
        memoryLimited = engine("caravan.compile.cpu-time-ms", GENEROUS_MS, "caravan.compile.wall-time-ms", GENEROUS_MS,
                "caravan.compile.memory-mb", "64");
    }

    private static SandboxedEngine engine(String... overrides) {
        String[] all = new String[overrides.length + 2];
        System.arraycopy(overrides, 0, all, 0, overrides.length);
        all[overrides.length] = "caravan.compile.warm-javac";
        all[overrides.length + 1] = "false";
        return SandboxedEngine.create(SharedEngine.settings(all));
    }

    @AfterAll
    static void close() {
        for (SandboxedEngine engine : new SandboxedEngine[] {cpuLimited, wallLimited, memoryLimited}) {
            if (engine != null) {
                engine.close();
            }
        }
    }

    private static ExecuteResult compile(SandboxedEngine engine, String language, String file) {
        ExecuteResult result = engine.execute(new Job(UUID.randomUUID().toString(), language, source("hostile/" + file),
                List.of(input("")), SharedEngine.LIMITS), SharedEngine.noHurry());
        assertEquals(Status.COMPILATION_ERROR, result.status(), result::toString);
        assertTrue(result.tests().isEmpty(), result::toString);
        return result;
    }

    /** g++ and gcc survive their compiler proper (cc1plus, cc1) being stopped by RLIMIT_CPU and call it their own bug. */
    @ParameterizedTest
    @CsvSource({"cpp, template_bomb.cpp", "c, include_bomb.c"})
    void cpuTimeBrokenThroughASurvivingDriverIsNamed(String language, String file) {
        String output = compile(cpuLimited, language, file).compile().output();
        assertTrue(output.startsWith("compile time limit exceeded (CPU: "), () -> "compile output: " + output);
        assertTrue(output.contains("limit 2000 ms)"), () -> "compile output: " + output);
    }

    @Test
    void wallTimeIsNamed() {
        String output = compile(wallLimited, "c", "include_bomb.c").compile().output();
        assertTrue(output.startsWith("compile time limit exceeded (wall clock: "), () -> "compile output: " + output);
    }

    @ParameterizedTest
    @CsvSource({"c, macro_memory_bomb.c", "cpp, template_bomb.cpp"})
    void memoryIsNamed(String language, String file) {
        String output = compile(memoryLimited, language, file).compile().output();
        assertTrue(output.startsWith("compile memory limit exceeded (64 MB)"), () -> "compile output: " + output);
    }
}
