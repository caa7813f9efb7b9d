package dev.caravan.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import dev.caravan.queue.JobEvent;
import dev.caravan.queue.JobEventQueues;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A job the broker dead-letters itself (its TTL ran out in the queue, or it passed its delivery limit after the workers
 * holding it died) has no worker left to report its end. The results queue's copy of every dead letter ends its record
 * at once — a RUNNING one too, which the store's sweep never ends — instead of leaving it open.
 */
class BrokerDeadLetteredRecordsIT {

    private static final String JOB = "{\"language\":\"python\",\"code\":\"print(1)\",\"tests\":[{\"input\":\"\"}]}";
    /** The sweep ends a QUEUED record only a minute after its expiry (RecordSweeper): the dead letter must be sooner. */
    private static final Duration ENDED_WITHIN = Duration.ofSeconds(40);

    @Test
    void aJobTheBrokerExpiresEndsItsRecordEvenAfterAWorkerStartedIt() throws Exception {
        try (TestTopology topology = new TestTopology(); TestDatabase database = TestDatabase.h2()) {
            Map<String, String> settings = new HashMap<>(database.properties());
            // an API/store node and no worker: nothing takes the jobs, so the broker expires them
            settings.put("caravan.role", "api");
            settings.put("caravan.queue.message-ttl", "8s");
            settings.put("caravan.execute.wait-timeout", "2s");
            try (CaravanApp app = CaravanApp.start(topology, settings)) {
                String queued = submit(app);
                String started = submit(app);
                // a worker took it, reported its start, and died; its redelivery then expired in the queue
                reportStarted(topology, started);
                await().atMost(Duration.ofSeconds(6)).until(() -> status(app, started).equals("RUNNING"));

                for (String id : new String[] {queued, started}) {
                    JsonNode record = await().atMost(ENDED_WITHIN).until(() -> Http.json(app.http().get("/jobs/" + id)),
                            r -> !r.get("status").asText().equals("QUEUED") && !r.get("status").asText().equals("RUNNING"));
                    assertEquals("EXPIRED", record.get("status").asText(), record.toString());
                    assertTrue(record.get("last_failure").asText().contains("expired"), record.toString());
                }
                assertEquals(2, topology.messageCount(topology.deadLetterQueue()), "both also wait in the dead-letter queue");
            }
        }
    }

    private static String submit(CaravanApp app) {
        HttpResponse<String> accepted = app.http().postJson("/jobs", JOB);
        assertEquals(202, accepted.statusCode(), accepted.body());
        return Http.json(accepted).get("id").asText();
    }

    private static String status(CaravanApp app, String id) {
        return Http.json(app.http().get("/jobs/" + id)).get("status").asText();
    }

    /** The "started" event a worker publishes (queue.JobEventPublisher), sent by hand. */
    private static void reportStarted(TestTopology topology, String jobId) throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("localhost");
        try (Connection connection = factory.newConnection(); Channel channel = connection.createChannel()) {
            AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder().messageId(jobId).deliveryMode(2)
                    .headers(Map.of(JobEvent.KIND, JobEvent.Kind.STARTED.name(), JobEvent.WORKER, "a-worker-that-died",
                            JobEvent.AT, System.currentTimeMillis()))
                    .build();
            channel.basicPublish(topology.exchange() + ".results", JobEventQueues.RESULT_ROUTING_KEY, properties, new byte[0]);
        }
    }
}
