package dev.caravan.sandbox;

import dev.caravan.engine.EngineFailure;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs one program in a sandbox made for that run alone and observes it: feeds its stdin, reads stdout and stderr
 * with a cap, kills the whole tree when the wall clock or the output cap runs out, and reads CPU time, peak memory
 * and OOM kills from the run's own cgroup. The warm javac starts this way, and every run where a slot has no pooled
 * {@link SlotSandbox} ({@code caravan.sandbox.pool=false}, no native launcher, {@code caravan.sandbox=none}).
 */
final class SandboxRunner implements ProgramRunner {

    /** How long output readers may take to see end-of-file after the process is gone (its PID namespace is dead). */
    private static final long DRAIN_GRACE_MS = 2000;

    private final SandboxLauncher launcher;
    private final CgroupSupport cgroups;
    private final Path reportDir;
    private final AtomicLong runs = new AtomicLong();
    private final ExecutorService io;

    /** @param reportDir a directory only root can enter, for the launcher's usage reports */
    SandboxRunner(SandboxLauncher launcher, CgroupSupport cgroups, Path reportDir) {
        this.launcher = launcher;
        this.cgroups = cgroups;
        this.reportDir = reportDir;
        AtomicInteger threads = new AtomicInteger();
        this.io = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "caravan-sandbox-io-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public RunObservation run(RunRequest request) {
        RunCgroup cgroup = cgroups.createFor(request);
        try {
            return run(request, cgroup);
        } catch (IOException e) {
            throw new EngineFailure("cannot start the sandbox: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineFailure("interrupted while a sandboxed program ran", e);
        } finally {
            closeInBackground(cgroup);
        }
    }

    /**
     * Every figure is final once the launcher has exited, so the caller does not wait for the group's clean-up: it is
     * killed (for stragglers: after a wall-clock kill, or in the sh fallback whose namespace init is reaped late) and
     * recycled or removed off the hot path.
     */
    void closeInBackground(RunCgroup cgroup) {
        try {
            io.execute(cgroup::close);
        } catch (RejectedExecutionException shuttingDown) {
            cgroup.close();
        }
    }

    /** Starts a program in the sandbox, in {@code cgroup}, and leaves its streams to the caller. */
    Process start(RunRequest request, RunCgroup cgroup, Path usageReport) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(launcher.command(request, cgroup, usageReport))
                .directory(request.jobDir().toFile());
        Map<String, String> environment = builder.environment();
        // nothing of the worker's environment (broker URL, credentials) may reach the program, not even via /proc/1/environ
        environment.clear();
        environment.put("PATH", SandboxLauncher.PATH);
        environment.put("LANG", "C.UTF-8");
        environment.put("HOME", request.jobDir().toString());
        // outside bwrap (caravan.sandbox=none, a task with sandbox: false) the variables reach the program this way
        environment.putAll(request.task().environment());
        return builder.start();
    }

    ExecutorService io() {
        return io;
    }

    private RunObservation run(RunRequest request, RunCgroup cgroup) throws IOException, InterruptedException {
        Path usageReport = launcher.reportsUsage() ? reportDir.resolve("run-" + runs.incrementAndGet()) : null;
        long started = System.nanoTime();
        Process process = start(request, cgroup, usageReport);
        AtomicBoolean killedByUs = new AtomicBoolean();
        Runnable killTree = () -> {
            killedByUs.set(true);
            // SIGKILL of the outer bwrap takes its PID namespace down (--die-with-parent); the cgroup catches the rest
            process.destroyForcibly();
            cgroup.killAll();
        };
        Future<CappedOutput> stdout = io.submit(() -> read(process.getInputStream(), request, killTree));
        Future<CappedOutput> stderr = io.submit(() -> read(process.getErrorStream(), request, killTree));
        if (request.stdin().length == 0) {
            feed(process.getOutputStream(), request.stdin());   // nothing that could block: spare a thread hand-off
        } else {
            io.submit(() -> feed(process.getOutputStream(), request.stdin()));
        }

        boolean exited = process.waitFor(request.wallTimeMs(), TimeUnit.MILLISECONDS);
        boolean wallKilled = false;
        if (!exited) {
            wallKilled = !killedByUs.get();
            killTree.run();
            process.waitFor();
        }
        long wallMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        CappedOutput out = collect(stdout, process, cgroup);
        CappedOutput err = collect(stderr, process, cgroup);
        Optional<LauncherReport> report = LauncherReport.consume(usageReport);

        int status = process.exitValue();
        // an OOM kill can take bwrap's own init with the program, which looks like a set-up failure; it is the program's
        if (status == SandboxLauncher.SETUP_FAILED_STATUS && err.text().contains(SandboxLauncher.SETUP_FAILED_MARKER)
                && cgroup.usage().oomKills() == 0) {
            throw new EngineFailure("the sandbox could not be set up for this run: " + err.text().strip());
        }
        Integer exitCode = null;
        String signal;
        if (killedByUs.get()) {
            signal = Signals.name(Signals.SIGKILL);
        } else {
            int signalNumber = Signals.fromExitStatus(status);
            signal = signalNumber == 0 ? null : Signals.name(signalNumber);
            exitCode = signalNumber == 0 ? status : null;
        }
        return RunObservation.measured(out, err, exitCode, signal, wallMs, wallKilled, cgroup,
                report.map(LauncherReport::cpuTimeMs).orElse(wallMs), report.map(LauncherReport::maxRssKb).orElse(0L));
    }

    private static CappedOutput read(java.io.InputStream stream, RunRequest request, Runnable killTree) {
        return request.task().outputTail() ? CappedOutput.tail(stream, request.outputBytes())
                : CappedOutput.read(stream, request.outputBytes(), killTree);
    }

    /** The reader's result; if it has not seen end-of-file in time (a straggler holds the pipe), kill and close. */
    private static CappedOutput collect(Future<CappedOutput> reader, Process process, RunCgroup cgroup)
            throws InterruptedException {
        try {
            return reader.get(DRAIN_GRACE_MS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            cgroup.killAll();
            closeQuietly(process);
            try {
                return reader.get(DRAIN_GRACE_MS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException | ExecutionException again) {
                throw new EngineFailure("output of a sandboxed program could not be drained", again);
            }
        } catch (ExecutionException e) {
            throw new EngineFailure("reading a sandboxed program's output failed", e.getCause());
        }
    }

    private static void closeQuietly(Process process) {
        try {
            process.getInputStream().close();
            process.getErrorStream().close();
        } catch (IOException ignored) {
            // closing is how we stop reading; a failure to close changes nothing
        }
    }

    private static void feed(OutputStream stdin, byte[] input) {
        try (stdin) {
            stdin.write(input);
        } catch (IOException ignored) {
            // the program exited or closed stdin without reading everything, which is its right
        }
    }

    /** Lets the background clean-up of the last runs finish, then stops the I/O threads. */
    void shutdown() {
        io.shutdown();
        try {
            if (!io.awaitTermination(5, TimeUnit.SECONDS)) {
                io.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            io.shutdownNow();
        }
    }
}
