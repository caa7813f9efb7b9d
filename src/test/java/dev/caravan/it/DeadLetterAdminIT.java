package dev.caravan.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An operator lists, replays and purges dead-lettered jobs over HTTP. */
class DeadLetterAdminIT {

    private static final String TOKEN = "test-admin-token";

    private static HttpResponse<String> admin(CaravanApp app, String method, String path, String token) {
        return app.http().send(method, path, null, null, token);
    }

    private static JsonNode list(CaravanApp app) {
        HttpResponse<String> response = admin(app, "GET", "/admin/dead-letters", TOKEN);
        assertEquals(200, response.statusCode(), response.body());
        return Http.json(response);
    }

    private static JsonNode byId(JsonNode letters, String id) {
        for (JsonNode letter : letters) {
            if (letter.get("id").asText().equals(id)) {
                return letter;
            }
        }
        return null;
    }

    @Test
    void deadLettersAreListedReplayedAndPurged() throws Exception {
        try (TestTopology topology = new TestTopology();
             CaravanApp app = CaravanApp.start(topology, Map.of(
                     "caravan.chaos.failure-rate", "1", "caravan.worker.max-attempts", "1", "caravan.admin.token", TOKEN))) {
            String first = Http.json(app.http().postJson("/execute", "{\"language\":\"python\",\"code\":\"print(1)\"}")).get("id").asText();
            String second = Http.json(app.http().postJson("/execute", "{\"language\":\"python\",\"code\":\"print(2)\"}")).get("id").asText();

            assertEquals(401, admin(app, "GET", "/admin/dead-letters", null).statusCode());
            assertEquals(403, admin(app, "GET", "/admin/dead-letters", "wrong").statusCode());

            JsonNode parked = list(app);
            assertEquals(2, parked.size(), parked.toString());
            JsonNode entry = parked.get(0);
            assertEquals(first, entry.get("id").asText());
            assertEquals("dev.caravan.engine.EngineFailure", entry.get("reason").asText());
            assertTrue(entry.get("exception").asText().contains("injected failure"));
            assertEquals(1, entry.get("attempts").asInt());
            assertTrue(entry.get("worker").asText().startsWith("caravan-all@"));
            assertEquals("print(1)", entry.get("job").get("code").asText());
            assertEquals(entry.get("first_dead_lettered_at"), entry.get("last_dead_lettered_at"));
            assertEquals(parked, list(app), "listing takes nothing away");

            HttpResponse<String> replayed = admin(app, "POST", "/admin/dead-letters/" + first + "/replay", TOKEN);
            assertEquals(200, replayed.statusCode(), replayed.body());
            assertEquals(1, Http.json(replayed).get("replayed").asInt());
            // The replayed job runs again, fails again (every job fails here) and comes back, its first time kept.
            JsonNode back = await().atMost(Duration.ofSeconds(10)).until(() -> byId(list(app), first),
                    letter -> letter != null && !letter.get("last_dead_lettered_at").equals(entry.get("last_dead_lettered_at")));
            assertEquals(entry.get("first_dead_lettered_at"), back.get("first_dead_lettered_at"));
            assertTrue(byId(list(app), second) != null, "the other job was left where it was");

            assertEquals(404, admin(app, "POST", "/admin/dead-letters/no-such-job/replay", TOKEN).statusCode());
            HttpResponse<String> purged = admin(app, "DELETE", "/admin/dead-letters", TOKEN);
            assertEquals(2, Http.json(purged).get("purged").asInt(), purged.body());
            assertEquals(0, list(app).size());
        }
    }
}
