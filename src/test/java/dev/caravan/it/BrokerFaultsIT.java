package dev.caravan.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caravan.load.JobLoad;
import java.io.IOException;
import java.time.Duration;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Faults of the broker itself, under a running API node and worker: it goes away and comes back, or stops
 * taking publishes. These disturb the machine's shared broker, so they must not run beside other tests
 * (Maven runs test classes one after another).
 */
class BrokerFaultsIT {

    private static final String HELLO = "{\"language\":\"python\",\"code\":\"print(1)\"}";

    private static void rabbitmqctl(String command) throws IOException, InterruptedException {
        rabbitmqctl(new String[] {command});
    }

    private static void rabbitmqctl(String... command) throws IOException, InterruptedException {
        List<String> line = new ArrayList<>(List.of("rabbitmqctl", "-q"));
        line.addAll(List.of(command));
        Process process = new ProcessBuilder(line).inheritIO().start();
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", line) + " failed");
        }
    }

    @Test
    void aPublishTheBrokerDoesNotConfirmIs503AndTheJobExpiresUnrun() throws Exception {
        try (TestTopology topology = new TestTopology();
             CaravanApp api = CaravanApp.start(topology, Map.of("caravan.role", "api",
                     "caravan.execute.confirm-timeout", "1s", "caravan.execute.wait-timeout", "3s"))) {
            HttpResponse<String> response;
            try {
                // A memory alarm makes the broker stop reading from publishers: nothing gets confirmed.
                rabbitmqctl("set_vm_memory_high_watermark", "absolute", "1");
                response = api.http().postJson("/execute", HELLO);
            } finally {
                rabbitmqctl("set_vm_memory_high_watermark", "0.4");
            }
            assertEquals(503, response.statusCode(), response.body());
            assertTrue(Http.json(response).get("error").asText().contains("did not confirm"), response.body());
            assertEquals("1", response.headers().firstValue("Retry-After").orElse(null));
            // Once the broker reads again the job it held in doubt is not run late: it expires with its caller.
            await().atMost(Duration.ofSeconds(20)).until(() -> topology.messageCount(topology.deadLetterQueue()) == 1);
            assertEquals(0, topology.messageCount(topology.executeQueue()));
        }
    }

    @Test
    void apiAndWorkerRecoverFromABrokerRestartMidLoadByThemselves() throws Exception {
        try (TestTopology topology = new TestTopology();
             CaravanApp app = CaravanApp.start(topology, Map.of("caravan.execute.wait-timeout", "5s"))) {
            CountDownLatch underWay = new CountDownLatch(20);
            CompletableFuture<JobLoad.Tally> load = CompletableFuture.supplyAsync(() ->
                    JobLoad.run("http://localhost:" + app.port(), 300, 4, done -> underWay.countDown()));
            assertTrue(underWay.await(60, TimeUnit.SECONDS), "the load got going");
            try {
                rabbitmqctl("stop_app");
                assertEquals(503, app.http().postJson("/execute", HELLO).statusCode());
            } finally {
                rabbitmqctl("start_app");
                rabbitmqctl("await_startup");
            }
            JobLoad.Tally tally = load.join();
            System.out.println("broker restart mid-load: " + tally.line());
            // Jobs submitted while the broker was away were refused (503, nothing queued); jobs whose reply was
            // lost with it timed out (504, and they expire unrun or ran); none went unanswered.
            assertEquals(0, tally.lost(), tally.line());
            assertEquals(0, tally.otherFailures(), tally.line());
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                    .until(() -> app.http().postJson("/execute", HELLO).statusCode() == 200);
        }
    }
}
