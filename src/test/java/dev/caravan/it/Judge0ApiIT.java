package dev.caravan.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The Judge0 CE 1.13 compatible API end to end: HTTP under /judge0, the real broker, a worker with its sandbox and the
 * PostgreSQL store. Every status id a Caravan job can end with is produced by a real program.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Judge0ApiIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(40);
    /** One C program that dies by the signal its input names. */
    private static final String SIGNALS_C = """
            #include <signal.h>
            #include <stdio.h>
            #include <stdlib.h>
            int main(void) {
                char word[16] = {0};
                volatile int zero = 0, seven = 7;
                if (scanf("%15s", word) != 1) return 0;
                if (word[0] == 's') { volatile int *p = 0; *p = 1; }
                if (word[0] == 'f') printf("%d", seven / zero);
                if (word[0] == 'a') abort();
                if (word[0] == 'u') raise(SIGUSR1);
                return 0;
            }
            """;

    private TestTopology topology;
    private TestDatabase database;
    private CallbackReceiver receiver;
    private CaravanApp app;

    @BeforeAll
    void start() {
        topology = new TestTopology();
        database = TestDatabase.postgresql();
        receiver = new CallbackReceiver();
        Map<String, String> settings = new HashMap<>(database.properties());
        settings.put("caravan.worker.concurrency", "2");
        settings.put("caravan.callbacks.allow-private", "true");
        settings.put("caravan.callbacks.retry-delay", "100ms");
        app = CaravanApp.start(topology, settings);
    }

    @AfterAll
    void stop() {
        app.close();
        topology.close();
        receiver.close();
        database.close();
    }

    private static ObjectNode submission(int language, String code, String stdin) {
        ObjectNode node = JSON.createObjectNode().put("source_code", code).put("language_id", language);
        return stdin == null ? node : node.put("stdin", stdin);
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String unbase64(JsonNode node) {
        return new String(Base64.getMimeDecoder().decode(node.asText()), StandardCharsets.UTF_8);
    }

    private HttpResponse<String> post(String path, JsonNode body) {
        return app.http().postJson("/judge0" + path, body.toString());
    }

    private HttpResponse<String> get(String path) {
        return app.http().get("/judge0" + path);
    }

    @Test
    void descriptiveEndpointsAnswerAsJudge0() {
        JsonNode languages = Http.json(get("/languages"));
        Set<Integer> ids = new TreeSet<>();
        languages.forEach(l -> ids.add(l.get("id").asInt()));
        assertEquals(Set.of(50, 54, 62, 63, 71), ids);
        JsonNode python = Http.json(get("/languages/71"));
        assertTrue(python.get("name").asText().startsWith("Python ("), python.toString());
        assertFalse(python.get("is_archived").asBoolean());
        HttpResponse<String> missing = get("/languages/999");
        assertEquals(404, missing.statusCode());
        assertTrue(Http.json(missing).has("error"));

        JsonNode statuses = Http.json(get("/statuses"));
        assertEquals(14, statuses.size());
        assertEquals("Runtime Error (SIGSEGV)", statuses.get(6).get("description").asText());
        assertEquals("1.13.1", Http.json(get("/about")).get("version").asText());

        // Every key of judge0/judge0 v1.13.1 app/helpers/config.rb config_info and of the Python SDK's Config model.
        JsonNode config = Http.json(get("/config_info"));
        Set<String> keys = new TreeSet<>();
        config.fieldNames().forEachRemaining(keys::add);
        assertEquals(new TreeSet<>(List.of("maintenance_mode", "enable_wait_result", "enable_compiler_options",
                "allowed_languages_for_compile_options", "enable_command_line_arguments", "enable_submission_delete",
                "enable_callbacks", "enable_additional_files", "max_queue_size", "cpu_time_limit", "max_cpu_time_limit",
                "cpu_extra_time", "max_cpu_extra_time", "wall_time_limit", "max_wall_time_limit", "memory_limit",
                "max_memory_limit", "stack_limit", "max_stack_limit", "max_processes_and_or_threads",
                "max_max_processes_and_or_threads", "enable_per_process_and_thread_time_limit",
                "allow_enable_per_process_and_thread_time_limit", "enable_per_process_and_thread_memory_limit",
                "allow_enable_per_process_and_thread_memory_limit", "max_file_size", "max_max_file_size",
                "number_of_runs", "max_number_of_runs", "redirect_stderr_to_stdout", "max_extract_size",
                "enable_batched_submissions", "max_submission_batch_size", "callbacks_max_tries", "callbacks_timeout",
                "enable_network", "allow_enable_network", "submission_cache_duration", "use_docs_as_homepage")), keys);
        assertEquals(10.0, config.get("max_cpu_time_limit").asDouble()); // caravan.limits.max.cpu-time-ms = 10000
        assertEquals(1024 * 1024, config.get("max_memory_limit").asInt()); // caravan.limits.max.memory-mb = 1024, in KB
        HttpResponse<String> nowhere = get("/nothing/here");
        assertEquals(404, nowhere.statusCode());
        assertEquals("Not Found", Http.json(nowhere).get("error").asText());
    }

    @Test
    void waitedSubmissionWithBase64InAndOut() {
        ObjectNode body = JSON.createObjectNode().put("language_id", 71)
                .put("source_code", base64("print(input()[::-1])")).put("stdin", base64("dlrow\n"))
                .put("expected_output", base64("world\n"));
        HttpResponse<String> response = post("/submissions?base64_encoded=true&wait=true&fields=token,stdout,status,time,memory,language_id", body);
        assertEquals(201, response.statusCode(), response.body());
        JsonNode shown = Http.json(response);
        assertEquals("world\n", unbase64(shown.get("stdout")));
        assertEquals(3, shown.get("status").get("id").asInt(), shown.toString());
        assertEquals(71, shown.get("language_id").asInt());
        assertTrue(shown.get("time").asText().matches("\\d+\\.\\d{3}"), shown.toString());
        assertTrue(shown.get("memory").asLong() > 0, shown.toString());
        assertEquals(4, UUID.fromString(shown.get("token").asText()).version());

        // The same submission read back as text, all fields.
        JsonNode again = Http.json(get("/submissions/" + shown.get("token").asText() + "?fields=*"));
        assertEquals("world\n", again.get("stdout").asText());
        assertEquals(35, again.size());
    }

    @Test
    void queuedSubmissionThenReadDeleteAndRefusals() {
        HttpResponse<String> created = post("/submissions", submission(71, "print('hi')", null));
        assertEquals(201, created.statusCode(), created.body());
        JsonNode tokenOnly = Http.json(created);
        assertEquals(1, tokenOnly.size());
        String token = tokenOnly.get("token").asText();
        JsonNode done = await().atMost(WAIT).until(() -> Http.json(get("/submissions/" + token)),
                s -> s.get("status").get("id").asInt() > 2);
        assertEquals(Set.of("token", "time", "memory", "stdout", "stderr", "compile_output", "message", "status"),
                names(done));
        assertEquals("hi\n", done.get("stdout").asText());
        assertEquals(3, done.get("status").get("id").asInt());

        HttpResponse<String> badFields = get("/submissions/" + token + "?fields=stdout,colour");
        assertEquals(400, badFields.statusCode());
        assertEquals("invalid fields: [colour]", Http.json(badFields).get("error").asText());

        // Judge0 answers a deleted submission base64-encoded whatever was asked (its destroy action).
        HttpResponse<String> deleted = app.http().send("DELETE", "/judge0/submissions/" + token + "?fields=stdout", null, null);
        assertEquals(200, deleted.statusCode(), deleted.body());
        assertEquals("hi\n", unbase64(Http.json(deleted).get("stdout")));
        assertEquals(404, get("/submissions/" + token).statusCode());
        assertEquals(404, get("/submissions/" + UUID.randomUUID()).statusCode());
        assertEquals(404, app.http().send("DELETE", "/judge0/submissions/" + UUID.randomUUID(), null, null).statusCode());

        HttpResponse<String> refused = post("/submissions", submission(71, "print(1)", null)
                .put("compiler_options", "-O3").put("cpu_time_limit", 99));
        assertEquals(422, refused.statusCode(), refused.body());
        assertEquals(Set.of("compiler_options"), names(Http.json(refused)));
        HttpResponse<String> tooLong = post("/submissions", submission(71, "print(1)", null).put("cpu_time_limit", 99));
        assertEquals(422, tooLong.statusCode(), tooLong.body());
        assertEquals(Set.of("cpu_time_limit"), names(Http.json(tooLong)));
        HttpResponse<String> unknownLanguage = post("/submissions", submission(999, "x", null));
        assertEquals(422, unknownLanguage.statusCode());
        assertEquals("language with id 999 doesn't exist", Http.json(unknownLanguage).get("language_id").get(0).asText());
    }

    /** Judge0 PUTs the submission (default fields, base64) to callback_url; Caravan retries it until answered 2xx. */
    @Test
    void callbackIsAPutOfTheSubmissionRetried() {
        receiver.answer("/judge0-hook", 500);
        HttpResponse<String> created = post("/submissions", submission(71, "print('called back')", null)
                .put("callback_url", receiver.url("/judge0-hook")));
        assertEquals(201, created.statusCode(), created.body());
        String token = Http.json(created).get("token").asText();
        List<CallbackReceiver.Received> calls = await().atMost(WAIT)
                .until(() -> receiver.received("/judge0-hook"), received -> received.size() >= 2);
        for (CallbackReceiver.Received call : calls) {
            assertEquals("PUT", call.method());
            JsonNode body = tree(call.body());
            assertEquals(token, body.get("token").asText());
            assertEquals(3, body.get("status").get("id").asInt());
            assertEquals("called back\n", unbase64(body.get("stdout")));
        }
        HttpResponse<String> withWait = post("/submissions?wait=true", submission(71, "print(1)", null)
                .put("callback_url", receiver.url("/judge0-hook")));
        assertEquals(422, withWait.statusCode(), withWait.body());
        assertEquals(Set.of("callback_url"), names(Http.json(withWait)));
    }

    /** Each status id a finished Caravan job can have, from a batch whose invalid element keeps its place. */
    @Test
    void everyStatusFromABatchInOrder() {
        List<ObjectNode> elements = List.of(
                submission(71, "print(input())", "same\n").put("expected_output", "same\n"),         // 3
                submission(71, "print(2)", null).put("expected_output", "1\n"),                     // 4
                submission(71, "while True: pass", null).put("cpu_time_limit", 0.5)
                        .put("wall_time_limit", 2),                                                 // 5
                submission(50, "int main(void) { return x; }", null),                              // 6
                submission(50, SIGNALS_C, "segv"),                                                  // 7
                submission(71, "print('x' * 300000)", null),                                        // 8
                submission(50, SIGNALS_C, "fpe"),                                                   // 9
                submission(999, "print(1)", null),                                                  // invalid
                submission(50, SIGNALS_C, "abort"),                                                 // 10
                submission(71, "import sys; sys.exit(3)", null),                                    // 11
                submission(50, SIGNALS_C, "usr1"));                                                 // 12
        List<Integer> expected = new ArrayList<>(List.of(3, 4, 5, 6, 7, 8, 9, 0, 10, 11, 12));
        ArrayNode batch = JSON.createArrayNode().addAll(elements);
        HttpResponse<String> created = post("/submissions/batch", JSON.createObjectNode().set("submissions", batch));
        assertEquals(201, created.statusCode(), created.body());
        JsonNode answers = Http.json(created);
        assertEquals(elements.size(), answers.size());
        assertEquals("language with id 999 doesn't exist", answers.get(7).get("language_id").get(0).asText());
        List<String> tokens = new ArrayList<>();
        for (JsonNode answer : answers) {
            tokens.add(answer.has("token") ? answer.get("token").asText() : UUID.randomUUID().toString());
        }
        String query = "/submissions/batch?fields=token,status_id&tokens=" + String.join(",", tokens);
        JsonNode shown = await().atMost(WAIT).until(() -> Http.json(get(query)).get("submissions"), this::allEnded);
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < shown.size(); i++) {
            JsonNode one = shown.get(i);
            ids.add(one.isNull() ? 0 : one.get("status_id").asInt());
            if (!one.isNull()) {
                assertEquals(tokens.get(i), one.get("token").asText());
            }
        }
        assertEquals(expected, ids, shown.toString());

        assertEquals(400, get("/submissions/batch?tokens=").statusCode());
        HttpResponse<String> empty = post("/submissions/batch", JSON.createObjectNode().set("submissions", JSON.createArrayNode()));
        assertEquals(400, empty.statusCode());
        HttpResponse<String> allInvalid = post("/submissions/batch", JSON.createObjectNode().set("submissions",
                JSON.createArrayNode().add(submission(999, "x", null))));
        assertEquals(422, allInvalid.statusCode());
    }

    private boolean allEnded(JsonNode submissions) {
        for (JsonNode one : submissions) {
            if (!one.isNull() && one.get("status_id").asInt() <= 2) {
                return false;
            }
        }
        return true;
    }

    private static JsonNode tree(byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Set<String> names(JsonNode node) {
        Set<String> names = new TreeSet<>();
        Iterator<String> it = node.fieldNames();
        it.forEachRemaining(names::add);
        return names;
    }
}
