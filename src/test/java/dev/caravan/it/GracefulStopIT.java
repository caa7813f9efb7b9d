package dev.caravan.it;

import static dev.caravan.it.Http.metric;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM to a node that serves the API and runs jobs, as supervisord or systemd stop one: the call it accepted gets
 * its real answer, calls that arrive while it stops get the contract's JSON 503 with Retry-After, and only after that
 * does the port refuse connections. The test's client speaks HTTP/2 (h2c), the JDK client's default, so the refused
 * calls share a connection with the accepted one. A call that races the closing of the server itself may be dropped
 * (HTTP/2 GOAWAY: not processed); that is allowed only after the accepted call has been answered.
 */
class GracefulStopIT {

    private static final Duration STARTUP = Duration.ofSeconds(60);
    private static final String SLOW_JOB = "{\"language\":\"python\",\"code\":\"import time\\ntime.sleep(3)\\nprint('finished')\"}";
    private static final String QUICK_JOB = "{\"language\":\"python\",\"code\":\"print(1)\"}";

    /**
     * One call made while the node stops: its answer, or null when the connection went away without one, and whether
     * the slow call was still unanswered when it was made.
     */
    private record CallDuringStop(HttpResponse<String> response, boolean slowCallUnanswered) {
    }

    private static boolean isReady(WorkerProcess node) {
        return node.http().get("/observe/health/ready").statusCode() == 200;
    }

    private static double jobsRunning(WorkerProcess node) {
        return metric(node.http().get("/observe/metrics").body(), "caravan_jobs_in_flight");
    }

    @Test
    void answersWhatItAcceptedRefusesNewCallsWithJson503ThenClosesThePort() throws Exception {
        try (TestTopology topology = new TestTopology();
             WorkerProcess node = WorkerProcess.start(topology, Map.of("caravan.role", "all",
                     "caravan.worker.concurrency", "2", "caravan.execute.wait-timeout", "30s"))) {
            await().atMost(STARTUP).ignoreExceptions().until(() -> isReady(node));
            Http http = node.http();
            CompletableFuture<HttpResponse<String>> slow = CompletableFuture.supplyAsync(() -> http.postJson("/execute", SLOW_JOB));
            await().atMost(Duration.ofSeconds(10)).until(() -> jobsRunning(node) == 1);

            node.terminate();

            List<CallDuringStop> calls = new ArrayList<>();
            List<Boolean> slowAnsweredWhenRefused = new ArrayList<>();
            List<HttpResponse<String>> readinessWhileStopping = new ArrayList<>();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> {
                boolean slowCallUnanswered = !slow.isDone();
                try {
                    CallDuringStop call = new CallDuringStop(http.postJson("/execute", QUICK_JOB), slowCallUnanswered);
                    calls.add(call);
                    if (readinessWhileStopping.isEmpty() && slowCallUnanswered && call.response().statusCode() == 503) {
                        readinessWhileStopping.add(http.get("/observe/health/ready"));
                    }
                    return false;
                } catch (UncheckedIOException e) {
                    if (e.getCause() instanceof ConnectException) {
                        slowAnsweredWhenRefused.add(slow.isDone());
                        return true;
                    }
                    calls.add(new CallDuringStop(null, slowCallUnanswered));
                    return false;
                }
            });

            System.out.printf("graceful stop: calls while stopping=%d answered_200=%d refused_503=%d dropped_at_close=%d%n",
                    calls.size(), calls.stream().filter(c -> c.response() != null && c.response().statusCode() == 200).count(),
                    calls.stream().filter(c -> c.response() != null && c.response().statusCode() == 503).count(),
                    calls.stream().filter(c -> c.response() == null).count());
            HttpResponse<String> slowAnswer = slow.join();
            assertEquals(200, slowAnswer.statusCode(), slowAnswer.body());
            assertEquals("finished\n", Http.json(slowAnswer).get("tests").get(0).get("stdout").asText());
            assertEquals(List.of(true), slowAnsweredWhenRefused, "the port closed before the accepted call was answered");
            assertTrue(calls.stream().anyMatch(call -> call.slowCallUnanswered() && call.response().statusCode() == 503),
                    "no call was refused while the accepted one was still running: " + calls);
            assertEquals(503, readinessWhileStopping.get(0).statusCode(), "a stopping node must not look ready");
            assertTrue(readinessWhileStopping.get(0).body().contains("stopping"), readinessWhileStopping.get(0).body());
            for (CallDuringStop call : calls) {
                HttpResponse<String> response = call.response();
                if (response == null) {
                    assertFalse(call.slowCallUnanswered(), "a call made while the accepted one ran got no answer: " + calls);
                    continue;
                }
                if (response.statusCode() == 200) {
                    // Accepted in the instant before the stop began: then it is answered in full.
                    assertEquals("1\n", Http.json(response).get("tests").get(0).get("stdout").asText());
                    continue;
                }
                assertEquals(503, response.statusCode(), response.body());
                assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""));
                assertEquals("1", response.headers().firstValue("Retry-After").orElse(""), "no Retry-After");
                JsonNode error = Http.json(response);
                assertTrue(error.get("error").asText().contains("shutting down"), response.body());
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> !node.isAlive());
            assertFalse(node.log().contains("still unanswered"), node.log());
        }
    }
}
