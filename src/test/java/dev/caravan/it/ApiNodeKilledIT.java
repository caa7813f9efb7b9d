package dev.caravan.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * An API node killed with SIGKILL in the middle of a burst of {@code POST /jobs}: at that instant some of its requests
 * have a QUEUED record and no publish yet, some are published and not yet answered, and its store route holds results
 * it has not written. No state is lost: every job answered 202 ends DONE, DEAD_LETTERED, EXPIRED or CANCELLED, and so
 * does every record the killed node wrote, answered or not; the surviving API node catches up from the results queue
 * and the store's sweep.
 *
 * <p>How the window is hit: several clients post without pause, so at any instant each has a request between its
 * record and its answer, and the no-op workers finish jobs as fast as they come, so the killed node's results consumer
 * always holds unacknowledged results. The kill comes once enough jobs were accepted, not after a sleep.
 */
class ApiNodeKilledIT {

    private static final String HELLO = "{\"language\":\"python\",\"code\":\"print(1)\"}";
    private static final int CLIENTS = 4;
    private static final int ACCEPTED_BEFORE_KILL = 60;
    private static final Set<String> ENDED = Set.of("DONE", "DEAD_LETTERED", "EXPIRED", "CANCELLED");
    /** How long a job may wait in the queue: a record whose job was never published expires after it. */
    private static final Duration QUEUE_TTL = Duration.ofSeconds(15);
    /**
     * When a QUEUED record whose job was never published (the node died between its record and its publish) ends:
     * its time in the queue, then the sweep's grace for a late "started" event (RecordSweeper.EXPIRY_GRACE, 60 s),
     * then a sweep, with room for a loaded machine.
     */
    private static final Duration ALL_ENDED = QUEUE_TTL.plusSeconds(60 + 45);

    @Test
    void everyAcceptedJobEndsWhenTheApiNodeIsKilledBetweenPublishAndPersist() throws Exception {
        try (TestTopology topology = new TestTopology(); TestDatabase database = TestDatabase.postgresql()) {
            Map<String, String> settings = new HashMap<>(database.properties());
            settings.put("caravan.queue.message-ttl", QUEUE_TTL.toSeconds() + "s");
            settings.put("caravan.store.sweep-interval", "2s");
            settings.put("caravan.engine", "noop");
            settings.put("caravan.environment", "development");
            settings.put("caravan.worker.concurrency", "2");
            try (CaravanApp survivor = CaravanApp.start(topology, settings)) {
                Map<String, String> apiOnly = new HashMap<>(settings);
                apiOnly.put("caravan.role", "api");
                try (WorkerProcess victim = WorkerProcess.start(topology, apiOnly)) {
                    await().atMost(Duration.ofSeconds(90)).ignoreExceptions()
                            .until(() -> victim.http().get("/languages").statusCode() == 200);
                    Burst burst = new Burst(victim.http());
                    burst.start();
                    await().atMost(Duration.ofSeconds(60)).until(() -> burst.accepted.size() >= ACCEPTED_BEFORE_KILL);
                    victim.killHard();
                    burst.stop();

                    List<String> accepted = new ArrayList<>(burst.accepted);
                    Map<String, String> records = await().atMost(ALL_ENDED).until(
                            () -> statuses(database), all -> all.values().stream().allMatch(ENDED::contains)
                                    && all.keySet().containsAll(accepted));
                    Map<String, Integer> acceptedByStatus = new TreeMap<>();
                    accepted.forEach(id -> acceptedByStatus.merge(records.get(id), 1, Integer::sum));
                    Map<String, Integer> allByStatus = new TreeMap<>();
                    records.values().forEach(status -> allByStatus.merge(status, 1, Integer::sum));
                    int ended = acceptedByStatus.entrySet().stream()
                            .filter(entry -> ENDED.contains(entry.getKey())).mapToInt(Map.Entry::getValue).sum();
                    System.out.printf("API node killed mid-burst: submitted %d, accepted (202) %d, refused %d,"
                            + " unanswered (connection cut) %d; accepted ended %s, lost %d; records the store holds %d"
                            + " (%d of them never answered), ended %s%n", burst.submitted.get(), accepted.size(),
                            burst.refused.get(), burst.unanswered.get(), acceptedByStatus, accepted.size() - ended,
                            records.size(), records.size() - accepted.size(), allByStatus);
                    assertEquals(accepted.size(), ended, "accepted jobs that did not end: " + acceptedByStatus);
                    assertTrue(survivor.http().get("/jobs/" + accepted.get(0)).statusCode() == 200);
                }
            }
        }
    }

    /** Every job record in the test's schema: id to status. */
    private static Map<String, String> statuses(TestDatabase database) throws SQLException {
        Map<String, String> statuses = new HashMap<>();
        try (Connection connection = DriverManager.getConnection(database.url(), database.username(), "");
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT id, status FROM " + database.schema() + ".job_records")) {
            while (rows.next()) {
                statuses.put(rows.getString(1), rows.getString(2));
            }
        }
        return statuses;
    }

    /** Clients that post jobs without pause until stopped, counting what each request got. */
    private static final class Burst {

        private final Http http;
        private final ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        private final AtomicBoolean running = new AtomicBoolean(true);
        final ConcurrentLinkedQueue<String> accepted = new ConcurrentLinkedQueue<>();
        final AtomicInteger submitted = new AtomicInteger();
        final AtomicInteger refused = new AtomicInteger();
        final AtomicInteger unanswered = new AtomicInteger();

        Burst(Http http) {
            this.http = http;
        }

        void start() {
            for (int i = 0; i < CLIENTS; i++) {
                clients.submit(() -> {
                    while (running.get()) {
                        submitted.incrementAndGet();
                        try {
                            HttpResponse<String> response = http.postJson("/jobs", HELLO);
                            if (response.statusCode() == 202) {
                                accepted.add(Http.json(response).get("id").asText());
                            } else {
                                refused.incrementAndGet();
                            }
                        } catch (RuntimeException cut) {
                            unanswered.incrementAndGet();
                        }
                    }
                });
            }
        }

        void stop() throws InterruptedException {
            running.set(false);
            clients.shutdown();
            assertTrue(clients.awaitTermination(60, TimeUnit.SECONDS));
        }
    }
}
