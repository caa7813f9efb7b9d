package dev.caravan.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** With API keys configured, /execute and /languages answer only requests that carry one. */
class ApiKeysIT {

    private static HttpResponse<String> send(CaravanApp app, String method, String path, String key) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + app.port() + path))
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString("{\"language\":\"python\",\"code\":\"print(7)\"}"));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void onlyRequestsWithAConfiguredKeyAreServed() throws Exception {
        try (TestTopology topology = new TestTopology();
             CaravanApp app = CaravanApp.start(topology, Map.of("caravan.api.keys", "team-a, team-b"))) {
            for (String path : new String[] {"/execute", "/languages"}) {
                String method = path.equals("/execute") ? "POST" : "GET";
                HttpResponse<String> missing = send(app, method, path, null);
                assertEquals(401, missing.statusCode(), missing.body());
                assertTrue(Http.json(missing).get("error").asText().contains("Bearer"));
                HttpResponse<String> wrong = send(app, method, path, "team-c");
                assertEquals(403, wrong.statusCode(), wrong.body());
                assertTrue(Http.json(wrong).has("error"));
                assertEquals(200, send(app, method, path, "team-b").statusCode());
            }
            assertEquals(0, topology.messageCount(topology.executeQueue()) + topology.messageCount(topology.deadLetterQueue()),
                    "refused requests queue nothing");
        }
    }
}
