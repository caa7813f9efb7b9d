package dev.caravan.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caravan.config.StoreSettings;
import dev.caravan.contract.Callback;
import dev.caravan.contract.JobState;
import dev.caravan.contract.Json;
import dev.caravan.it.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The store's rules against both of its databases: the embedded H2 and PostgreSQL, each migrated by Flyway. */
class JobStoreIT {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    static Stream<String> backends() {
        return Stream.of("h2", "postgresql");
    }

    private interface StoreTest {
        void run(JobStore store) throws Exception;
    }

    private static void withStore(String backend, StoreTest test) throws Exception {
        try (TestDatabase database = backend.equals("h2") ? TestDatabase.h2() : TestDatabase.postgresql();
             StoreDatabase opened = StoreDatabase.open(new StoreSettings(database.url(), database.username(), "",
                     database.schema(), 2, Duration.ofDays(7), Duration.ofSeconds(30), 64))) {
            test.run(new JobStore(opened.dataSource()));
        }
    }

    private static String queued(JobStore store, Instant at, Callback callback) {
        String id = UUID.randomUUID().toString();
        store.insertQueued(new NewJob(id, "python", at, at.plus(Duration.ofMinutes(3)), callback));
        return id;
    }

    @ParameterizedTest
    @MethodSource("backends")
    void aRecordMovesForwardOnlyAndASecondResultIsIgnored(String backend) throws Exception {
        withStore(backend, store -> {
            String id = queued(store, T0, null);
            assertEquals(JobState.QUEUED, store.find(id).orElseThrow().status());
            assertTrue(store.markStarted(id, "worker-a", T0.plusSeconds(1)));
            assertTrue(store.recordFailedAttempt(id, "java.io.IOException: disk"));
            byte[] result = "{\"status\":\"ACCEPTED\"}".getBytes(StandardCharsets.UTF_8);
            assertTrue(store.finish(id, JobState.DONE, result, null, T0.plusSeconds(2)));
            assertFalse(store.finish(id, JobState.DEAD_LETTERED, null, "late", T0.plusSeconds(3)), "a second result");
            assertFalse(store.markStarted(id, "worker-b", T0.plusSeconds(4)), "a late start");
            JobRecord record = store.find(id).orElseThrow();
            assertEquals(JobState.DONE, record.status());
            assertEquals(2, record.attempts());
            assertEquals("worker-a", record.worker());
            assertEquals("java.io.IOException: disk", record.lastFailure());
            assertEquals("ACCEPTED", record.result().get("status").asText());
            assertEquals(T0.plusSeconds(1), record.startedAt());
            assertEquals(T0.plusSeconds(2), record.finishedAt());
            String json = new String(Json.write(record), StandardCharsets.UTF_8);
            assertTrue(json.contains("\"submitted_at\":\"2026-01-01T00:00:00Z\""), json);
        });
    }

    @ParameterizedTest
    @MethodSource("backends")
    void aStartThatArrivesAfterTheEndCompletesTheRecordOnce(String backend) throws Exception {
        withStore(backend, store -> {
            String id = queued(store, T0, null);
            assertTrue(store.finish(id, JobState.DONE, null, null, T0.plusSeconds(2)));
            assertFalse(store.markStarted(id, "worker-a", T0.plusSeconds(1)), "an ended job is not RUNNING again");
            assertTrue(store.completeLateStart(id, "worker-a", T0.plusSeconds(1)));
            assertFalse(store.completeLateStart(id, "worker-b", T0.plusSeconds(3)), "a second late start");
            JobRecord record = store.find(id).orElseThrow();
            assertEquals(JobState.DONE, record.status());
            assertEquals("worker-a", record.worker());
            assertEquals(1, record.attempts());
            assertEquals(T0.plusSeconds(1), record.startedAt());
            String expired = queued(store, T0, null);
            store.finish(expired, JobState.EXPIRED, null, "no worker took it", T0.plusSeconds(2));
            assertFalse(store.completeLateStart(expired, "worker-a", T0.plusSeconds(1)), "an expired job never ran");
        });
    }

    @ParameterizedTest
    @MethodSource("backends")
    void cancelDeleteAndRefuseByState(String backend) throws Exception {
        withStore(backend, store -> {
            String waiting = queued(store, T0, null);
            String running = queued(store, T0, null);
            String ended = queued(store, T0, null);
            store.markStarted(running, "w", T0);
            store.finish(ended, JobState.DONE, null, null, T0);
            assertEquals(JobStore.Removal.CANCELLED, store.cancelOrDelete(waiting, T0));
            assertFalse(store.markStarted(waiting, "w", T0), "a cancelled job is never marked running");
            assertEquals(JobState.CANCELLED, store.find(waiting).orElseThrow().status());
            assertEquals(JobStore.Removal.RUNNING, store.cancelOrDelete(running, T0));
            assertEquals(JobStore.Removal.DELETED, store.cancelOrDelete(ended, T0));
            assertTrue(store.find(ended).isEmpty());
            assertEquals(JobStore.Removal.NOT_FOUND, store.cancelOrDelete(ended, T0));
            List<JobRecord> listed = store.findAll(List.of(running, "unknown", waiting));
            assertEquals(running, listed.get(0).id());
            assertNull(listed.get(1));
            assertEquals(waiting, listed.get(2).id());
        });
    }

    @ParameterizedTest
    @MethodSource("backends")
    void callbacksKeepTheirHeadersAndAttempts(String backend) throws Exception {
        withStore(backend, store -> {
            Callback callback = new Callback("https://example.org/hook", Map.of("Authorization", "Bearer x"));
            String id = queued(store, T0, callback);
            assertEquals(callback, store.callback(id).orElseThrow());
            store.recordCallbackAttempt(id, 500, "HTTP 500", null);
            store.recordCallbackAttempt(id, 200, null, T0);
            JobRecord.CallbackDelivery delivery = store.find(id).orElseThrow().callback();
            assertEquals(2, delivery.attempts());
            assertEquals(200, delivery.lastStatus());
            assertNull(delivery.lastError());
            assertEquals(T0, delivery.deliveredAt());
            assertTrue(store.callback(queued(store, T0, null)).isEmpty());
        });
    }

    @ParameterizedTest
    @MethodSource("backends")
    void theSweepExpiresOverdueJobsAndDeletesOldRecordsInBatches(String backend) throws Exception {
        withStore(backend, store -> {
            Instant now = T0.plus(Duration.ofDays(30));
            List<String> old = new ArrayList<>();
            for (int i = 0; i < RecordSweeper.BATCH + 3; i++) {
                old.add(queued(store, T0, null));
            }
            Callback callback = new Callback("https://example.org/hook", Map.of());
            String overdue = queued(store, now.minus(Duration.ofMinutes(10)), callback);
            String fresh = queued(store, now.minusSeconds(1), null);
            List<String> calledBack = new ArrayList<>();
            RecordSweeper sweeper = new RecordSweeper(store, Duration.ofDays(7), calledBack::add,
                    Clock.fixed(now, ZoneOffset.UTC));
            RecordSweeper.Swept swept = sweeper.sweep();
            System.out.printf("%s sweep: %d expired (old ones included), %d deleted%n", backend, swept.expired(), swept.deleted());
            assertEquals(old.size(), swept.deleted());
            assertTrue(store.find(old.get(0)).isEmpty());
            assertEquals(JobState.EXPIRED, store.find(overdue).orElseThrow().status());
            assertEquals(List.of(overdue), calledBack.stream().filter(overdue::equals).toList());
            assertEquals(JobState.QUEUED, store.find(fresh).orElseThrow().status());
            assertEquals(1, store.queuedBefore(now));
            assertEquals(Arrays.asList(new RecordSweeper.Swept(0, 0)), List.of(sweeper.sweep()));
        });
    }
}
