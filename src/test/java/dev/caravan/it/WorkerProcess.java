package dev.caravan.it;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Caravan node started from the packaged jar, as an operator would start one on another machine: a worker unless
 * {@code caravan.role} in the settings says otherwise.
 */
public final class WorkerProcess implements AutoCloseable {

    private static final Path JAR = Path.of("target", "caravan.jar");
    private static final Pattern JOB_LINE = Pattern.compile("job=(\\S+) language=");

    private final Process process;
    private final Path log;
    private final int port;

    private WorkerProcess(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    public static WorkerProcess start(TestTopology topology, Map<String, String> settings) throws IOException {
        return start(List.of(), topology, settings);
    }

    /**
     * Started through {@code launcher}, a command that runs the rest of the line somewhere else and becomes it
     * (such as {@code ip netns exec HOST}, which execs: the process is then still the JVM).
     */
    public static WorkerProcess start(List<String> launcher, TestTopology topology, Map<String, String> settings) throws IOException {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR + " is missing: integration tests run after 'package'");
        }
        Path log = Files.createTempFile("caravan-worker-", ".log");
        List<String> command = new ArrayList<>(launcher);
        command.addAll(List.of(javaBinary(), "-jar", JAR.toString()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        int port = FreePorts.next();
        env.put("CARAVAN_ROLE", "worker");
        env.put("CARAVAN_HTTP_PORT", String.valueOf(port));
        env.put("CARAVAN_ROUTES_DIR", CaravanApp.NO_OPERATOR_ROUTES);
        topology.properties().forEach((key, value) -> env.put(environmentName(key), value));
        settings.forEach((key, value) -> env.put(environmentName(key), value));
        return new WorkerProcess(builder.start(), log, port);
    }

    /** The variable that overrides a setting: upper case, dots and dashes as underscores. */
    static String environmentName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The node's HTTP port: health and metrics, and the API when its role serves it. */
    public Http http() {
        return new Http(port);
    }

    /** The node's HTTP port. */
    public int port() {
        return port;
    }

    /** The operating system's id of the worker process (the jar runs in it, not in a child). */
    public long pid() {
        return process.pid();
    }

    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public boolean isReady() {
        return log().contains("Started worker");
    }

    /** How many jobs this worker finished, from its one log line per job. */
    public long jobsFinished() {
        Matcher matcher = JOB_LINE.matcher(log());
        long count = 0;
        while (matcher.find()) {
            count++;
        }
        return count;
    }

    /**
     * True while the worker has a job in hand, by its own gauge. Not "has a child process": a worker keeps its
     * sandbox slots (and its warm javac) as children while idle.
     */
    public boolean isRunningAJob() {
        try {
            return Http.metric(http().get("/observe/metrics").body(), "caravan_jobs_in_flight") > 0;
        } catch (RuntimeException notAnsweringYet) {
            return false;
        }
    }

    public void killHard() throws InterruptedException {
        process.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor();
    }

    /** SIGTERM, as a supervisor or systemd stops a worker. */
    public void terminate() {
        process.destroy();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            process.waitFor();
        }
        File file = log.toFile();
        file.delete();
    }
}
