package dev.caravan.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.GetResponse;
import dev.caravan.config.StartupRefusedException;
import dev.caravan.worker.WorkerStats;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/** What a client sees, and where the job ends up, when the machinery rather than the program fails. */
class InfrastructureFailureIT {

    private static final String HELLO = "{\"language\":\"python\",\"code\":\"print(1)\"}";

    @Test
    void aJobThatKeepsFailingIsRetriedDeadLetteredAndAnsweredWith500() throws Exception {
        try (TestTopology topology = new TestTopology();
             CaravanApp app = CaravanApp.start(topology, Map.of(
                     "caravan.chaos.failure-rate", "1",
                     "caravan.worker.max-attempts", "3",
                     "caravan.worker.retry-delay", "20ms"))) {
            HttpResponse<String> response = app.http().postJson("/execute", HELLO);

            assertEquals(500, response.statusCode(), response.body());
            JsonNode body = Http.json(response);
            assertEquals("INTERNAL_ERROR", body.get("status").asText());
            String id = body.get("id").asText();
            assertTrue(body.get("error").asText().contains("failed 3 times"), response.body());

            GetResponse parked = topology.take(topology.deadLetterQueue());
            assertNotNull(parked, "the job must be on the dead-letter queue");
            JsonNode job = new ObjectMapper().readTree(parked.getBody());
            assertEquals(id, job.get("id").asText(), "the parked message is the original job");
            assertEquals("print(1)", job.get("code").asText());
            Map<String, Object> why = parked.getProps().getHeaders();
            assertEquals("dev.caravan.engine.EngineFailure", why.get("x-caravan-reason").toString());
            assertTrue(why.get("x-caravan-exception").toString().contains("injected failure"));
            assertEquals(3, ((Number) why.get("x-caravan-attempts")).intValue());
            assertTrue(why.get("x-caravan-worker").toString().startsWith("caravan-all@"));
            assertNotNull(why.get("x-caravan-dead-lettered-at"));
            assertEquals(null, parked.getProps().getReplyTo(), "a parked job must not answer anyone");
            assertEquals(null, parked.getProps().getExpiration(), "a parked job must not expire");
            assertEquals(0, topology.messageCount(topology.executeQueue()));
        }
    }

    @Test
    void noReplyInTimeIs504NamingTheJobWhichExpiresWithItsCallerIntoTheDeadLetterQueue() throws Exception {
        try (TestTopology topology = new TestTopology();
             CaravanApp api = CaravanApp.start(topology, Map.of("caravan.role", "api", "caravan.execute.wait-timeout", "700ms"))) {
            HttpResponse<String> response = api.http().send("POST", "/execute", "application/json; charset=utf-8", HELLO);

            assertEquals(504, response.statusCode(), response.body());
            String id = Http.json(response).get("id").asText();
            GetResponse expired = await().atMost(Duration.ofSeconds(15))
                    .until(() -> topology.take(topology.deadLetterQueue()), Objects::nonNull);
            assertEquals("expired", expired.getProps().getHeaders().get("x-first-death-reason").toString());
            assertEquals(id, expired.getProps().getMessageId());
            assertEquals(2, expired.getProps().getDeliveryMode(), "jobs are persistent");
            assertEquals("application/json", expired.getProps().getContentType());
            // Only Caravan's own x- headers, the broker's x-death ones and Spring's confirm correlation: no HTTP header.
            expired.getProps().getHeaders().keySet().forEach(name -> assertTrue(
                    name.startsWith("x-") || name.equals("spring_returned_message_correlation"), "leaked header: " + name));
            assertEquals(id, new ObjectMapper().readTree(expired.getBody()).get("id").asText());
            assertEquals(0, topology.messageCount(topology.executeQueue()));
        }
    }

    @Test
    void aJobWhoseCallerLeftIsDeadLetteredAsExpiredNotRunWhenAWorkerComesBack() {
        try (TestTopology topology = new TestTopology()) {
            String id;
            try (CaravanApp api = CaravanApp.start(topology, Map.of("caravan.role", "api", "caravan.execute.wait-timeout", "2s"))) {
                HttpResponse<String> response = api.http().postJson("/execute", HELLO);
                assertEquals(504, response.statusCode(), response.body());
                id = Http.json(response).get("id").asText();
            }
            try (CaravanApp worker = CaravanApp.start(topology, Map.of("caravan.role", "worker"))) {
                GetResponse parked = await().atMost(Duration.ofSeconds(15))
                        .until(() -> topology.take(topology.deadLetterQueue()), Objects::nonNull);
                Map<String, Object> why = parked.getProps().getHeaders();
                String reason = String.valueOf(why.getOrDefault("x-caravan-reason", why.get("x-first-death-reason")));
                assertEquals("expired", reason, why.toString());
                assertEquals(id, parked.getProps().getMessageId());
                assertEquals(0, worker.main().getCamelContext().getRegistry().findSingleByType(WorkerStats.class).completed(),
                        "an expired job must not run");
            }
        }
    }

    @Test
    void poisonMessagesGoStraightToTheDeadLetterQueue() throws Exception {
        try (TestTopology topology = new TestTopology();
             CaravanApp worker = CaravanApp.start(topology, Map.of("caravan.role", "worker"))) {
            topology.publishJob("{\"this is\": \"not a job\"}", Map.of("x-caravan-job-version", 1));
            topology.publishJob(HELLO, Map.of("x-caravan-job-version", 99));

            for (int i = 0; i < 2; i++) {
                GetResponse parked = await().atMost(Duration.ofSeconds(10))
                        .until(() -> topology.take(topology.deadLetterQueue()), Objects::nonNull);
                assertEquals("poison", parked.getProps().getHeaders().get("x-caravan-reason").toString());
                assertEquals(1, ((Number) parked.getProps().getHeaders().get("x-caravan-attempts")).intValue(),
                        "poison is never retried");
            }
            assertEquals(0, worker.main().getCamelContext().getRegistry().findSingleByType(WorkerStats.class).retriedCount());
        }
    }

    @Test
    void aFullQueueRefusesTheJobAt503WithRetryAfter() {
        try (TestTopology topology = new TestTopology();
             CaravanApp api = CaravanApp.start(topology, Map.of(
                     "caravan.role", "api", "caravan.queue.max-length", "2", "caravan.execute.wait-timeout", "5s"))) {
            // RabbitMQ 3.10's quorum queues take one message past x-max-length before they refuse.
            int admitted = 3;
            List<CompletableFuture<HttpResponse<String>>> waiting = new ArrayList<>();
            for (int i = 1; i <= admitted; i++) {
                waiting.add(CompletableFuture.supplyAsync(() -> api.http().postJson("/execute", HELLO)));
                int queued = i;
                await().atMost(Duration.ofSeconds(5)).until(() -> topology.messageCount(topology.executeQueue()) == queued);
            }

            HttpResponse<String> refused = api.http().postJson("/execute", HELLO);

            assertEquals(503, refused.statusCode(), refused.body());
            assertEquals("1", refused.headers().firstValue("Retry-After").orElse(null));
            assertTrue(Http.json(refused).get("error").asText().contains("refused the job"), refused.body());
            assertEquals(admitted, topology.messageCount(topology.executeQueue()), "the refused job is not left behind");
            waiting.forEach(answer -> assertEquals(504, answer.join().statusCode()));
        }
    }

    @Test
    void aQueueLeftDeclaredDifferentlyStopsStartUpNamingIt() {
        try (TestTopology topology = new TestTopology()) {
            topology.declareClassicExecuteQueue();
            RuntimeException refused = assertThrows(RuntimeException.class, () -> CaravanApp.start(topology, Map.of()).close());
            Throwable cause = refused;
            while (!(cause instanceof StartupRefusedException) && cause.getCause() != null) {
                cause = cause.getCause();
            }
            assertTrue(cause instanceof StartupRefusedException, refused.toString());
            assertTrue(cause.getMessage().contains(topology.executeQueue()), cause.getMessage());
            assertTrue(cause.getMessage().contains("inequivalent arg"), cause.getMessage());
        }
    }

    @Test
    void anUnreachableBrokerIs503() {
        try (TestTopology topology = new TestTopology();
             CaravanApp api = CaravanApp.start(topology, Map.of("caravan.role", "api", "caravan.broker.port", String.valueOf(FreePorts.next())))) {
            HttpResponse<String> response = api.http().postJson("/execute", HELLO);

            assertEquals(503, response.statusCode(), response.body());
            assertTrue(Http.json(response).get("error").asText().contains("broker is unavailable"));
        }
    }
}
