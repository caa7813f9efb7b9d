package dev.caravan.compat.judge0;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.caravan.contract.CompileResult;
import dev.caravan.contract.ExecuteResult;
import dev.caravan.contract.JobState;
import dev.caravan.contract.Status;
import dev.caravan.contract.TestResult;
import dev.caravan.ingress.ApiException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class Judge0SubmissionMapperTest {

    private static final Instant CREATED = Instant.parse("2026-11-29T10:00:00Z");
    private final Judge0SubmissionMapper mapper = new Judge0SubmissionMapper(Judge0RequestMapperTest.LANGUAGES);

    private static Judge0Submission done(Status verdict, TestResult run, CompileResult compile) {
        return new Judge0Submission("tok", JobState.DONE, "python",
                new ExecuteResult("tok", verdict, "python", compile, run == null ? List.of() : List.of(run)),
                CREATED, CREATED.plusSeconds(1), null);
    }

    @Test
    void defaultFieldsInJudge0sOrderWithTimeInSecondsAndMemoryInKb() {
        TestResult run = new TestResult(Status.RUNTIME_ERROR, "out", "err", null, "SIGSEGV", 12, 1500, 3072);
        Map<String, Object> shown = mapper.map(done(Status.RUNTIME_ERROR, run, null),
                Judge0SubmissionMapper.requestedFields(null), false);
        assertEquals(List.of("token", "time", "memory", "stdout", "stderr", "compile_output", "message", "status"),
                List.copyOf(shown.keySet()));
        assertEquals("0.012", shown.get("time"));
        assertEquals(3072L, shown.get("memory"));
        assertEquals(Map.of("id", 7, "description", "Runtime Error (SIGSEGV)"), shown.get("status"));
        assertEquals("Caught fatal signal 11", shown.get("message"));
    }

    @Test
    void starShowsEveryFieldAndBase64EncodesTheTextOnes() {
        TestResult run = new TestResult(Status.RUNTIME_ERROR, "hi\n", "", 3, null, 5, 9, 100);
        Map<String, Object> shown = mapper.map(done(Status.RUNTIME_ERROR, run, CompileResult.ok("warning", 4)),
                Judge0SubmissionMapper.requestedFields("*"), true);
        assertEquals(Judge0SubmissionMapper.ALL_FIELDS, List.copyOf(shown.keySet()));
        assertEquals("aGkK", shown.get("stdout"));
        assertEquals("", shown.get("stderr"));
        assertEquals("d2FybmluZw==", shown.get("compile_output"));
        assertEquals(11, shown.get("status_id"));
        assertEquals(3, shown.get("exit_code"));
        assertEquals("0.009", shown.get("wall_time"));
        assertEquals(71, shown.get("language_id"));
        assertEquals(Map.of("id", 71, "name", "Python (3.11.2)"), shown.get("language"));
        assertEquals("2026-11-29T10:00:00.000Z", shown.get("created_at"));
        assertNull(shown.get("source_code"));
    }

    @Test
    void aFailedCompileHasItsOutputAndNoRun() {
        Map<String, Object> shown = mapper.map(done(Status.COMPILATION_ERROR, null,
                CompileResult.failed("main.c:1: error", 40)), List.of("status_id", "compile_output", "time"), false);
        assertEquals(Map.of("status_id", 6, "compile_output", "main.c:1: error"),
                Map.of("status_id", shown.get("status_id"), "compile_output", shown.get("compile_output")));
        assertNull(shown.get("time"));
    }

    @Test
    void aQueuedOrSetAsideJobHasAStatusWithoutResult() {
        Map<String, Object> queued = mapper.map(new Judge0Submission("tok", JobState.QUEUED, "python", null, CREATED,
                null, null), List.of("status", "stdout"), false);
        assertEquals(Map.of("id", 1, "description", "In Queue"), queued.get("status"));
        Map<String, Object> dead = mapper.map(new Judge0Submission("tok", JobState.DEAD_LETTERED, "python", null,
                CREATED, CREATED, "worker died"), List.of("status_id", "message"), false);
        assertEquals(13, dead.get("status_id"));
        assertEquals("worker died", dead.get("message"));
    }

    @Test
    void unknownFieldsAre400NamingThem() {
        ApiException refused = assertThrows(ApiException.class,
                () -> Judge0SubmissionMapper.requestedFields("stdout,colour,size"));
        assertEquals(400, refused.httpStatus());
        assertEquals("invalid fields: [colour, size]", refused.getMessage());
    }

    @Test
    void timestampsAlwaysHaveMilliseconds() {
        assertEquals("2026-11-29T10:00:00.000Z", Judge0SubmissionMapper.timestamp(CREATED));
        assertEquals("2026-11-29T10:00:00.120Z", Judge0SubmissionMapper.timestamp(CREATED.plusMillis(120)));
    }

    @Test
    void secondsKeepMilliseconds() {
        assertEquals("0.000", Judge0SubmissionMapper.seconds(0));
        assertEquals("2.500", Judge0SubmissionMapper.seconds(2500));
    }
}
