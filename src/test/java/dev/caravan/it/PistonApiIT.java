package dev.caravan.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The Piston v2 compatible API over the real broker and a worker: the real npm client piston-client 1.0.2, unchanged,
 * run by node (src/test/clients/piston.mjs) in the five languages, with stdin and args, a compile error and a
 * timeout; then what that client never sends, over plain HTTP: no Content-Type, multi-file programs, Piston's errors.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PistonApiIT {

    private static final Path CLIENTS = Path.of("src/test/clients");
    private static final ObjectMapper JSON = new ObjectMapper();

    private TestTopology topology;
    private CaravanApp app;

    @BeforeAll
    void start() {
        assertTrue(Files.exists(CLIENTS.resolve("node_modules/piston-client/package.json")),
                "piston-client is not installed; run scripts/install-prerequisites.sh test");
        topology = new TestTopology();
        app = CaravanApp.start(topology, Map.of("caravan.worker.concurrency", "2"));
    }

    @AfterAll
    void stop() {
        app.close();
        topology.close();
    }

    private static ObjectNode call(ArrayNode plan, String name, String language, String code) {
        ObjectNode call = plan.addObject().put("name", name).put("language", language).put("code", code);
        call.putObject("config").put("stdin", "hello");
        return call;
    }

    /** Runs the plan through piston-client in node and returns what the client returned. */
    private JsonNode runPistonClient(ArrayNode plan) throws IOException, InterruptedException {
        Process node = new ProcessBuilder("node", "piston.mjs", "http://localhost:" + app.port())
                .directory(CLIENTS.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (OutputStream stdin = node.getOutputStream()) {
            stdin.write(JSON.writeValueAsBytes(plan));
        }
        byte[] out = node.getInputStream().readAllBytes();
        assertTrue(node.waitFor(120, TimeUnit.SECONDS), "node did not finish");
        assertEquals(0, node.exitValue(), new String(out, StandardCharsets.UTF_8));
        return JSON.readTree(out);
    }

    @Test
    void pistonClientRunsUnchanged() throws Exception {
        ArrayNode plan = JSON.createArrayNode();
        call(plan, "python", "python", "import sys\nprint('got', input(), 'args', *sys.argv[1:])");
        call(plan, "javascript", "javascript", "const line = require('fs').readFileSync(0, 'utf8').split('\\n')[0];\n"
                + "console.log('got', line, 'args', ...process.argv.slice(2));");
        call(plan, "c", "c", "#include <stdio.h>\nint main(int argc, char **argv) { char s[64]; scanf(\"%63s\", s);\n"
                + "printf(\"got %s args\", s); for (int i = 1; i < argc; i++) printf(\" %s\", argv[i]); puts(\"\"); }");
        call(plan, "c++", "c++", "#include <iostream>\n#include <string>\nint main(int argc, char **argv) { std::string s;\n"
                + "std::cin >> s; std::cout << \"got \" << s << \" args\"; for (int i = 1; i < argc; i++) std::cout << ' '"
                + " << argv[i]; std::cout << '\\n'; }");
        call(plan, "java", "java", "public class Main { public static void main(String[] a) {\n"
                + "System.out.println(\"got \" + new java.util.Scanner(System.in).next() + \" args \" + String.join(\" \", a)); } }");
        ((ObjectNode) call(plan, "alias", "py", "import sys\nprint(sys.argv[1:])").get("config"))
                .put("version", "*").putArray("args").add("a b").add("c");
        call(plan, "compileError", "c", "int main( {");
        ((ObjectNode) call(plan, "timeout", "python", "while True: pass").get("config")).put("runTimeout", 1000);

        JsonNode client = runPistonClient(plan);

        JsonNode runtimes = client.get("runtimes");
        assertEquals(List.of("python", "c", "c++", "java", "javascript"),
                runtimes.findValuesAsText("language"), runtimes.toString());
        JsonNode answers = client.get("answers");
        for (String language : List.of("python", "javascript", "c", "c++", "java")) {
            JsonNode answer = answers.get(language);
            assertEquals(language, answer.get("language").asText(), answer.toString());
            JsonNode run = answer.get("run");
            assertEquals("got hello args 1 2 3\n", run.get("stdout").asText(), answer.toString());
            assertEquals(run.get("stdout").asText(), run.get("output").asText());
            assertEquals("", run.get("stderr").asText());
            assertEquals(0, run.get("code").asInt(), answer.toString());
            assertTrue(run.get("signal").isNull() && run.get("status").isNull(), answer.toString());
            assertEquals(!language.equals("python") && !language.equals("javascript"), answer.has("compile"), answer.toString());
        }
        for (JsonNode runtime : runtimes) {
            JsonNode answer = answers.get(runtime.get("language").asText());
            assertEquals(runtime.get("version").asText(), answer.get("version").asText());
        }

        JsonNode alias = answers.get("alias");
        assertEquals("python", alias.get("language").asText(), alias.toString());
        assertEquals("['a b', 'c']\n", alias.get("run").get("stdout").asText());

        JsonNode compileError = answers.get("compileError");
        assertTrue(compileError.get("compile").get("code").asInt() != 0, compileError.toString());
        assertTrue(compileError.get("compile").get("stderr").asText().contains("error"), compileError.toString());
        // v2.js: "Backward compatibility when the run stage is not started"
        assertEquals(compileError.get("compile"), compileError.get("run"));

        JsonNode timeout = answers.get("timeout").get("run");
        assertEquals("TO", timeout.get("status").asText(), timeout.toString());
        assertEquals("SIGKILL", timeout.get("signal").asText());
        assertTrue(timeout.get("code").isNull());
        assertTrue(timeout.get("wall_time").asLong() >= 1000, timeout.toString());
    }

    private HttpResponse<String> execute(String body) {
        // no Content-Type, as a client that sets none
        return app.http().send("POST", "/api/v2/execute", null, body);
    }

    @Test
    void aBodyWithoutContentTypeOrAsPlainTextIsReadAsJson() {
        HttpResponse<String> plain = app.http().send("POST", "/api/v2/execute", "text/plain;charset=UTF-8",
                "{\"language\":\"js\",\"version\":\"*\",\"files\":[{\"content\":\"console.log(1)\"}]}");
        assertEquals(200, plain.statusCode(), plain.body());
        HttpResponse<String> response = execute("{\"language\":\"javascript\",\"version\":\"*\","
                + "\"files\":[{\"content\":\"console.log(6*7)\"}]}");
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("42\n", Http.json(response).get("run").get("stdout").asText());
    }

    @Test
    void otherFilesAreWrittenBesideTheFirstUtf8One() {
        String data = Base64.getEncoder().encodeToString(new byte[] {0, 1, (byte) 255});
        HttpResponse<String> response = execute("{\"language\":\"python3\",\"version\":\"3.x\",\"files\":["
                + "{\"name\":\"data.bin\",\"encoding\":\"base64\",\"content\":\"" + data + "\"},"
                + "{\"name\":\"solution.py\",\"content\":" + Http.quote("import helper\nprint(helper.X, open('data.bin','rb').read())") + "},"
                + "{\"name\":\"helper.py\",\"encoding\":\"hex\",\"content\":\"" + hex("X = 42\n") + "\"}]}");
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("42 b'\\x00\\x01\\xff'\n", Http.json(response).get("run").get("stdout").asText(), response.body());
    }

    private static String hex(String text) {
        StringBuilder hex = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            hex.append(String.format("%02x", b));
        }
        return hex.toString();
    }

    private void assertMessage(HttpResponse<String> response, int status, String message) {
        assertEquals(status, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("content-type").orElse("").startsWith("application/json"));
        JsonNode body = Http.json(response);
        assertEquals(List.of("message"), List.copyOf(iterable(body)), response.body());
        assertTrue(body.get("message").asText().contains(message), response.body());
    }

    private static List<String> iterable(JsonNode body) {
        List<String> names = new java.util.ArrayList<>();
        body.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void refusalsAnswerPistonsMessages() {
        String file = "\"files\":[{\"content\":\"print(1)\"}]";
        assertMessage(execute("{\"language\":\"cobol\",\"version\":\"*\"," + file + "}"), 400, "cobol-* runtime is unknown");
        assertMessage(execute("{\"language\":\"python\",\"version\":\"2.x\"," + file + "}"), 400, "python-2.x runtime is unknown");
        assertMessage(execute("{\"language\":\"python\"," + file + "}"), 400, "version is required as a string");
        assertMessage(execute("{\"language\":\"python\",\"version\":\"*\"}"), 400, "files is required as an array");
        assertMessage(execute("{\"language\":\"python\",\"version\":\"*\",\"run_timeout\":60000," + file + "}"), 400,
                "run_timeout cannot exceed the configured limit of 10000");
        assertMessage(execute("{\"language\":\"python\",\"version\":\"*\",\"run_cpu_time\":\"5\"," + file + "}"), 400,
                "If specified, run_cpu_time must be a number");
        assertMessage(execute("{\"language\":\"python\",\"version\":\"*\",\"files\":[{\"content\":\"print(1)\"},"
                + "{\"name\":\"../escape.py\",\"content\":\"x\"}]}"), 400, "must be a plain file name");
        assertMessage(execute("{\"language\":\"python\",\"version\":\"*\",\"files\":"
                + "[{\"content\":\"AA==\",\"encoding\":\"base64\"}]}"), 400, "files must include at least one utf8 encoded file");
        assertMessage(execute("not json"), 400, "JSON");
        assertMessage(app.http().send("POST", "/api/v2/execute", "application/x-www-form-urlencoded",
                "{\"language\":\"python\",\"version\":\"*\"," + file + "}"), 415, "requests must be of type application/json");
        assertMessage(app.http().get("/api/v2/execute"), 405, "use POST");
        assertMessage(app.http().get("/api/v2/packages"), 404, "Not Found");
        assertMessage(app.http().get("/api/v2"), 404, "Not Found");
    }

    @Test
    void aRunOverItsMemoryLimitIsKilledAndAFailingOneExitsWithItsStatus() {
        HttpResponse<String> response = execute("{\"language\":\"c\",\"version\":\"*\",\"run_memory_limit\":67108864,"
                + "\"files\":[{\"content\":" + Http.quote("#include <stdlib.h>\n#include <string.h>\nint main() {"
                + " for (;;) memset(malloc(1 << 20), 1, 1 << 20); }") + "}]}");
        assertEquals(200, response.statusCode(), response.body());
        JsonNode run = Http.json(response).get("run");
        // killed over its cgroup's limit; where only RLIMIT_AS holds, malloc fails and memset faults: SG either way
        assertEquals("SG", run.get("status").asText(), response.body());
        assertFalse(run.get("signal").isNull(), response.body());

        JsonNode failing = Http.json(execute("{\"language\":\"python\",\"version\":\"*\","
                + "\"files\":[{\"content\":\"import sys\\nsys.exit(4)\"}]}")).get("run");
        assertEquals("RE", failing.get("status").asText(), failing.toString());
        assertEquals(4, failing.get("code").asInt());
    }
}
