package dev.caravan.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The broker goes away and comes back (rabbitmqctl stop_app / start_app) under a running API node and worker:
 * the API answers 503 while it is gone and 200 again after, with no operator action. It stops the machine's
 * shared broker, so it must not run beside other tests (Maven runs test classes one after another).
 */
class BrokerRestartIT {

    private static final String HELLO = "{\"language\":\"python\",\"code\":\"print(1)\"}";

    private static void rabbitmqctl(String command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("rabbitmqctl", "-q", command).inheritIO().start();
        if (process.waitFor() != 0) {
            throw new IllegalStateException("rabbitmqctl " + command + " failed");
        }
    }

    @Test
    void apiAndWorkerRecoverFromABrokerRestartByThemselves() throws Exception {
        try (TestTopology topology = new TestTopology();
             CaravanApp app = CaravanApp.start(topology, Map.of("caravan.execute.wait-timeout", "5s"))) {
            assertEquals(200, app.http().postJson("/execute", HELLO).statusCode());
            try {
                rabbitmqctl("stop_app");
                assertEquals(503, app.http().postJson("/execute", HELLO).statusCode());
            } finally {
                rabbitmqctl("start_app");
                rabbitmqctl("await_startup");
            }
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                    .until(() -> app.http().postJson("/execute", HELLO).statusCode() == 200);
        }
    }
}
