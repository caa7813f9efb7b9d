package dev.caravan.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caravan.contract.JobState;
import dev.caravan.store.JobRecord;
import dev.caravan.store.JobStore;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** An API node and worker nodes started from the jar, sharing one queue as separate machines would. */
class WorkerProcessesIT {

    private static final Duration STARTUP = Duration.ofSeconds(60);
    private static final Map<String, String> ONE_JOB_AT_A_TIME = Map.of("caravan.worker.concurrency", "1");

    private TestTopology topology;
    private CaravanApp api;
    private final List<WorkerProcess> workers = new ArrayList<>();

    @BeforeEach
    void startApiNode() {
        topology = new TestTopology();
        api = CaravanApp.start(topology, Map.of("caravan.role", "api", "caravan.execute.wait-timeout", "30s"));
    }

    @AfterEach
    void stopEverything() throws InterruptedException {
        for (WorkerProcess worker : workers) {
            worker.close();
        }
        api.close();
        topology.close();
    }

    private WorkerProcess startWorker() throws Exception {
        WorkerProcess worker = WorkerProcess.start(topology, ONE_JOB_AT_A_TIME);
        workers.add(worker);
        return worker;
    }

    private void awaitReady(List<WorkerProcess> nodes) {
        await().atMost(STARTUP).until(() -> nodes.stream().allMatch(WorkerProcess::isReady));
    }

    @Test
    void twoWorkersShareTheQueue() throws Exception {
        List<WorkerProcess> nodes = List.of(startWorker(), startWorker());
        awaitReady(nodes);
        ExecutorService clients = Executors.newFixedThreadPool(4);
        try {
            List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                answers.add(CompletableFuture.supplyAsync(() -> api.http().postJson("/execute",
                        "{\"language\":\"python\",\"code\":\"import time\\ntime.sleep(0.3)\\nprint(42)\"}"), clients));
            }
            for (CompletableFuture<HttpResponse<String>> answer : answers) {
                assertEquals(200, answer.join().statusCode(), answer.join().body());
            }
        } finally {
            clients.shutdownNow();
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> nodes.get(0).jobsFinished() + nodes.get(1).jobsFinished() == 8);
        assertTrue(nodes.get(0).jobsFinished() > 0, "the first worker got no job");
        assertTrue(nodes.get(1).jobsFinished() > 0, "the second worker got no job");
    }

    @Test
    void aWorkerKilledMidJobLosesNothing() throws Exception {
        WorkerProcess first = startWorker();
        WorkerProcess second = startWorker();
        awaitReady(List.of(first, second));
        CompletableFuture<HttpResponse<String>> answer = CompletableFuture.supplyAsync(() -> api.http().postJson("/execute",
                "{\"language\":\"python\",\"code\":\"import time\\ntime.sleep(2)\\nprint('survived')\"}"));

        // The victim is the worker the store saw start the job (its name ends in its pid), not one with a child
        // process: every worker keeps its sandbox slots as children while idle. Waiting for the store also makes the
        // victim's "started" event (published without waiting for a confirm) count before the kill: attempt 1.
        JobStore store = api.main().getCamelContext().getRegistry().findSingleByType(JobStore.class);
        JobRecord started = await().atMost(Duration.ofSeconds(20)).until(
                () -> store.recent(1).stream().findFirst().orElse(null),
                record -> record != null && record.status() == JobState.RUNNING);
        WorkerProcess victim = started.worker().contains("@" + first.pid() + "@") ? first : second;
        WorkerProcess survivor = victim == first ? second : first;
        assertTrue(started.worker().contains("@" + victim.pid() + "@"), started.worker());
        assertEquals(1, started.attempts());
        victim.killHard();

        HttpResponse<String> response = answer.join();
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("survived\n", Http.json(response).get("tests").get(0).get("stdout").asText());
        assertEquals(1, survivor.jobsFinished(), "the survivor ran the redelivered job");
        assertEquals(0, victim.jobsFinished());
        assertEquals(0, topology.messageCount(topology.executeQueue()));
        // the job's record ends with the survivor's result
        String id = Http.json(response).get("id").asText();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            var record = Http.json(api.http().get("/jobs/" + id));
            assertEquals("DONE", record.get("status").asText(), record::toString);
            assertEquals(2, record.get("attempts").asInt(), "the victim's attempt and the survivor's: " + record);
            assertTrue(record.get("worker").asText().contains("@" + survivor.pid() + "@"), record::toString);
            assertEquals("survived\n", record.get("result").get("tests").get(0).get("stdout").asText(), record::toString);
        });
    }

    @Test
    void sigtermLetsTheRunningJobFinishThenExits() throws Exception {
        WorkerProcess worker = startWorker();
        awaitReady(List.of(worker));
        CompletableFuture<HttpResponse<String>> answer = CompletableFuture.supplyAsync(() -> api.http().postJson("/execute",
                "{\"language\":\"python\",\"code\":\"import time\\ntime.sleep(2)\\nprint('finished')\"}"));
        await().atMost(Duration.ofSeconds(10)).until(worker::isRunningAJob);

        worker.terminate();

        HttpResponse<String> response = answer.join();
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("finished\n", Http.json(response).get("tests").get(0).get("stdout").asText());
        await().atMost(Duration.ofSeconds(30)).until(() -> !worker.isAlive());
        assertEquals(1, worker.jobsFinished());
        assertEquals(0, topology.messageCount(topology.executeQueue()), "the job was acknowledged, not handed back");
    }
}
