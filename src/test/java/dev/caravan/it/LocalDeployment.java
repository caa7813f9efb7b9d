package dev.caravan.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A deployment started by {@code scripts/local-deployment.sh} under the real supervisord, on a test's own
 * queues, ports and run directory: an API node and worker processes from the jar.
 */
final class LocalDeployment {

    private static final Path SCRIPT = Path.of("scripts", "local-deployment.sh").toAbsolutePath();
    private static final Path SUPERVISOR_CONF = Path.of("config", "supervisord", "local-supervisord.conf").toAbsolutePath();
    private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(120);

    private final Path runDir;
    private final int apiPort = FreePorts.next();
    private final int firstWorkerPort;
    private final int workers;
    private final Map<String, String> environment = new LinkedHashMap<>();

    LocalDeployment(Path runDir, TestTopology topology, int workers, Map<String, String> settings) {
        this.runDir = runDir;
        this.workers = workers;
        this.firstWorkerPort = freePortsInARowOtherThan(workers, apiPort);
        environment.put("CARAVAN_RUN_DIR", runDir.toString());
        environment.put("CARAVAN_API_PORT", String.valueOf(apiPort));
        environment.put("CARAVAN_WORKER_FIRST_PORT", String.valueOf(firstWorkerPort));
        environment.put("CARAVAN_ROUTES_DIR", CaravanApp.NO_OPERATOR_ROUTES);
        topology.properties().forEach((key, value) -> environment.put(WorkerProcess.environmentName(key), value));
        settings.forEach((key, value) -> environment.put(WorkerProcess.environmentName(key), value));
    }

    String start() {
        return script(true, "start", String.valueOf(workers));
    }

    /** Stops everything; never fails, so that it can run in a finally without hiding the first failure. */
    String stop() {
        return script(false, "stop");
    }

    Http api() {
        return new Http(apiPort);
    }

    int apiPort() {
        return apiPort;
    }

    List<String> workerNames() {
        return Stream.iterate(firstWorkerPort, port -> port + 1).limit(workers).map(port -> "caravan:caravan-worker-" + port).toList();
    }

    static int portOf(String workerName) {
        return Integer.parseInt(workerName.substring(workerName.lastIndexOf('-') + 1));
    }

    /** The supervisor name of a worker that has a child process, that is, that is running a user's program. */
    String workerRunningAProgram() {
        return workerNames().stream()
                .filter(name -> ProcessHandle.of(pid(name)).map(p -> p.children().findAny().isPresent()).orElse(false))
                .findFirst().orElse(null);
    }

    long pid(String process) {
        return Long.parseLong(supervisorctl("pid", process).strip());
    }

    String supervisorctl(String... arguments) {
        return run(Stream.concat(Stream.of("supervisorctl", "-c", SUPERVISOR_CONF.toString()), Stream.of(arguments)).toList(), false);
    }

    /** Everything the worker processes have logged, across restarts. */
    String workerLogs() {
        try (Stream<Path> files = Files.list(runDir.resolve("logs"))) {
            StringBuilder logs = new StringBuilder();
            for (Path file : files.filter(f -> f.getFileName().toString().contains("worker")).toList()) {
                logs.append(Files.readString(file));
            }
            return logs.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
    List<String> processesOfThisDeployment() {
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
    private static int freePortsInARowOtherThan(int count, int taken) {
        for (int attempt = 0; attempt < 50; attempt++) {
            int first = FreePorts.next();
            if (taken >= first && taken < first + count) {
                continue;
            }
            if (allFree(first + 1, count - 1)) {
                return first;
            }
        }
        throw new IllegalStateException("no " + count + " free ports in a row");
    }

    private static boolean allFree(int from, int count) {
        for (int port = from; port < from + count; port++) {
            try (ServerSocket ignored = new ServerSocket(port)) {
                // free
            } catch (IOException inUse) {
                return false;
            }
        }
        return true;
    }
}
