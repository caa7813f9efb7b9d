package dev.caravan.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** With API keys configured, /execute and /languages answer only requests that carry one. */
class ApiKeysIT {

    private static HttpResponse<String> send(CaravanApp app, String method, String path, String key) {
        return app.http().send(method, path, "application/json", "{\"language\":\"python\",\"code\":\"print(7)\"}", key);
    }

    @Test
    void onlyRequestsWithAConfiguredKeyAreServed() {
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
