package dev.caravan.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import dev.caravan.callbacks.CallbackSigner;
import dev.caravan.store.JobStore;
import dev.caravan.store.NewJob;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Jobs that outlive the request, end to end: HTTP, the real broker, a worker, the PostgreSQL store and a real
 * callback receiver on loopback.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JobsApiIT {

    private static final String SECRET = "it-secret";
    private static final String HELLO = "{\"language\":\"python\",\"code\":\"print(input())\",\"tests\":[{\"input\":\"hi\\n\",\"expected_output\":\"hi\\n\"}]}";
    private static final Duration WAIT = Duration.ofSeconds(30);

    private TestTopology topology;
    private TestDatabase database;
    private CallbackReceiver receiver;
    private CaravanApp app;

    @BeforeAll
    void start() {
        topology = new TestTopology();
        database = TestDatabase.postgresql();
        receiver = new CallbackReceiver();
        Map<String, String> settings = new HashMap<>(database.properties());
        settings.put("caravan.worker.concurrency", "2");
        settings.put("caravan.callbacks.secret", SECRET);
        settings.put("caravan.callbacks.allow-private", "true");
        settings.put("caravan.callbacks.retry-delay", "100ms");
        settings.put("caravan.callbacks.max-attempts", "4");
        app = CaravanApp.start(topology, settings);
    }

    @AfterAll
    void stop() {
        app.close();
        topology.close();
        receiver.close();
        database.close();
    }

    private static String withCallback(String job, String url, String headers) {
        return job.substring(0, job.length() - 1) + ",\"callback\":{\"url\":\"" + url + "\",\"headers\":" + headers + "}}";
    }

    private JsonNode submit(String json) {
        HttpResponse<String> response = app.http().postJson("/jobs", json);
        assertEquals(202, response.statusCode(), response.body());
        JsonNode accepted = Http.json(response);
        assertEquals("/jobs/" + accepted.get("id").asText(), response.headers().firstValue("location").orElse(null));
        assertEquals("QUEUED", accepted.get("status").asText());
        assertTrue(Instant.parse(accepted.get("submitted_at").asText()).isBefore(Instant.now().plusSeconds(1)));
        return accepted;
    }

    private JsonNode job(String id) {
        HttpResponse<String> response = app.http().get("/jobs/" + id);
        assertEquals(200, response.statusCode(), response.body());
        return Http.json(response);
    }

    private JsonNode awaitStatus(String id, String status) {
        return await().atMost(WAIT).until(() -> job(id), record -> status.equals(record.get("status").asText()));
    }

    private double ignoredEvents() {
        return Http.metric(app.http().get("/observe/metrics").body(), "caravan_store_events_ignored_total");
    }

    private CamelContext camel() {
        return app.main().getCamelContext();
    }

    @Test
    void aJobRunsAndItsSignedCallbackCarriesTheRecordAndTheCallersHeaders() throws Exception {
        String id = submit(withCallback(HELLO, receiver.url("/signed"), "{\"X-Token\":\"t-1\"}")).get("id").asText();
        JsonNode done = awaitStatus(id, "DONE");
        assertEquals("ACCEPTED", done.get("result").get("status").asText(), done.toString());
        assertEquals(id, done.get("result").get("id").asText());
        assertEquals(1, done.get("attempts").asInt());
        assertTrue(done.get("worker").asText().startsWith("caravan-all@"), done.toString());
        assertFalse(done.get("started_at").isNull());
        assertFalse(done.get("finished_at").isNull());

        CallbackReceiver.Received call = await().atMost(WAIT).until(() -> receiver.received("/signed"), r -> !r.isEmpty()).get(0);
        assertEquals(new CallbackSigner(SECRET).signature(call.body()), call.headers().getFirst("Caravan-Signature"));
        assertEquals("t-1", call.headers().getFirst("X-Token"));
        assertEquals("application/json", call.headers().getFirst("Content-Type"));
        JsonNode posted = new ObjectMapper().readTree(call.body());
        assertEquals(id, posted.get("id").asText());
        assertEquals("DONE", posted.get("status").asText());
        JsonNode callback = await().atMost(WAIT).until(() -> job(id).get("callback"), c -> !c.get("delivered_at").isNull());
        assertEquals(1, callback.get("attempts").asInt());
        assertEquals(200, callback.get("last_status").asInt());
    }

    @Test
    void aFailingCallbackIsRetriedWithGrowingDelaysAndEachAttemptIsKept() {
        receiver.answer("/flaky", 500, 503, 500);
        String id = submit(withCallback(HELLO, receiver.url("/flaky"), "{}")).get("id").asText();
        JsonNode callback = await().atMost(WAIT).until(() -> job(id).get("callback"),
                c -> c != null && !c.get("delivered_at").isNull());
        assertEquals(4, callback.get("attempts").asInt(), callback.toString());
        assertEquals(200, callback.get("last_status").asInt());
        List<CallbackReceiver.Received> calls = receiver.received("/flaky");
        assertEquals(4, calls.size());
        long first = (calls.get(1).atNanos() - calls.get(0).atNanos()) / 1_000_000;
        long last = (calls.get(3).atNanos() - calls.get(2).atNanos()) / 1_000_000;
        System.out.printf("callback retry gaps: first %d ms, third %d ms (100 ms doubling, jittered)%n", first, last);
        assertTrue(last > first, "backoff grows: " + first + " ms then " + last + " ms");
    }

    @Test
    void aCallbackThatNeverSucceedsIsGivenUpAfterMaxAttempts() {
        receiver.answer("/dead", 500, 500, 500, 500, 500, 500);
        String id = submit(withCallback(HELLO, receiver.url("/dead"), "{}")).get("id").asText();
        JsonNode callback = await().atMost(WAIT).until(() -> job(id).get("callback"), c -> c != null && c.get("attempts").asInt() == 4);
        assertTrue(callback.get("delivered_at").isNull());
        assertEquals(500, callback.get("last_status").asInt());
        assertEquals("HTTP 500", callback.get("last_error").asText());
        assertEquals("DONE", job(id).get("status").asText(), "a failed callback never touches the job");
    }

    @Test
    void anExecuteJobHasARecordToo() {
        HttpResponse<String> response = app.http().postJson("/execute", HELLO);
        assertEquals(200, response.statusCode(), response.body());
        String id = Http.json(response).get("id").asText();
        JsonNode record = awaitStatus(id, "DONE");
        assertEquals("ACCEPTED", record.get("result").get("status").asText());
        assertTrue(record.get("callback") == null, "no callback was asked for");
    }

    @Test
    void aBatchAnswersPerElementInOrderAndIdsListInOrder() {
        HttpResponse<String> response = app.http().postJson("/jobs/batch", "{\"jobs\":[" + HELLO
                + ",{\"language\":\"cobol\",\"code\":\"x\"}," + withCallback(HELLO, "ftp://example.org/", "{}") + "," + HELLO + "]}");
        assertEquals(202, response.statusCode(), response.body());
        JsonNode answers = Http.json(response);
        assertEquals(4, answers.size());
        assertEquals("jobs[1].language", answers.get(1).get("field").asText());
        assertEquals("jobs[2].callback.url", answers.get(2).get("field").asText());
        String first = answers.get(0).get("id").asText();
        String last = answers.get(3).get("id").asText();
        awaitStatus(first, "DONE");
        awaitStatus(last, "DONE");
        JsonNode listed = Http.json(app.http().get("/jobs?ids=" + last + ",no-such-job," + first));
        assertEquals(last, listed.get(0).get("id").asText());
        assertTrue(listed.get(1).isNull());
        assertEquals(first, listed.get(2).get("id").asText());

        // the operator's page lists the newest records
        JsonNode recent = Http.json(app.http().get("/jobs?limit=2"));
        assertEquals(2, recent.size(), recent::toString);
        assertTrue(recent.get(0).get("submitted_at").asText().compareTo(recent.get(1).get("submitted_at").asText()) >= 0,
                "newest first: " + recent);
        HttpResponse<String> badLimit = app.http().get("/jobs?limit=0");
        assertEquals(400, badLimit.statusCode(), badLimit.body());
        assertEquals("limit", Http.json(badLimit).get("field").asText());

        HttpResponse<String> tooMany = app.http().postJson("/jobs/batch", "{\"jobs\":[]}");
        assertEquals(400, tooMany.statusCode());
        assertEquals("jobs", Http.json(tooMany).get("field").asText());
    }

    @Test
    void badJobsAndUnknownIdsAreRefusedWithJson() {
        HttpResponse<String> reserved = app.http().postJson("/jobs", withCallback(HELLO, receiver.url("/x"), "{\"Content-Type\":\"text/plain\"}"));
        assertEquals(400, reserved.statusCode());
        assertEquals("callback.headers.Content-Type", Http.json(reserved).get("field").asText());
        HttpResponse<String> unknownField = app.http().postJson("/jobs", HELLO.replace("{\"language\"", "{\"colour\":1,\"language\""));
        assertEquals(400, unknownField.statusCode());
        assertEquals("colour", Http.json(unknownField).get("field").asText());
        HttpResponse<String> unknown = app.http().get("/jobs/" + UUID.randomUUID());
        assertEquals(404, unknown.statusCode());
        assertTrue(Http.json(unknown).get("error").asText().contains("no job"));
        assertEquals(404, app.http().send("DELETE", "/jobs/" + UUID.randomUUID(), null, null).statusCode());
        assertEquals(400, app.http().get("/jobs").statusCode());
    }

    @Test
    void anEndedJobIsDeletedAndARunningOneCannotBe() {
        String ended = submit(HELLO).get("id").asText();
        awaitStatus(ended, "DONE");
        assertEquals(204, app.http().send("DELETE", "/jobs/" + ended, null, null).statusCode());
        assertEquals(404, app.http().get("/jobs/" + ended).statusCode());

        String slow = submit("{\"language\":\"python\",\"code\":\"import time\\ntime.sleep(3)\"}").get("id").asText();
        awaitStatus(slow, "RUNNING");
        HttpResponse<String> refused = app.http().send("DELETE", "/jobs/" + slow, null, null);
        assertEquals(409, refused.statusCode(), refused.body());
        assertTrue(Http.json(refused).get("error").asText().contains("running"));
        awaitStatus(slow, "DONE");
    }

    @Test
    void aCancelledJobIsSkippedByTheWorkerThatReceivesIt() throws Exception {
        camel().getRouteController().stopRoute("worker");
        String id;
        try {
            id = submit(withCallback(HELLO, receiver.url("/cancelled"), "{}")).get("id").asText();
            JsonNode queued = job(id);
            assertEquals("QUEUED", queued.get("status").asText());
            assertEquals(0, queued.get("queue").get("consumers").asInt(), queued.toString());
            assertTrue(queued.get("queue").get("jobs_ahead").asInt() >= 0);
            HttpResponse<String> cancelled = app.http().send("DELETE", "/jobs/" + id, null, null);
            assertEquals(200, cancelled.statusCode(), cancelled.body());
            assertEquals("CANCELLED", Http.json(cancelled).get("status").asText());
        } finally {
            camel().getRouteController().startRoute("worker");
        }
        double ignoredBefore = ignoredEvents();
        await().atMost(WAIT).until(() -> topology.messageCount(topology.executeQueue()) == 0);
        // A later job ending proves the worker got past the cancelled one.
        awaitStatus(submit(HELLO).get("id").asText(), "DONE");
        JsonNode record = job(id);
        assertEquals("CANCELLED", record.get("status").asText());
        assertTrue(record.get("started_at").isNull(), record.toString());
        assertEquals(ignoredBefore, ignoredEvents(), "the worker skipped it, so it reported no start");
        await().atMost(WAIT).until(() -> receiver.received("/cancelled").size() == 1);
    }

    @Test
    void aSecondResultForTheSameJobIsIgnoredAndCounted() throws Exception {
        String id = submit(HELLO).get("id").asText();
        JsonNode done = awaitStatus(id, "DONE");
        double before = ignoredEvents();
        AMQP.BasicProperties duplicate = new AMQP.BasicProperties.Builder().messageId(id)
                .headers(Map.of("x-caravan-event", "FINISHED", "x-caravan-state", "DEAD_LETTERED",
                        "x-caravan-worker", "impostor", "x-caravan-at", System.currentTimeMillis())).build();
        withChannel(channel -> channel.basicPublish(topology.exchange() + ".results", "result", duplicate, new byte[0]));
        await().atMost(WAIT).until(() -> ignoredEvents() == before + 1);
        JsonNode after = job(id);
        assertEquals("DONE", after.get("status").asText());
        assertEquals(done.get("result"), after.get("result"));
        System.out.printf("duplicate result: 1 published, %.0f ignored, record still %s%n",
                ignoredEvents() - before, after.get("status").asText());
    }

    @Test
    void aJobTheWorkerCannotRunEndsDeadLetteredWithItsReason() throws Exception {
        String id = UUID.randomUUID().toString();
        Instant now = Instant.now();
        camel().getRegistry().lookupByNameAndType("jobStore", JobStore.class)
                .insertQueued(new NewJob(id, "python", now, now.plusSeconds(60), null));
        AMQP.BasicProperties poison = new AMQP.BasicProperties.Builder().messageId(id).deliveryMode(2)
                .headers(Map.of("x-caravan-job-version", 99)).build();
        withChannel(channel -> channel.basicPublish(topology.exchange(), "execute", poison, "{}".getBytes(StandardCharsets.UTF_8)));
        JsonNode record = awaitStatus(id, "DEAD_LETTERED");
        assertTrue(record.get("last_failure").asText().startsWith("poison"), record.toString());
        assertTrue(record.get("result").isNull());
    }

    private interface ChannelWork {
        void run(Channel channel) throws Exception;
    }

    private static void withChannel(ChannelWork work) throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("localhost");
        try (Connection connection = factory.newConnection("jobs-it"); Channel channel = connection.createChannel()) {
            work.run(channel);
        }
    }
}
