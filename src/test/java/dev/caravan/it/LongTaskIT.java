package dev.caravan.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import dev.caravan.worker.TaskWorker;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A task longer than the broker's consumer timeout: a broker node of the test's own with {@code consumer_timeout =
 * 15000}, a 40 s task, two GPU slots. The task must end DONE once, never run on both slots at once; a plain consumer
 * holding a message as long is cut off by the same broker, so the timeout is real.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LongTaskIT {

    private static final int PORT = 5710;
    private static final String TYPES = """
            tasks:
              - id: long
                command: [/usr/bin/python3, -c, "import sys, time; time.sleep(float(sys.argv[1])); print('slept')", "{seconds}"]
                params:
                  seconds: {type: number, minimum: 0, maximum: 120}
                resources: {gpus: 1}
                timeout: 2m
            """;

    private ExtraBroker broker;
    private TestTopology topology;
    private TestDatabase database;
    private CaravanApp app;
    private Path types;

    @BeforeAll
    void start() throws Exception {
        broker = ExtraBroker.start("caravan14-lt", PORT, List.of("consumer_timeout = 15000"));
        topology = new TestTopology("localhost:" + PORT);
        database = TestDatabase.h2();
        types = Files.createTempFile("caravan-long-tasks-", ".yaml");
        Files.writeString(types, TYPES);
        Map<String, String> settings = new HashMap<>(database.properties());
        settings.put("caravan.broker.port", String.valueOf(PORT));
        settings.put("caravan.worker.concurrency", "1");
        settings.put("caravan.tasks.file", types.toString());
        settings.put("caravan.worker.gpus", "0,1");
        settings.put("caravan.worker.cpu-tasks", "0");
        settings.put("caravan.tasks.lease-renewal", "5s");
        // a GPU machine that runs tasks only
        settings.put("caravan.worker.judge-jobs", "false");
        app = CaravanApp.start(topology, settings);
    }

    @AfterAll
    void stop() throws Exception {
        if (app != null) {
            app.close();
        }
        if (topology != null) {
            topology.close();
        }
        if (database != null) {
            database.close();
        }
        Files.deleteIfExists(types);
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void aTaskLongerThanTheConsumerTimeoutRunsOnceToItsEnd() throws Exception {
        AtomicInteger cutOff = new AtomicInteger();
        try (Connection control = plainConsumerHoldingAMessage(cutOff)) {
            HttpResponse<String> accepted = app.http().postJson("/tasks/long?async=true", "{\"params\":{\"seconds\":40}}");
            assertEquals(202, accepted.statusCode(), accepted.body());
            String id = Http.json(accepted).get("id").asText();
            TaskWorker worker = app.main().getCamelContext().getRegistry().findSingleByType(TaskWorker.class);
            assertNull(app.main().getCamelContext().getRoute("worker"), "a worker with judge-jobs=false consumes judge jobs");

            AtomicInteger mostAtOnce = new AtomicInteger();
            // sampled while it runs: which slots hold the task now
            JsonNode record = await().atMost(Duration.ofSeconds(100)).pollInterval(Duration.ofMillis(200)).until(() -> {
                int running = (int) worker.slots().stream().filter(slot -> id.equals(slot.current().get())).count();
                mostAtOnce.accumulateAndGet(running, Math::max);
                return Http.json(app.http().get("/jobs/" + id));
            }, r -> "DONE".equals(r.get("status").asText()));

            assertEquals(1, mostAtOnce.get(), "slots running the task at once");
            assertEquals("DONE", record.at("/result/verdict").asText(), record.toString());
            assertTrue(record.at("/result/wall_time_ms").asLong() >= 40_000, record.toString());
            long runs = worker.slots().stream().mapToLong(slot -> slot.tasks().count()).sum();
            assertEquals(1, runs, "runs of the task that ended");
            assertEquals(1, cutOff.get(), "the plain consumer holding a message past consumer_timeout was not cut off");
        }
    }

    /** A consumer that never acks: the broker closes its channel after consumer_timeout, proving the limit is on. */
    private static Connection plainConsumerHoldingAMessage(AtomicInteger cutOff) throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setPort(PORT);
        Connection connection = factory.newConnection("long-task-it-control");
        Channel channel = connection.createChannel();
        String queue = channel.queueDeclare().getQueue();
        channel.basicPublish("", queue, null, "hold me".getBytes());
        channel.addShutdownListener(signal -> cutOff.incrementAndGet());
        channel.basicConsume(queue, false, new DefaultConsumer(channel));
        return Objects.requireNonNull(connection);
    }
}
