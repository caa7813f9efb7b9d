package dev.caravan.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scripts/local-deployment.sh} with the real supervisord: an API node and two workers from the jar, on this
 * test's own queues, ports and run directory. A worker killed with {@code kill -9} mid-job costs the caller nothing
 * and is brought back by supervisord; {@code stop} leaves no process behind.
 */
class LocalDeploymentIT {

    private static final Path SCRIPT = Path.of("scripts", "local-deployment.sh").toAbsolutePath();
    private static final Path SUPERVISOR_CONF = Path.of("config", "supervisord", "local-supervisord.conf").toAbsolutePath();
    private static final String SLOW_JOB = "{\"language\":\"python\",\"code\":\"import time; time.sleep(2); print(1)\"}";
    private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(120);

    @TempDir
    Path runDir;

    private final int apiPort = FreePorts.next();
    private final int firstWorkerPort = twoFreePortsInARowOtherThan(apiPort);
    private final Map<String, String> environment = new LinkedHashMap<>();

    @Test
    void aWorkerKilledMidJobIsReplacedAndTheCallerStillGetsItsAnswer() throws Exception {
        try (TestTopology topology = new TestTopology()) {
            useTopologyAndThisTestsPorts(topology);
            String stopped;
            try {
                String started = script(true, "start", "2");
                assertTrue(started.contains("Caravan is up (2 workers"), started);
                Http api = new Http(apiPort);
                for (int i = 0; i < 4; i++) {
                    HttpResponse<String> answer = api.postJson("/execute", "{\"language\":\"python\",\"code\":\"print(" + i + ")\"}");
                    assertEquals(200, answer.statusCode(), answer.body());
                }

                CompletableFuture<HttpResponse<String>> slow = CompletableFuture.supplyAsync(() -> api.postJson("/execute", SLOW_JOB));
                String busy = await("a worker runs the slow job").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                        .until(this::workerRunningAProgram, name -> name != null);
                long killed = pid(busy);
                assertTrue(ProcessHandle.of(killed).orElseThrow().destroyForcibly(), "SIGKILL to worker " + killed);

                HttpResponse<String> answer = slow.get(30, TimeUnit.SECONDS);
                assertEquals(200, answer.statusCode(), answer.body());
                assertEquals("1\n", Http.json(answer).get("tests").get(0).get("stdout").asText());

                await("supervisord restarts the killed worker").atMost(Duration.ofSeconds(30))
                        .until(() -> pid(busy) != killed && supervisorctl("status", busy).contains("RUNNING"));
                int port = Integer.parseInt(busy.substring(busy.lastIndexOf('-') + 1));
                await("the new worker is healthy").atMost(Duration.ofSeconds(30)).ignoreExceptions()
                        .until(() -> new Http(port).get("/observe/health").statusCode() == 200);
            } finally {
                // Also after a failure, so no supervisord outlives the test; checked only below, to keep the first failure.
                stopped = script(false, "stop");
            }
            assertTrue(stopped.contains("stopped"), stopped);
            assertEquals(List.of(), processesOfThisDeployment(), "processes left after stop");
        }
    }

    private void useTopologyAndThisTestsPorts(TestTopology topology) {
        environment.put("CARAVAN_RUN_DIR", runDir.toString());
        environment.put("CARAVAN_API_PORT", String.valueOf(apiPort));
        environment.put("CARAVAN_WORKER_FIRST_PORT", String.valueOf(firstWorkerPort));
        // One job per worker, so the worker running the slow job holds nothing else.
        environment.put("CARAVAN_WORKER_CONCURRENCY", "1");
        environment.put("CARAVAN_EXECUTE_WAIT_TIMEOUT", "30s");
        environment.put("CARAVAN_ROUTES_DIR", "target/no-operator-routes");
        topology.properties().forEach((key, value) -> environment.put(WorkerProcess.environmentName(key), value));
    }

    /** The supervisor name of the worker that has a child process, that is, that is running a user's program. */
    private String workerRunningAProgram() {
        for (int port = firstWorkerPort; port < firstWorkerPort + 2; port++) {
            String name = "caravan:caravan-worker-" + port;
            boolean running = ProcessHandle.of(pid(name)).map(p -> p.children().findAny().isPresent()).orElse(false);
            if (running) {
                return name;
            }
        }
        return null;
    }

    private long pid(String process) {
        return Long.parseLong(supervisorctl("pid", process).strip());
    }

    private String supervisorctl(String... arguments) {
        return run(Stream.concat(Stream.of("supervisorctl", "-c", SUPERVISOR_CONF.toString()), Stream.of(arguments)).toList(), false);
    }

    private String script(boolean mustSucceed, String... arguments) {
        return run(Stream.concat(Stream.of(SCRIPT.toString()), Stream.of(arguments)).toList(), mustSucceed);
    }

    /** Runs a command with this deployment's environment; its output goes through a file, as supervisord outlives it. */
    private String run(List<String> command, boolean mustSucceed) {
        try {
            Path output = Files.createTempFile(runDir, "command-", ".out");
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
            builder.environment().putAll(environment);
            Process process = builder.start();
            if (!process.waitFor(SCRIPT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail(command + " did not finish within " + SCRIPT_TIMEOUT + ": " + Files.readString(output));
            }
            String text = Files.readString(output);
            if (mustSucceed && process.exitValue() != 0) {
                fail(command + " exited with " + process.exitValue() + ": " + text);
            }
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Every process whose environment names this deployment's run directory: supervisord, the JVMs, their children. */
    private List<String> processesOfThisDeployment() {
        byte[] marker = ("CARAVAN_RUN_DIR=" + runDir + "\0").getBytes(StandardCharsets.UTF_8);
        return ProcessHandle.allProcesses()
                .filter(p -> contains(environOf(p.pid()), marker))
                .map(p -> p.pid() + " " + p.info().commandLine().orElse("?"))
                .toList();
    }

    private static byte[] environOf(long pid) {
        try {
            return Files.readAllBytes(Path.of("/proc", String.valueOf(pid), "environ"));
        } catch (IOException e) {
            return new byte[0];   // the process ended meanwhile, or is not ours to read
        }
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        return new String(haystack, StandardCharsets.ISO_8859_1).contains(new String(needle, StandardCharsets.ISO_8859_1));
    }

    /** Workers take consecutive ports (the first worker port plus its number). */
    private static int twoFreePortsInARowOtherThan(int taken) {
        for (int attempt = 0; attempt < 50; attempt++) {
            int first = FreePorts.next();
            if (first == taken || first + 1 == taken) {
                continue;
            }
            try (ServerSocket second = new ServerSocket(first + 1)) {
                return first;
            } catch (IOException inUse) {
                // try another pair
            }
        }
        throw new IllegalStateException("no two free ports in a row");
    }
}
