package dev.caravan.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The API contract through HTTP, the real broker and a worker in one process. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExecuteApiIT {

    private static final String A_PLUS_B = Http.quote("a,b=map(int,input().split())\nprint(a+b)");

    private TestTopology topology;
    private CaravanApp app;

    @BeforeAll
    void start() {
        topology = new TestTopology();
        app = CaravanApp.start(topology, Map.of("caravan.worker.concurrency", "2"));
    }

    @AfterAll
    void stop() {
        app.close();
        topology.close();
    }

    private JsonNode execute(String json) {
        HttpResponse<String> response = app.http().postJson("/execute", json);
        assertEquals(200, response.statusCode(), response.body());
        return Http.json(response);
    }

    private void assertError(HttpResponse<String> response, int status, String field, String messagePart) {
        assertEquals(status, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("content-type").orElse("").startsWith("application/json"));
        JsonNode body = Http.json(response);
        assertTrue(body.get("error").asText().contains(messagePart), response.body());
        assertEquals(field, body.has("field") ? body.get("field").asText() : null, response.body());
    }

    @Test
    void aProgramOfSeveralFilesRunsWithItsArgs() {
        JsonNode result = execute("{\"language\":\"c\",\"files\":[{\"name\":\"prog.c\",\"content\":"
                + Http.quote("#include <stdio.h>\n#include \"answer.h\"\nint main(int argc, char **argv) {"
                        + " printf(\"%d %s %d\\n\", ANSWER, argv[1], argc); }")
                + "},{\"name\":\"answer.h\",\"content\":\"#define ANSWER 42\\n\"}],\"args\":[\"x y\",\"z\"]}");
        assertEquals("OK", result.get("status").asText(), result.toString());
        assertEquals("42 x y 3\n", result.get("tests").get(0).get("stdout").asText());
    }

    @Test
    void theReadmeExampleIsAccepted() {
        JsonNode result = execute("{\"language\":\"python\",\"code\":" + A_PLUS_B
                + ",\"tests\":[{\"input\":\"1 2\\n\",\"expected_output\":\"3\\n\"}]}");
        assertEquals("ACCEPTED", result.get("status").asText());
        assertEquals("python", result.get("language").asText());
        assertEquals(36, result.get("id").asText().length());
        assertTrue(result.get("compile").isNull());
        JsonNode test = result.get("tests").get(0);
        assertEquals("ACCEPTED", test.get("status").asText());
        assertEquals("3\n", test.get("stdout").asText());
        assertEquals(0, test.get("exit_code").asInt());
        assertTrue(test.get("signal").isNull());
        for (String field : Set.of("stderr", "cpu_time_ms", "wall_time_ms", "memory_kb")) {
            assertTrue(test.has(field), field);
        }
    }

    @Test
    void everyTestIsRunInOrderAndTheFirstFailureDecides() {
        JsonNode result = execute("{\"language\":\"python\",\"code\":" + A_PLUS_B + ",\"tests\":["
                + "{\"input\":\"1 2\\n\",\"expected_output\":\"3\\n\"},"
                + "{\"input\":\"5 7\\n\"},"
                + "{\"input\":\"2 2\\n\",\"expected_output\":\"5\\n\"},"
                + "{\"input\":\"x\\n\",\"expected_output\":\"?\\n\"}]}");
        assertEquals("WRONG_ANSWER", result.get("status").asText());
        JsonNode tests = result.get("tests");
        assertEquals(4, tests.size());
        assertEquals("ACCEPTED", tests.get(0).get("status").asText());
        assertEquals("OK", tests.get(1).get("status").asText());
        assertEquals("12\n", tests.get(1).get("stdout").asText());
        assertEquals("WRONG_ANSWER", tests.get(2).get("status").asText());
        assertEquals("RUNTIME_ERROR", tests.get(3).get("status").asText());
        assertTrue(tests.get(3).get("stderr").asText().contains("ValueError"));
    }

    @Test
    void withoutExpectedOutputsACleanRunIsOk() {
        JsonNode result = execute("{\"language\":\"python\",\"code\":\"print('hi')\"}");
        assertEquals("OK", result.get("status").asText());
        assertEquals("hi\n", result.get("tests").get(0).get("stdout").asText());
    }

    @Test
    void limitsProduceTheirVerdicts() {
        JsonNode slow = execute("{\"language\":\"python\",\"code\":\"while True: pass\",\"limits\":{\"wall_time_ms\":500}}");
        assertEquals("TIME_LIMIT_EXCEEDED", slow.get("status").asText());
        JsonNode chatty = execute("{\"language\":\"python\",\"code\":\"while True: print('x'*100)\",\"limits\":{\"output_kb\":1}}");
        assertEquals("OUTPUT_LIMIT_EXCEEDED", chatty.get("status").asText());
        assertEquals(1024, chatty.get("tests").get(0).get("stdout").asText().length());
    }

    @Test
    void languagesAreListedWithTheirVersions() {
        HttpResponse<String> response = app.http().get("/languages");
        assertEquals(200, response.statusCode());
        JsonNode python = Http.json(response).get(0);
        assertEquals("python", python.get("id").asText());
        assertTrue(python.get("version").asText().matches("3\\.\\d+\\.\\d+"), python.toString());
        assertFalse(python.get("compiled").asBoolean());
    }

    @Test
    void badRequestsGetJsonErrorsNamingTheProblem() {
        Http http = app.http();
        assertError(http.postJson("/execute", "{\"language\":\"python\""), 400, null, "not valid JSON");
        assertError(http.postJson("/execute", "{\"language\":\"brainfuck\",\"code\":\"+\"}"), 400, "language", "unknown language");
        assertError(http.postJson("/execute", "{\"language\":\"python\",\"code\":\"x\",\"tests\":[" + "{},".repeat(32) + "{}]}"),
                400, "tests", "more than the 32 allowed");
        assertError(http.postJson("/execute", "{\"language\":\"python\",\"code\":\"x\",\"limits\":{\"memory_mb\":99999}}"),
                400, "limits.memory_mb", "between 1 and 1024");
        assertError(http.postJson("/execute", "{\"language\":\"python\",\"code\":\"" + "x".repeat(3 * 1024 * 1024) + "\"}"),
                413, null, "more than the 2097152 allowed");
        assertError(http.send("POST", "/execute", "text/plain", "{}"), 415, null, "application/json");
        assertError(http.get("/execute"), 405, null, "use POST");
        assertError(http.send("DELETE", "/languages", null, null), 405, null, "use GET");
    }

    @Test
    void answersCarryNoRequestOrBrokerHeaders() {
        HttpResponse<String> response = app.http().postJson("/execute", "{\"language\":\"python\",\"code\":\"print(1)\"}");
        assertEquals(200, response.statusCode());
        Set<String> allowed = Set.of("content-type", "content-length");
        response.headers().map().keySet().stream()
                .filter(name -> !name.startsWith(":"))
                .forEach(name -> assertTrue(allowed.contains(name.toLowerCase()), name));
    }
}
