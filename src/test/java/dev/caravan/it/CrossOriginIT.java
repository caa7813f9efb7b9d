package dev.caravan.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Browsers and the edges of the API. A page served from a second origin (a JDK HTTP server on another port) calls
 * Caravan's POST /execute and the Piston adapter's POST /api/v2/execute with fetch() in a real headless Chromium: with
 * that origin allowed (caravan.cors.allowed-origins), the preflight passes and the verdicts reach the page; against a
 * node with CORS off (the default), the browser refuses. Unknown paths and methods answer JSON, never HTML.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CrossOriginIT {

    private static final Duration PAGE = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Calls {@code api}'s two execute endpoints, with the JSON content type that makes the browser send a preflight,
     * and writes what came back (or the browser's refusal) into the page.
     */
    private static final String PAGE_HTML = """
            <!doctype html><html><body><pre id="execute">pending</pre><pre id="piston">pending</pre><script>
            const api = new URLSearchParams(location.search).get('api');
            function call(path, body, id) {
              fetch(api + path, {method: 'POST', headers: {'Content-Type': 'application/json'}, body: JSON.stringify(body)})
                .then(r => r.json())
                .then(j => { document.getElementById(id).textContent = JSON.stringify(j); })
                .catch(e => { document.getElementById(id).textContent = 'refused: ' + e; });
            }
            call('/execute', {language: 'python', code: 'print(6 * 7)'}, 'execute');
            call('/api/v2/execute', {language: 'python', version: '*', files: [{content: 'print(6 * 9)'}]}, 'piston');
            </script></body></html>
            """;

    private TestTopology topology;
    private CaravanApp allowing;
    private CaravanApp closed;
    private HttpServer pageServer;
    private String pageOrigin;
    private Browser browser;

    @BeforeAll
    void start() throws Exception {
        pageServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        pageServer.createContext("/", exchange -> {
            byte[] html = PAGE_HTML.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, html.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(html);
            }
        });
        pageServer.start();
        pageOrigin = "http://127.0.0.1:" + pageServer.getAddress().getPort();
        topology = new TestTopology();
        allowing = CaravanApp.start(topology, Map.of("caravan.worker.concurrency", "1",
                "caravan.cors.allowed-origins", "https://ide.example.com, " + pageOrigin));
        closed = CaravanApp.start(topology, Map.of("caravan.role", "api"));
        browser = Browser.start();
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.close();
        }
        if (closed != null) {
            closed.close();
        }
        if (allowing != null) {
            allowing.close();
        }
        if (topology != null) {
            topology.close();
        }
        if (pageServer != null) {
            pageServer.stop(0);
        }
    }

    private static String api(CaravanApp app) {
        return "http://127.0.0.1:" + app.port();
    }

    private String openPageAgainst(CaravanApp app, String id) {
        browser.open(pageOrigin + "/?api=" + api(app));
        return await().atMost(PAGE).until(() -> browser.text("#" + id), text -> text != null && !text.equals("pending"));
    }

    private static HttpResponse<String> send(CaravanApp app, String method, String path, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api(app) + path)).timeout(Duration.ofSeconds(30))
                .method(method, HttpRequest.BodyPublishers.noBody());
        headers.forEach(request::header);
        return Http.send(request);
    }

    private static JsonNode jsonError(HttpResponse<String> response, int status) throws IOException {
        assertEquals(status, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("content-type").orElse("").startsWith("application/json"),
                response.headers().map() + " " + response.body());
        return JSON.readTree(response.body());
    }

    @Test
    void aPageOnAnAllowedOriginRunsAProgramOnCaravanAndThroughThePistonAdapter() throws Exception {
        JsonNode execute = JSON.readTree(openPageAgainst(allowing, "execute"));
        assertEquals("OK", execute.path("status").asText(), execute.toString());
        assertEquals("42\n", execute.path("tests").path(0).path("stdout").asText(), execute.toString());
        JsonNode piston = JSON.readTree(await().atMost(PAGE).until(() -> browser.text("#piston"),
                text -> text != null && !text.equals("pending")));
        assertEquals("54\n", piston.path("run").path("stdout").asText(), piston.toString());
    }

    @Test
    void aPreflightFromAnAllowedOriginIsAnsweredAndOneFromAnotherOriginIsNot() {
        Map<String, String> preflight = Map.of("Origin", pageOrigin, "Access-Control-Request-Method", "POST",
                "Access-Control-Request-Headers", "content-type,authorization");
        for (String path : new String[] {"/execute", "/api/v2/execute", "/submissions", "/languages/71"}) {
            HttpResponse<String> allowed = send(allowing, "OPTIONS", path, preflight);
            assertEquals(200, allowed.statusCode(), path + ": " + allowed.body());
            assertEquals(pageOrigin, allowed.headers().firstValue("Access-Control-Allow-Origin").orElse(null), path);
            assertTrue(allowed.headers().firstValue("Access-Control-Allow-Headers").orElse("").contains("authorization"), path);
            assertEquals("600", allowed.headers().firstValue("Access-Control-Max-Age").orElse(null), path);
        }
        HttpResponse<String> stranger = send(allowing, "OPTIONS", "/execute",
                Map.of("Origin", "https://evil.example.net", "Access-Control-Request-Method", "POST"));
        assertFalse(stranger.headers().firstValue("Access-Control-Allow-Origin").isPresent(), stranger.headers().map().toString());
    }

    @Test
    void withCorsOffTheBrowserRefusesTheCall() throws Exception {
        assertTrue(openPageAgainst(closed, "execute").startsWith("refused: TypeError"), browser.text("#execute"));
        HttpResponse<String> preflight = send(closed, "OPTIONS", "/execute",
                Map.of("Origin", pageOrigin, "Access-Control-Request-Method", "POST"));
        assertFalse(preflight.headers().firstValue("Access-Control-Allow-Origin").isPresent(), preflight.headers().map().toString());
        assertEquals(405, preflight.statusCode());
    }

    @Test
    void unknownPathsAndMethodsAnswerTheJsonErrorOfTheirApi() throws Exception {
        for (CaravanApp app : new CaravanApp[] {allowing, closed}) {
            JsonNode notFound = jsonError(send(app, "GET", "/no/such/thing", Map.of()), 404);
            assertTrue(notFound.path("error").asText().contains("GET /no/such/thing"), notFound.toString());
            jsonError(send(app, "PUT", "/nowhere", Map.of()), 404);
            JsonNode wrongMethod = jsonError(send(app, "POST", "/openapi.json", Map.of()), 405);
            assertTrue(wrongMethod.path("error").asText().contains("use GET"), wrongMethod.toString());
            jsonError(send(app, "OPTIONS", "/execute", Map.of()), 405);
            JsonNode piston = jsonError(send(app, "GET", "/api/v2/nothing", Map.of()), 404);
            assertEquals("Not Found", piston.path("message").asText(), piston.toString());
        }
    }
}
