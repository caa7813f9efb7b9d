package dev.caravan.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Operator-defined tasks end to end: HTTP, the real broker, a worker with four declared GPU slots (this machine has no
 * GPU) and one CPU task slot, the sandbox, the store. Every answer the issue asks for: a result, an invalid param, an
 * unknown type, a missing command, a task over its timeout, and the asynchronous path.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TaskApiIT {

    static final String STAND_IN = """
              - id: stand-in
                command:
                  - /usr/bin/python3
                  - -c
                  - |
                    import os, sys, time
                    print("CUDA_VISIBLE_DEVICES=" + os.environ.get("CUDA_VISIBLE_DEVICES", ""), flush=True)
                    time.sleep(float(sys.argv[1]))
                    open("out/done.txt", "w").write(sys.argv[2])
                    sys.exit(int(sys.argv[3]))
                  - "{seconds}"
                  - "{label}"
                  - "{exit}"
                params:
                  seconds: {type: number, minimum: 0, maximum: 60, default: 0.2}
                  label: {type: string, pattern: "^[a-z0-9-]+$", default: x}
                  exit: {type: integer, enum: [0, 1], default: 0}
                resources: {gpus: 1}
                timeout: 30s
                max_attempts: 2
            """;
    private static final String TYPES = "tasks:\n" + STAND_IN + """
              - id: cpu
                command: [/usr/bin/python3, -c, "import sys; print('hello ' + sys.argv[1])", "{name}"]
                params:
                  name: {type: string}
                resources: {gpus: 0}
                timeout: 30s
              - id: slow
                command: [/usr/bin/sleep, "30"]
                timeout: 1s
              - id: missing
                command: [/opt/not-installed/train, --epochs, "1"]
                timeout: 1m
            """;

    private TestTopology topology;
    private TestDatabase database;
    private CaravanApp app;
    private Path types;

    @BeforeAll
    void start() throws IOException {
        topology = new TestTopology();
        database = TestDatabase.h2();
        types = Files.createTempFile("caravan-tasks-", ".yaml");
        Files.writeString(types, TYPES);
        Map<String, String> settings = new HashMap<>(database.properties());
        settings.put("caravan.worker.concurrency", "1");
        settings.put("caravan.tasks.file", types.toString());
        settings.put("caravan.worker.gpus", "0,1,2,3");
        settings.put("caravan.worker.cpu-tasks", "1");
        app = CaravanApp.start(topology, settings);
    }

    @AfterAll
    void stop() throws IOException {
        app.close();
        topology.close();
        database.close();
        Files.deleteIfExists(types);
    }

    private HttpResponse<String> post(String type, String body) {
        return app.http().postJson("/tasks/" + type, body);
    }

    @Test
    void listsTheTypesWithTheirParams() {
        HttpResponse<String> listed = app.http().get("/tasks");
        assertEquals(200, listed.statusCode(), listed.body());
        JsonNode standIn = Http.json(listed).get(0);
        assertEquals("stand-in", standIn.get("id").asText());
        assertEquals(60, standIn.at("/params/seconds/maximum").asInt());
        assertEquals(1, standIn.at("/resources/gpus").asInt());
    }

    @Test
    void aTaskAnswersItsResultWithTheOutputFolder() {
        HttpResponse<String> answer = post("stand-in", "{\"params\":{\"label\":\"first\"}}");
        assertEquals(200, answer.statusCode(), answer.body());
        JsonNode result = Http.json(answer);
        assertEquals("DONE", result.get("verdict").asText(), answer.body());
        assertEquals(0, result.get("exit_code").asInt());
        int gpu = result.get("gpu").asInt();
        assertTrue(gpu >= 0 && gpu <= 3, answer.body());
        assertEquals("CUDA_VISIBLE_DEVICES=" + gpu + "\n", result.get("stdout").asText());
        assertEquals("done.txt", result.at("/outputs/0/path").asText());
        assertEquals("first", result.at("/outputs/0/content").asText());
        assertTrue(result.get("wall_time_ms").asLong() >= 200, answer.body());

        HttpResponse<String> cpu = post("cpu", "{\"params\":{\"name\":\"a b --c\"}}");
        assertEquals(200, cpu.statusCode(), cpu.body());
        assertEquals("hello a b --c\n", Http.json(cpu).get("stdout").asText());
        assertTrue(Http.json(cpu).get("gpu") == null, cpu.body());
    }

    @Test
    void badRequestsAreAnsweredBeforeTheQueue() {
        HttpResponse<String> invalid = post("stand-in", "{\"params\":{\"seconds\":-1}}");
        assertEquals(400, invalid.statusCode(), invalid.body());
        assertEquals("params.seconds", Http.json(invalid).get("field").asText());
        HttpResponse<String> unknownParam = post("stand-in", "{\"params\":{\"epochs\":3}}");
        assertEquals(400, unknownParam.statusCode(), unknownParam.body());
        assertEquals("params.epochs", Http.json(unknownParam).get("field").asText());
        HttpResponse<String> required = post("cpu", "{}");
        assertEquals(400, required.statusCode(), required.body());
        assertEquals("params.name", Http.json(required).get("field").asText());
        HttpResponse<String> unknown = post("nope", "{}");
        assertEquals(404, unknown.statusCode(), unknown.body());
        assertTrue(Http.json(unknown).get("error").asText().contains("nope"));
    }

    @Test
    void aTaskOverItsTimeoutIsKilledWithTheVerdictTimeout() {
        HttpResponse<String> answer = post("slow", "{}");
        assertEquals(200, answer.statusCode(), answer.body());
        JsonNode result = Http.json(answer);
        assertEquals("TIMEOUT", result.get("verdict").asText(), answer.body());
        assertEquals("SIGKILL", result.get("signal").asText());
        assertTrue(result.get("wall_time_ms").asLong() < 10_000, answer.body());
    }

    @Test
    void aFailedTaskRunsAgainUpToItsAttemptsThenAnswersFailed() {
        HttpResponse<String> answer = post("stand-in", "{\"params\":{\"exit\":1,\"seconds\":0}}");
        assertEquals(200, answer.statusCode(), answer.body());
        assertEquals("FAILED", Http.json(answer).get("verdict").asText(), answer.body());
        assertEquals(1, Http.json(answer).get("exit_code").asInt());
    }

    @Test
    void aCommandMissingOnTheWorkerIsParkedWithAClearError() {
        HttpResponse<String> answer = post("missing", "{}");
        assertEquals(500, answer.statusCode(), answer.body());
        String error = Http.json(answer).get("error").asText();
        assertTrue(error.contains("/opt/not-installed/train") && error.contains("not an executable file on this worker"), error);
    }

    @Test
    void anAsynchronousTaskGetsARecordThatEndsWithItsResult() {
        HttpResponse<String> accepted = app.http().postJson("/tasks/stand-in?async=true", "{\"params\":{\"label\":\"later\"}}");
        assertEquals(202, accepted.statusCode(), accepted.body());
        String id = Http.json(accepted).get("id").asText();
        JsonNode record = await().atMost(Duration.ofSeconds(60)).until(() -> Http.json(app.http().get("/jobs/" + id)),
                r -> "DONE".equals(r.get("status").asText()));
        assertEquals("task:stand-in", record.get("language").asText());
        assertEquals("DONE", record.at("/result/verdict").asText(), record.toString());
        assertEquals("later", record.at("/result/outputs/0/content").asText());
    }

    @Test
    void eachGpuSlotRunsItsOwnTasksAndTheStatusLineShowsTheSlots() {
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            calls.add(CompletableFuture.supplyAsync(() -> post("stand-in", "{\"params\":{\"seconds\":0.5}}")));
        }
        Set<Integer> gpus = new HashSet<>();
        for (CompletableFuture<HttpResponse<String>> call : calls) {
            HttpResponse<String> answer = call.join();
            assertEquals(200, answer.statusCode(), answer.body());
            JsonNode result = Http.json(answer);
            gpus.add(result.get("gpu").asInt());
            assertEquals("CUDA_VISIBLE_DEVICES=" + result.get("gpu").asInt() + "\n", result.get("stdout").asText());
        }
        assertTrue(gpus.size() >= 2, "8 tasks of 0.5 s sent at once took only GPUs " + gpus);
        String status = app.main().getCamelContext().getRegistry().lookupByNameAndType("workerStats",
                dev.caravan.worker.WorkerStats.class).statusLine();
        assertTrue(status.contains(" gpu0=") && status.contains(" gpu3_done=") && status.contains(" cpu4="), status);
        String metrics = app.http().get("/observe/metrics").body();
        assertNotEquals(-1, metrics.indexOf("caravan_task_slot_busy{slot=\"gpu0\"}"), "no per-slot gauge");
    }
}
