package dev.caravan.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.caravan.store.StoreRoutes;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * No result is lost when the store side fails: with no store node consuming, workers' results wait in the durable
 * results queue; with the database down for 10 s, they wait unacknowledged and the records catch up once it is back.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StoreFaultsIT {

    private static final String HELLO = "{\"language\":\"python\",\"code\":\"print(1)\"}";
    private static final int JOBS = 6;
    private static final Duration OUTAGE = Duration.ofSeconds(10);
    private static final Duration WAIT = Duration.ofSeconds(40);

    private TestTopology topology;
    private TestDatabase database;
    private CaravanApp app;

    @BeforeAll
    void start() {
        topology = new TestTopology();
        database = TestDatabase.postgresql();
        Map<String, String> settings = new HashMap<>(database.properties());
        settings.put("caravan.worker.concurrency", "2");
        app = CaravanApp.start(topology, settings);
    }

    @AfterAll
    void stop() {
        app.close();
        topology.close();
        database.close();
    }

    private CamelContext camel() {
        return app.main().getCamelContext();
    }

    private List<String> submitJobs() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < JOBS; i++) {
            HttpResponse<String> response = app.http().postJson("/jobs", HELLO);
            assertEquals(202, response.statusCode(), response.body());
            ids.add(Http.json(response).get("id").asText());
        }
        return ids;
    }

    private long done(List<String> ids) {
        JsonNode records = Http.json(app.http().get("/jobs?ids=" + String.join(",", ids)));
        long count = 0;
        for (JsonNode record : records) {
            count += "DONE".equals(record.get("status").asText()) ? 1 : 0;
        }
        return count;
    }

    @Test
    void resultsWaitInTheirQueueWhileNoStoreNodeConsumesThem() throws Exception {
        String results = topology.exchange() + ".results";
        camel().getRouteController().stopRoute(StoreRoutes.EVENTS_ROUTE_ID);
        List<String> ids;
        try {
            ids = submitJobs();
            // Each job: one "started" and one "finished" event.
            await().atMost(WAIT).until(() -> topology.messageCount(results) == 2L * JOBS);
            assertEquals(0, done(ids));
        } finally {
            camel().getRouteController().startRoute(StoreRoutes.EVENTS_ROUTE_ID);
        }
        await().atMost(WAIT).until(() -> done(ids) == JOBS);
        System.out.printf("store node away: submitted %d, events waiting %d, DONE after it came back %d, lost %d%n",
                JOBS, 2 * JOBS, done(ids), JOBS - done(ids));
    }

    @Test
    void recordsCatchUpAfterTheDatabaseWasDownForTenSeconds() throws Exception {
        camel().getRouteController().stopRoute("worker");
        List<String> ids;
        try {
            ids = submitJobs();
        } finally {
            camel().getRouteController().startRoute("worker");
        }
        // The schema vanishes for this node's connections: every statement fails as with a database that is down.
        database.execute("ALTER SCHEMA " + database.schema() + " RENAME TO " + database.schema() + "_away");
        long downSince = System.nanoTime();
        int executeDuringOutage;
        try {
            await().atMost(WAIT).until(() -> topology.messageCount(topology.executeQueue()) == 0);
            HttpResponse<String> lookup = app.http().get("/jobs/" + ids.get(0));
            assertEquals(503, lookup.statusCode(), lookup.body());
            executeDuringOutage = app.http().postJson("/execute", HELLO).statusCode();
            assertEquals(200, executeDuringOutage, "/execute keeps working without its record");
            // The outage lasts its full length whatever the jobs do: it is the scenario, not a wait for them.
            await().pollDelay(OUTAGE.minusNanos(System.nanoTime() - downSince)).atMost(OUTAGE.plusSeconds(5)).until(() -> true);
        } finally {
            database.execute("ALTER SCHEMA " + database.schema() + "_away RENAME TO " + database.schema());
        }
        long outageMs = (System.nanoTime() - downSince) / 1_000_000;
        await().atMost(WAIT).until(() -> done(ids) == JOBS);
        System.out.printf("database down %d ms: submitted %d, taken by workers during the outage %d, DONE after %d, lost %d;"
                + " /execute during the outage answered %d%n", outageMs, JOBS, JOBS, done(ids), JOBS - done(ids), executeDuringOutage);
    }
}
