package dev.caravan.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scripts/local-deployment.sh} with the real supervisord: an API node and two workers from the jar, on this
 * test's own queues, ports and run directory. A worker killed with {@code kill -9} mid-job costs the caller nothing
 * and is brought back by supervisord; {@code stop} leaves no process behind.
 */
class LocalDeploymentIT {

    private static final String SLOW_JOB = "{\"language\":\"python\",\"code\":\"import time; time.sleep(2); print(1)\"}";

    @TempDir
    Path runDir;

    @Test
    void aWorkerKilledMidJobIsReplacedAndTheCallerStillGetsItsAnswer() throws Exception {
        try (TestTopology topology = new TestTopology()) {
            // One job per worker, so the worker running the slow job holds nothing else.
            LocalDeployment deployment = new LocalDeployment(runDir, topology, 2,
                    Map.of("caravan.worker.concurrency", "1", "caravan.execute.wait-timeout", "30s"));
            String stopped;
            try {
                String started = deployment.start();
                assertTrue(started.contains("Caravan is up (2 workers"), started);
                Http api = deployment.api();
                for (int i = 0; i < 4; i++) {
                    HttpResponse<String> answer = api.postJson("/execute", "{\"language\":\"python\",\"code\":\"print(" + i + ")\"}");
                    assertEquals(200, answer.statusCode(), answer.body());
                }

                CompletableFuture<HttpResponse<String>> slow = CompletableFuture.supplyAsync(() -> api.postJson("/execute", SLOW_JOB));
                String busy = await("a worker runs the slow job").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                        .until(deployment::workerRunningAProgram, name -> name != null);
                long killed = deployment.pid(busy);
                assertTrue(ProcessHandle.of(killed).orElseThrow().destroyForcibly(), "SIGKILL to worker " + killed);

                HttpResponse<String> answer = slow.get(30, TimeUnit.SECONDS);
                assertEquals(200, answer.statusCode(), answer.body());
                assertEquals("1\n", Http.json(answer).get("tests").get(0).get("stdout").asText());

                await("supervisord restarts the killed worker").atMost(Duration.ofSeconds(30))
                        .until(() -> deployment.pid(busy) != killed && deployment.supervisorctl("status", busy).contains("RUNNING"));
                await("the new worker is healthy").atMost(Duration.ofSeconds(30)).ignoreExceptions()
                        .until(() -> new Http(LocalDeployment.portOf(busy)).get("/observe/health").statusCode() == 200);
            } finally {
                // Also after a failure, so no supervisord outlives the test; checked only below, to keep the first failure.
                stopped = deployment.stop();
            }
            assertTrue(stopped.contains("stopped"), stopped);
            assertEquals(List.of(), deployment.processesOfThisDeployment(), "processes left after stop");
        }
    }
}
