package dev.caravan.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
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

/**
 * The operator's page in a real headless Chromium: an API node in this JVM, two worker processes from the jar that
 * report by heartbeat, and an operator who watches the queue fill and drain, sees both workers and one of them die,
 * runs a program in the playground and replays a dead letter with the admin token. Screenshots go to
 * target/operator-page/.
 */
class OperatorPageIT {

    private static final String ADMIN_TOKEN = "page-admin-token";
    private static final Path SCREENSHOTS = Path.of("target", "operator-page");
    private static final Duration STARTUP = Duration.ofSeconds(60);
    private static final Duration PAGE = Duration.ofSeconds(20);
    private static final int JOBS = 6;

    private TestTopology topology;
    private CaravanApp api;
    private Browser browser;
    private final List<WorkerProcess> workers = new ArrayList<>();
    private final ExecutorService clients = Executors.newFixedThreadPool(JOBS);

    @BeforeEach
    void start() throws Exception {
        topology = new TestTopology();
        api = CaravanApp.start(topology, Map.of("caravan.role", "api", "caravan.admin.token", ADMIN_TOKEN,
                "caravan.execute.wait-timeout", "60s", "caravan.heartbeat.forget-after", "5s"));
        browser = Browser.start();
    }

    @AfterEach
    void stop() throws Exception {
        clients.shutdownNow();
        if (browser != null) {
            browser.close();
        }
        for (WorkerProcess worker : workers) {
            worker.close();
        }
        api.close();
        topology.close();
    }

    private WorkerProcess startWorker() throws Exception {
        WorkerProcess worker = WorkerProcess.start(topology, Map.of("caravan.worker.concurrency", "1",
                "caravan.heartbeat.interval", "1s"));
        workers.add(worker);
        return worker;
    }

    private String page(String css) {
        String text = browser.text(css);
        return text == null ? "" : text.trim();
    }

    private int workerRows(String rowClass) {
        return browser.script("return document.querySelectorAll('#workers tbody tr.' + arguments[0]).length;", rowClass).asInt();
    }

    private void screenshot(String name) throws Exception {
        browser.screenshot(SCREENSHOTS.resolve(name + ".png"));
    }

    @Test
    void anOperatorWatchesTheQueueAndTheWorkersAndActs() throws Exception {
        browser.open("http://localhost:" + api.port() + "/");
        await().atMost(PAGE).until(() -> page("#queue-depth").equals("0"));

        // Jobs queue up while no worker is there yet: the page shows them waiting.
        List<CompletableFuture<JsonNode>> answers = new ArrayList<>();
        for (int i = 0; i < JOBS; i++) {
            answers.add(CompletableFuture.supplyAsync(() -> Http.json(api.http().postJson("/execute",
                    "{\"language\":\"python\",\"code\":\"print(6*7)\","
                            + "\"tests\":[{\"expected_output\":\"42\"}]}")), clients));
        }
        await().atMost(PAGE).until(() -> page("#queue-depth").equals(String.valueOf(JOBS)));
        screenshot("1-queue-filled");

        // Two workers start, report, and drain the queue.
        WorkerProcess first = startWorker();
        WorkerProcess second = startWorker();
        await().atMost(STARTUP).until(() -> workerRows("worker") == 2);
        for (CompletableFuture<JsonNode> answer : answers) {
            assertEquals("ACCEPTED", answer.join().path("status").asText(), answer.join().toString());
        }
        await().atMost(PAGE).until(() -> page("#queue-depth").equals("0"));
        await().atMost(PAGE).until(() -> page("#verdicts tbody").equals("python\t" + JOBS));
        assertEquals("2", page("#queue-consumers"));
        assertTrue(page("#workers tbody").contains(String.valueOf(first.pid())), page("#workers tbody"));
        assertTrue(page("#workers tbody").contains(String.valueOf(second.pid())), page("#workers tbody"));
        assertTrue(!page("#processing-p50").equals("–"), "processing percentiles shown");
        // Every job waited in the queue at least while the workers started, so the slowest waited over a second.
        assertTrue(Http.json(api.http().get("/api/overview")).get("queue_wait").get("p95_ms").asDouble() >= 1000,
                page("#panel-latency"));

        // The playground runs a program through POST /execute and shows its verdict per test.
        browser.type("#play-code", "print(input().upper())");
        browser.type(".play-input", "caravan");
        browser.type(".play-expected", "CARAVAN");
        browser.click("#play-run");
        await().atMost(PAGE).until(() -> page("#play-verdict").equals("ACCEPTED"));
        assertTrue(page("#play-tests tbody").contains("CARAVAN"), page("#play-tests tbody"));

        // Recent jobs: rows from the job records where they exist, a plain statement where they do not.
        boolean recordsEnabled = api.http().get("/jobs?limit=1").statusCode() != 404;
        await().atMost(PAGE).until(() -> browser.script("return !document.getElementById('jobs-disabled').hidden;")
                .asBoolean() != recordsEnabled);

        // A parked job is listed with the admin token typed into the page, and replayed from it.
        String poison = "poison-" + System.nanoTime();
        topology.publishJob(poison, "this is not a job", Map.of());
        await().atMost(PAGE).until(() -> topology.messageCount(topology.deadLetterQueue()) == 1);
        browser.type("#admin-token", ADMIN_TOKEN);
        browser.click("#admin-unlock");
        await().atMost(PAGE).until(() -> page("#dead-letters tbody").contains(poison));
        screenshot("2-workers-and-dead-letters");
        browser.click("#dead-letters tbody tr[data-id='" + poison + "'] button");
        await().atMost(PAGE).until(() -> page("#dead-letters-message").equals("replayed 1"));

        // A worker killed without a word is marked as not reporting, then dropped.
        first.killHard();
        await().atMost(PAGE).until(() -> workerRows("silent") == 1);
        screenshot("3-worker-not-reporting");
        await().atMost(PAGE).until(() -> workerRows("worker") == 1 && workerRows("silent") == 0);
        assertTrue(page("#workers tbody").contains(String.valueOf(second.pid())), page("#workers tbody"));
        screenshot("4-one-worker-left");
    }
}
