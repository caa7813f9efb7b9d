package dev.caravan.it;

import static org.awaitility.Awaitility.await;
import static dev.caravan.it.Http.metric;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Metrics and health as Prometheus and a load balancer see them, against the real broker. */
class ObservabilityIT {

    @Test
    void jobsVerdictsRetriesDeadLettersAndTheQueueAreMeasured() {
        try (TestTopology topology = new TestTopology();
             CaravanApp app = CaravanApp.start(topology, Map.of("caravan.worker.concurrency", "1"))) {
            Http http = app.http();
            assertEquals(200, http.postJson("/execute", "{\"language\":\"python\",\"code\":\"print(1)\","
                    + "\"tests\":[{\"input\":\"\",\"expected_output\":\"1\"}]}").statusCode());
            assertEquals(200, http.postJson("/execute", "{\"language\":\"python\",\"code\":\"print(1/0)\"}").statusCode());
            assertEquals(400, http.postJson("/execute", "{}").statusCode());

            String scrape = http.get("/observe/metrics").body();
            assertEquals(2, metric(scrape, "caravan_jobs_submitted_total"));
            assertEquals(1, metric(scrape, "caravan_jobs_completed_total\\{language=\"python\",verdict=\"ACCEPTED\"}"));
            assertEquals(1, metric(scrape, "caravan_jobs_completed_total\\{language=\"python\",verdict=\"RUNTIME_ERROR\"}"));
            assertEquals(2, metric(scrape, "caravan_job_processing_seconds_count"));
            assertEquals(2, metric(scrape, "caravan_job_queue_wait_seconds_count"));
            assertEquals(2, metric(scrape, "caravan_sandbox_execution_seconds_count"));
            assertEquals(0, metric(scrape, "caravan_jobs_in_flight"));
            assertEquals(0, metric(scrape, "caravan_execute_queue_depth"));
            assertEquals(0, metric(scrape, "caravan_sandbox_slots_out_of_service"));
            assertEquals(1, metric(scrape, "caravan_execute_queue_consumers"));
            assertEquals(2, metric(scrape, "caravan_api_responses_total\\{route=\"execute\",status=\"200\"}"));
            assertEquals(1, metric(scrape, "caravan_api_responses_total\\{route=\"execute\",status=\"400\"}"));
        }
    }

    @Test
    void failuresAreCountedByKindAndDeadLettersByReason() {
        try (TestTopology topology = new TestTopology();
             CaravanApp app = CaravanApp.start(topology, Map.of("caravan.chaos.failure-rate", "1",
                     "caravan.worker.max-attempts", "2", "caravan.worker.retry-delay", "10ms"))) {
            assertEquals(500, app.http().postJson("/execute", "{\"language\":\"python\",\"code\":\"print(1)\"}").statusCode());
            String scrape = app.http().get("/observe/metrics").body();
            assertEquals(2, metric(scrape, "caravan_jobs_failed_total"));
            assertEquals(1, metric(scrape, "caravan_jobs_retried_total"));
            assertEquals(1, metric(scrape, "caravan_jobs_dead_lettered_total\\{reason=\"dev.caravan.engine.EngineFailure\"}"));
            assertEquals(1, metric(scrape, "caravan_api_responses_total\\{route=\"execute\",status=\"500\"}"));
        }
    }

    @Test
    void aNodeIsLiveButNotReadyWhileTheBrokerIsUnreachable() {
        try (TestTopology topology = new TestTopology();
             CaravanApp up = CaravanApp.start(topology, Map.of());
             CaravanApp cutOff = CaravanApp.start(topology, Map.of("caravan.role", "api",
                     "caravan.broker.port", String.valueOf(FreePorts.next())))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> up.http().get("/observe/health/ready").statusCode() == 200);
            assertEquals(200, cutOff.http().get("/observe/health/live").statusCode());
            HttpResponse<String> notReady = cutOff.http().get("/observe/health/ready");
            assertEquals(503, notReady.statusCode(), notReady.body());
            assertTrue(notReady.body().contains("broker"), notReady.body());
        }
    }
}
