package dev.caravan.compat.piston;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.caravan.contract.CompileResult;
import dev.caravan.contract.ExecuteResult;
import dev.caravan.contract.Status;
import dev.caravan.contract.TestResult;
import java.util.List;
import org.junit.jupiter.api.Test;

class PistonResultMapperTest {

    private static final PistonRuntime C = new PistonRuntime("c", "12.2.0", List.of("gcc"), "c");
    private static final long OUTPUT_LIMIT = 10;

    private static PistonStage run(Status status, String stdout, String stderr, Integer exitCode, String signal) {
        TestResult test = new TestResult(status, stdout, stderr, exitCode, signal, 12, 34, 2000);
        return PistonResultMapper.map(C, new ExecuteResult("id", status, "c", CompileResult.ok("", 100), List.of(test)),
                OUTPUT_LIMIT).run();
    }

    @Test
    void aCleanRunHasNoStatusAndMemoryInBytes() {
        assertEquals(new PistonStage("out\n", "warn\n", "out\nwarn\n", 0, null, null, null, 12L, 34L, 2048000L),
                run(Status.OK, "out\n", "warn\n", 0, null));
    }

    @Test
    void limitsEndInSigkillWithoutAnExitCode() {
        PistonStage timeout = run(Status.TIME_LIMIT_EXCEEDED, "", "", null, "SIGKILL");
        assertEquals(List.of("TO", "SIGKILL"), List.of(timeout.status(), timeout.signal()));
        assertNull(timeout.code());
        PistonStage stdout = run(Status.OUTPUT_LIMIT_EXCEEDED, "0123456789", "", null, null);
        assertEquals(List.of("OL", "SIGKILL", "stdout length exceeded"), List.of(stdout.status(), stdout.signal(), stdout.message()));
        PistonStage stderr = run(Status.OUTPUT_LIMIT_EXCEEDED, "short", "0123456789", null, null);
        assertEquals(List.of("EL", "SIGKILL"), List.of(stderr.status(), stderr.signal()));
        PistonStage memory = run(Status.MEMORY_LIMIT_EXCEEDED, "", "", null, null);
        assertEquals(List.of("SG", "SIGKILL"), List.of(memory.status(), memory.signal()));
    }

    @Test
    void failuresAreSignalledOrExitedWithTheirStatus() {
        PistonStage segfault = run(Status.RUNTIME_ERROR, "", "", null, "SIGSEGV");
        assertEquals(List.of("SG", "SIGSEGV"), List.of(segfault.status(), segfault.signal()));
        assertNull(segfault.code());
        PistonStage exited = run(Status.RUNTIME_ERROR, "", "", 3, null);
        assertEquals(List.of("RE", "Exited with error status 3"), List.of(exited.status(), exited.message()));
        assertEquals(3, exited.code());
    }

    @Test
    void aFailedCompileIsCopiedIntoRun() {
        PistonResult result = PistonResultMapper.map(C, new ExecuteResult("id", Status.COMPILATION_ERROR, "c",
                CompileResult.failed("main.c:1: error", 80), List.of()), OUTPUT_LIMIT);
        assertEquals(result.compile(), result.run());
        assertEquals(List.of("main.c:1: error", "RE"), List.of(result.run().stderr(), result.run().status()));
        assertEquals(1, result.run().code());
        assertEquals(List.of("c", "12.2.0"), List.of(result.language(), result.version()));
    }
}
