package dev.caravan.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.GetResponse;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Routes an operator adds or edits under the routes folder while Caravan runs, and the status line. */
class OperatorRoutesIT {

    private static final Duration RELOAD = Duration.ofSeconds(20);

    @TempDir
    Path routes;

    /** Writes the file whole, in one rename, as an editor's save does, so the watcher sees one complete change. */
    private static void write(Path file, String yaml) throws IOException {
        Path draft = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(draft, yaml);
        Files.move(draft, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static String greeting(String word) {
        return """
                - route:
                    id: greeting
                    from:
                      uri: platform-http:/greeting
                      steps:
                        - setBody:
                            constant: "%s"
                """.formatted(word);
    }

    @Test
    void routesAreAddedChangedKeptWhenBrokenAndRemovedWithTheirFileWithoutARestart() throws IOException {
        Path greeting = routes.resolve("greeting.camel.yaml");
        try (TestTopology topology = new TestTopology();
             LogCapture logs = new LogCapture();
             CaravanApp app = CaravanApp.start(topology, Map.of("caravan.routes.dir", routes.toString()))) {
            Http http = app.http();

            write(greeting, greeting("hello"));
            await().atMost(RELOAD).until(() -> http.get("/greeting").body().equals("hello"));

            write(greeting, greeting("bonjour"));
            await().atMost(RELOAD).until(() -> http.get("/greeting").body().equals("bonjour"));

            write(greeting, "- route:\n    id: greeting\n    from: [this is not a route\n");
            await().atMost(RELOAD).until(() -> logs.contains("greeting.camel.yaml"));
            assertEquals("bonjour", http.get("/greeting").body(), "a broken file keeps the old route");
            assertEquals(200, http.postJson("/execute", "{\"language\":\"python\",\"code\":\"print(1)\"}").statusCode(),
                    "the other routes stay up");

            Files.delete(greeting);
            await().atMost(RELOAD).until(() -> http.get("/greeting").statusCode() == 404);
            assertEquals(200, http.postJson("/execute", "{\"language\":\"python\",\"code\":\"print(1)\"}").statusCode(),
                    "the other routes stay up");

            write(routes.resolve("welcome.camel.yaml"), greeting("welcome"));
            await().atMost(RELOAD).until(() -> http.get("/greeting").body().equals("welcome"));
        }
    }

    @Test
    void theWorkQueueExampleRunsFromYamlAloneAndDeadLettersAFailingTaskAfterItsRetries() throws IOException {
        try (TestTopology topology = new TestTopology();
             LogCapture logs = new LogCapture();
             CaravanApp app = CaravanApp.start(topology, Map.of("caravan.routes.dir", routes.toString()))) {
            String tasks = topology.exchange() + ".tasks.sleep";
            String parkedTasks = tasks + ".dead-letter";
            topology.deleteOnClose(tasks);
            topology.deleteOnClose(parkedTasks);
            write(routes.resolve("tasks-sleep.camel.yaml"), Files.readString(Path.of("config", "examples", "tasks-sleep.camel.yaml")));
            await().atMost(RELOAD).until(() -> app.http().send("POST", "/work/sleep", "text/plain", "").statusCode() == 200);

            HttpResponse<String> answer = app.http().send("POST", "/work/sleep", "text/plain", ".");

            assertEquals(200, answer.statusCode());
            assertTrue(answer.body().startsWith("slept 1 s on caravan-all@"), answer.body());

            // any text without dots is a task of zero seconds: the benchmarks' queue path
            HttpResponse<String> noSleep = app.http().send("POST", "/work/sleep", "text/plain", "go");
            assertEquals(200, noSleep.statusCode(), noSleep.body());
            assertTrue(noSleep.body().startsWith("slept 0 s on caravan-all@"), noSleep.body());

            HttpResponse<String> failed = app.http().send("POST", "/work/sleep", "text/plain", "sleep well!");

            assertEquals(500, failed.statusCode(), failed.body());
            assertTrue(failed.body().contains("dead-lettered: a '!' makes a task fail"), failed.body());
            assertTrue(logs.contains("On delivery attempt: 2 caught: java.lang.IllegalArgumentException: a '!' makes a task fail"),
                    "two retries before the task is parked");
            GetResponse parked = topology.take(parkedTasks);
            assertNotNull(parked, "the task must be on the dead-letter queue");
            assertEquals("sleep well!", new String(parked.getBody(), StandardCharsets.UTF_8), "the task as it arrived");
            assertTrue(parked.getProps().getHeaders().get("x-task-failure").toString().contains("makes a task fail"));
            assertNull(parked.getProps().getReplyTo(), "a parked task must not answer anyone");
        }
    }

    @Test
    void aFileNamedLikeABuiltInRouteReplacesItUntilTheFileIsDeleted() throws IOException {
        Path status = routes.resolve("status.camel.yaml");
        write(status, """
                - route:
                    id: status
                    from:
                      uri: "timer:status?period=100"
                      steps:
                        - log:
                            message: "operator status line"
                            logName: caravan.status
                """);
        try (TestTopology topology = new TestTopology();
             LogCapture logs = new LogCapture();
             CaravanApp app = CaravanApp.start(topology, Map.of(
                     "caravan.routes.dir", routes.toString(), "caravan.status.interval", "200ms"))) {
            await().atMost(RELOAD).until(() -> logs.contains("operator status line"));
            assertFalse(logs.contains("worker status"), "the built-in route is replaced from the start");

            Files.delete(status);
            await().atMost(RELOAD).until(() -> logs.contains("INFO caravan.status worker status completed="));
        }
    }

    @Test
    void theWorkerLogsItsStatusEveryInterval() {
        try (TestTopology topology = new TestTopology();
             LogCapture logs = new LogCapture();
             CaravanApp app = CaravanApp.start(topology, Map.of("caravan.status.interval", "200ms"))) {
            app.http().postJson("/execute", "{\"language\":\"python\",\"code\":\"print(1)\"}");
            await().atMost(Duration.ofSeconds(10)).until(() -> logs.lines().stream().anyMatch(line ->
                    line.matches("INFO caravan\\.status worker status completed=1 failed=0 retried=0 dead_lettered=0 in_flight=0 "
                            + "avg_processing_ms=\\d+ uptime_s=\\d+( \\S+)*")));   // then each task slot's part
        }
    }
}
