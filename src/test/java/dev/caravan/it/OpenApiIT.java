package dev.caravan.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.oas.OpenApi30;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The OpenAPI document Caravan serves, checked against Caravan's real answers: a field renamed, added or dropped
 * on either side, or a status code the document does not list, fails here.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenApiIT {

    /** Only a name: the schema loader answers it with the document the running app served, not from the network. */
    private static final String DOCUMENT = "https://caravan.invalid/openapi.json";
    private static final String JSON = "/content/application~1json/schema";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String A_PLUS_B_REQUEST = "{\"language\":\"python\",\"code\":"
            + Http.quote("a,b=map(int,input().split())\nprint(a+b)")
            + ",\"tests\":[{\"input\":\"1 2\\n\",\"expected_output\":\"3\\n\"}],\"limits\":{\"wall_time_ms\":5000}}";

    private static final String ADMIN_TOKEN = "openapi-admin";

    private TestTopology topology;
    private CaravanApp app;
    private JsonNode document;
    private JsonSchemaFactory schemas;

    @BeforeAll
    void startAndFetchTheDocument() {
        topology = new TestTopology();
        app = CaravanApp.start(topology, Map.of("caravan.worker.concurrency", "1", "caravan.admin.token", ADMIN_TOKEN));
        HttpResponse<String> served = app.http().get("/openapi.json");
        assertEquals(200, served.statusCode(), served.body());
        assertEquals("application/json", served.headers().firstValue("content-type").orElse(""));
        document = Http.json(served);
        schemas = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4, builder -> builder
                .metaSchema(OpenApi30.getInstance())
                .defaultMetaSchemaIri(OpenApi30.getInstance().getIri())
                .schemaLoaders(loaders -> loaders.schemas(Map.of(DOCUMENT, served.body()))));
    }

    @AfterAll
    void stop() {
        app.close();
        topology.close();
    }

    /** The schema at a JSON pointer into the served document; the pointer must exist, so an undocumented status fails. */
    private JsonSchema schemaAt(String pointer) {
        assertFalse(document.at(pointer).isMissingNode(), "the document has nothing at " + pointer);
        return schemas.getSchema(SchemaLocation.of(DOCUMENT + "#" + pointer));
    }

    private JsonSchema responseSchema(String path, String method, int status) {
        return schemaAt("/paths/" + path.replace("/", "~1") + "/" + method + "/responses/" + status + JSON);
    }

    private void assertAnswerMatches(String path, String method, int expectedStatus, HttpResponse<String> response) {
        assertEquals(expectedStatus, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("content-type").orElse("").startsWith("application/json"));
        Set<ValidationMessage> problems = responseSchema(path, method, expectedStatus).validate(Http.json(response));
        assertTrue(problems.isEmpty(), "answer " + response.body() + " breaks the documented schema: " + problems);
    }

    /**
     * For an answer the REST DSL describes in words only (its body is built as a map or a list of two shapes, not one
     * Jackson class): the status must still be documented for the operation.
     */
    private void assertStatusDocumented(String path, String method, int expectedStatus, HttpResponse<String> response) {
        assertEquals(expectedStatus, response.statusCode(), response.body());
        String pointer = "/paths/" + path.replace("/", "~1") + "/" + method + "/responses/" + expectedStatus;
        assertFalse(document.at(pointer).isMissingNode(), "the document has nothing at " + pointer);
        assertTrue(document.at(pointer + JSON).isMissingNode(), "now documented with a schema: check it with assertAnswerMatches");
    }

    @Test
    void theDocumentIsGeneratedFromTheRoutesWithTheAdaptersFolders() {
        assertEquals("Caravan", document.at("/info/title").asText());
        assertTrue(document.at("/openapi").asText().startsWith("3.0"), document.at("/openapi").asText());
        for (String operation : new String[] {"/execute/post", "/jobs/get", "/jobs/post", "/jobs/batch/post", "/jobs/{id}/get",
                "/jobs/{id}/delete", "/languages/get", "/api/v2/execute/post", "/api/v2/runtimes/get", "/judge0/submissions/post",
                "/judge0/submissions/batch/get", "/judge0/submissions/{token}/delete", "/judge0/config_info/get",
                "/tasks/get", "/tasks/{type}/post"}) {
            int method = operation.lastIndexOf('/');
            String pointer = "/paths/" + operation.substring(0, method).replace("/", "~1") + operation.substring(method);
            assertFalse(document.at(pointer).isMissingNode(), "the document has no " + operation);
        }
    }

    @Test
    void pistonAnswersMatchTheDocument() {
        assertAnswerMatches("/api/v2/runtimes", "get", 200, app.http().get("/api/v2/runtimes"));
        assertAnswerMatches("/api/v2/execute", "post", 200, app.http().postJson("/api/v2/execute",
                "{\"language\":\"c\",\"version\":\"*\",\"files\":[{\"content\":\"int main( {\"}]}"));
        assertAnswerMatches("/api/v2/execute", "post", 200, app.http().postJson("/api/v2/execute",
                "{\"language\":\"python\",\"version\":\"*\",\"files\":[{\"content\":\"print(1)\"}]}"));
        assertAnswerMatches("/api/v2/execute", "post", 400, app.http().postJson("/api/v2/execute", "{\"language\":\"c\"}"));
    }

    @Test
    void taskAnswersMatchTheDocument() {
        assertStatusDocumented("/tasks", "get", 200, app.http().get("/tasks"));
        assertAnswerMatches("/tasks/{type}", "post", 200,
                app.http().postJson("/tasks/pause", "{\"params\":{\"seconds\":0,\"label\":\"openapi\"}}"));
        assertAnswerMatches("/tasks/{type}", "post", 202,
                app.http().postJson("/tasks/pause?async=true", "{\"params\":{\"seconds\":0}}"));
        assertAnswerMatches("/tasks/{type}", "post", 400,
                app.http().postJson("/tasks/pause", "{\"params\":{\"seconds\":-1}}"));
        assertAnswerMatches("/tasks/{type}", "post", 404, app.http().postJson("/tasks/no-such-type", "{}"));
    }

    @Test
    void anAcceptedResultMatchesTheDocumentedResult() {
        HttpResponse<String> response = app.http().postJson("/execute", A_PLUS_B_REQUEST);

        assertAnswerMatches("/execute", "post", 200, response);
        assertEquals("ACCEPTED", Http.json(response).get("status").asText());
    }

    @Test
    void jobAnswersMatchTheDocument() {
        HttpResponse<String> accepted = app.http().postJson("/jobs", A_PLUS_B_REQUEST);
        assertAnswerMatches("/jobs", "post", 202, accepted);
        String id = Http.json(accepted).get("id").asText();
        HttpResponse<String> done = await().atMost(Duration.ofSeconds(30)).until(() -> app.http().get("/jobs/" + id),
                answer -> Http.json(answer).get("status").asText().equals("DONE"));
        assertAnswerMatches("/jobs/{id}", "get", 200, done);
        assertStatusDocumented("/jobs", "get", 200, app.http().get("/jobs?ids=" + id + ",unknown"));
        assertStatusDocumented("/jobs/batch", "post", 202,
                app.http().postJson("/jobs/batch", "{\"jobs\":[" + A_PLUS_B_REQUEST + ",{\"language\":\"cobol\"}]}"));
        assertAnswerMatches("/jobs/{id}", "get", 404, app.http().get("/jobs/unknown"));
        assertAnswerMatches("/jobs", "post", 400, app.http().postJson("/jobs", "{\"language\":\"python\",\"code\":\"x\","
                + "\"callback\":{\"url\":\"http://169.254.169.254/\"}}"));
    }

    @Test
    void compiledLanguageResultsAndCompileErrorsMatchTheDocumentedResult() {
        HttpResponse<String> compiled = app.http().postJson("/execute", "{\"language\":\"c\",\"code\":"
                + Http.quote("#include <stdio.h>\nint main(void){puts(\"3\");return 0;}") + "}");
        assertAnswerMatches("/execute", "post", 200, compiled);
        assertEquals("OK", Http.json(compiled).get("compile").get("status").asText());

        HttpResponse<String> broken = app.http().postJson("/execute", "{\"language\":\"c\",\"code\":\"int main( {\"}");
        assertAnswerMatches("/execute", "post", 200, broken);
        assertEquals("COMPILATION_ERROR", Http.json(broken).get("status").asText());
    }

    @Test
    void theRequestSchemaAgreesWithTheApiOnAValidAndAMisspeltRequest() throws IOException {
        JsonSchema request = schemaAt("/paths/~1execute/post/requestBody" + JSON);
        assertTrue(request.validate(MAPPER.readTree(A_PLUS_B_REQUEST)).isEmpty());

        ObjectNode misspelt = (ObjectNode) MAPPER.readTree(A_PLUS_B_REQUEST);
        ObjectNode test = (ObjectNode) misspelt.get("tests").get(0);
        test.set("expected", test.remove("expected_output"));
        assertFalse(request.validate(misspelt).isEmpty(), "the API refuses unknown fields, so must the schema");
        assertEquals(400, app.http().postJson("/execute", misspelt.toString()).statusCode());
    }

    @Test
    void deadLetterListingsAndAdminRefusalsMatchTheDocument() {
        topology.publishJob("not a job at all", Map.of("x-caravan-job-version", 1));
        HttpResponse<String> listing = await().atMost(Duration.ofSeconds(10)).until(
                () -> app.http().send("GET", "/admin/dead-letters", null, null, ADMIN_TOKEN),
                response -> Http.json(response).size() == 1);
        assertAnswerMatches("/admin/dead-letters", "get", 200, listing);
        assertEquals("poison", Http.json(listing).get(0).get("reason").asText());
        assertAnswerMatches("/admin/dead-letters", "get", 401, app.http().get("/admin/dead-letters"));
        assertStatusDocumented("/admin/dead-letters", "delete", 200,
                app.http().send("DELETE", "/admin/dead-letters", null, null, ADMIN_TOKEN));
    }

    @Test
    void theOperatorPagesFiguresMatchTheDocument() {
        app.http().postJson("/execute", A_PLUS_B_REQUEST);
        HttpResponse<String> workers = await().atMost(Duration.ofSeconds(20)).until(() -> app.http().get("/api/workers"),
                response -> Http.json(response).size() == 1 && Http.json(response).get(0).get("completed").asLong() > 0);
        assertAnswerMatches("/api/workers", "get", 200, workers);
        HttpResponse<String> overview = app.http().get("/api/overview");
        assertAnswerMatches("/api/overview", "get", 200, overview);
        assertFalse(Http.json(overview).get("verdicts").isEmpty(), overview.body());
        assertAnswerMatches("/api/overview", "get", 405, app.http().postJson("/api/overview", "{}"));
    }

    @Test
    void aRenamedResultFieldBreaksTheDocumentedResult() {
        JsonNode result = Http.json(app.http().postJson("/execute", A_PLUS_B_REQUEST));
        ObjectNode test = (ObjectNode) result.get("tests").get(0);
        test.set("exitCode", test.remove("exit_code"));

        assertFalse(responseSchema("/execute", "post", 200).validate(result).isEmpty(),
                "the schema must be strict enough to notice a renamed field");
    }

    @Test
    void anUnknownLanguageIsADocumented400() {
        HttpResponse<String> response = app.http().postJson("/execute", "{\"language\":\"cobol\",\"code\":\"x\"}");

        assertAnswerMatches("/execute", "post", 400, response);
        assertEquals("language", Http.json(response).get("field").asText());
    }

    @Test
    void theWrongMethodIsADocumented405() {
        assertAnswerMatches("/execute", "post", 405, app.http().get("/execute"));
        assertAnswerMatches("/languages", "get", 405, app.http().send("DELETE", "/languages", null, null));
    }

    @Test
    void aBodyThatIsNotJsonIsADocumented415() {
        assertAnswerMatches("/execute", "post", 415, app.http().send("POST", "/execute", "application/x-www-form-urlencoded", "x=1"));
    }

    @Test
    void theLanguagesMatchTheDocumentedList() {
        HttpResponse<String> response = app.http().get("/languages");

        assertAnswerMatches("/languages", "get", 200, response);
        assertFalse(Http.json(response).isEmpty());
    }

}
