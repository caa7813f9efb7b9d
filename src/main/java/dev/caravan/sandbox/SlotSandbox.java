package dev.caravan.sandbox;

import dev.caravan.engine.EngineFailure;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A slot's pooled sandbox: namespaces, mounts and a supervisor made once, ahead of demand, and used by every compile
 * and test of the slot's jobs, one at a time. Making a whole bubblewrap sandbox (user, PID, mount, network, IPC and
 * UTS namespaces and every bind mount) is what a run cost before (about 10 ms of a 13.5 ms C run on 2 cores); here a
 * run costs one fork in the supervisor and one request and answer on its pipes. The same design as go-judge's
 * container pool (criyle/go-sandbox, {@code container/}).
 *
 * <p>What is per run, per job and per slot, and why that is safe:
 * <ul>
 *   <li>per run (each compile and each test): a fresh child process of the supervisor with the run's rlimits, its own
 *       session, its own cgroup (memory, pids, CPU accounting), the slot's uid with no groups, no-new-privs, the
 *       syscall filter and a fixed environment; when it exits, every process left in the namespace is killed and
 *       reaped, as when each run had a PID namespace of its own;</li>
 *   <li>per job ({@link #reset}): /tmp is a fresh tmpfs and the next job gets a fresh IPC namespace, so that no SysV
 *       object, POSIX message queue or temporary file of one job reaches the next; the job directory (/box) is
 *       emptied by the slot; every process of the slot's uid anywhere on the host is killed and counted;</li>
 *   <li>per slot: the PID, mount, network and UTS namespaces and the supervisor. The supervisor runs as root and the
 *       programs as the slot's uid, so no program can signal, trace or read it; the network namespace has only a
 *       loopback that holds no state once its processes are gone; the mount namespace's only writable places are the
 *       two that the reset renews.</li>
 * </ul>
 * A slot whose supervisor stops answering (past a run's wall-clock limit plus {@value #ANSWER_GRACE_MS} ms) or whose
 * reset fails is broken: its sandbox is thrown away and a new one made.
 *
 * <p>The protocol, big-endian frames on the supervisor's stdin and stdout (its C source is
 * {@code src/main/resources/sandbox/caravan-supervisor.c}): a request is RUN or RESET; a RUN carries the wall-clock
 * limit (ms), the output cap (bytes per stream), the rlimits, the uid and gid, the cgroup.procs files to join
 * (relative to /sys/fs/cgroup), the working directory, argv, the environment and stdin; its answer is how the
 * program ended, flags (wall-clock kill, output caps), wall and CPU time (µs), the largest RSS (KB) and both outputs.
 */
final class SlotSandbox implements ProgramRunner, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SlotSandbox.class);
    private static final String SOURCE = "/sandbox/caravan-supervisor.c";
    private static final int REQUEST_RUN = 1;
    private static final int REQUEST_RESET = 2;
    private static final int ANSWER_OK = 0;
    private static final int FLAG_WALL_KILLED = 1;
    private static final int FLAG_STDOUT_OVER = 2;
    private static final int FLAG_STDERR_OVER = 4;
    /** How long past a run's wall-clock limit the supervisor may take to answer before the slot is thrown away. */
    static final long ANSWER_GRACE_MS = 5000;
    private static final long START_TIMEOUT_MS = 30_000;
    private static final List<String> ENVIRONMENT = List.of(
            "PATH=" + SandboxLauncher.PATH, "HOME=" + SandboxLauncher.SANDBOX_HOME, "LANG=C.UTF-8");
    private static final ScheduledExecutorService WATCHDOG = watchdog();

    private final String name;
    private final Path jobDir;
    private final Process process;
    private final DataOutputStream requests;
    private final DataInputStream answers;
    private final SandboxLauncher launcher;
    private final CgroupSupport cgroups;
    private final SandboxRunner background;
    private volatile boolean broken;

    private SlotSandbox(String name, Path jobDir, Process process, SandboxLauncher launcher, CgroupSupport cgroups,
                        SandboxRunner background) {
        this.name = name;
        this.jobDir = jobDir;
        this.process = process;
        this.requests = new DataOutputStream(process.getOutputStream());
        this.answers = new DataInputStream(process.getInputStream());
        this.launcher = launcher;
        this.cgroups = cgroups;
        this.background = background;
    }

    /** Builds the supervisor into {@code dir}; empty (with a warning) when it cannot, so that each run makes its own sandbox. */
    static Optional<Path> buildSupervisor(Path dir) {
        try (InputStream source = SlotSandbox.class.getResourceAsStream(SOURCE)) {
            if (source == null) {
                throw new IOException(SOURCE + " is not on the class path");
            }
            return GccBuild.build(dir, "caravan-supervisor", new String(source.readAllBytes(), StandardCharsets.UTF_8),
                    "every run makes a sandbox of its own");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Makes a slot's sandbox and waits until its supervisor is ready.
     *
     * @param jobDir        the slot's job directory, /box inside
     * @param readOnlyBinds every host path any of the worker's languages needs besides /usr
     * @param background    whose I/O threads close each run's cgroup off the caller's path
     * @throws EngineFailure when the sandbox cannot be made (its reason from bwrap or the supervisor)
     */
    static SlotSandbox start(String name, SandboxLauncher launcher, Path supervisor, Path jobDir,
                             List<String> readOnlyBinds, CgroupSupport cgroups, SandboxRunner background) {
        Process process;
        try {
            ProcessBuilder builder = new ProcessBuilder(launcher.slotCommand(supervisor, jobDir, readOnlyBinds));
            builder.environment().clear();
            builder.environment().put("PATH", SandboxLauncher.PATH);
            process = builder.start();
        } catch (IOException e) {
            throw new EngineFailure(name + ": cannot start its sandbox: " + e.getMessage(), e);
        }
        SlotSandbox sandbox = new SlotSandbox(name, jobDir, process, launcher, cgroups, background);
        Thread errors = new Thread(() -> sandbox.logErrors(process.getErrorStream()), "caravan-" + name.replace(' ', '-') + "-errors");
        errors.setDaemon(true);
        errors.start();
        try {
            sandbox.awaitAnswer(START_TIMEOUT_MS, "start");
            return sandbox;
        } catch (IOException e) {
            sandbox.close();
            throw sandbox.brokenBy(e);
        } catch (RuntimeException e) {
            sandbox.close();
            throw e;
        }
    }

    @Override
    public RunObservation run(RunRequest request) {
        if (!request.jobDir().equals(jobDir)) {
            throw new EngineFailure(name + ": a run of another job directory (" + request.jobDir() + ") was sent here");
        }
        RunCgroup cgroup = cgroups.createFor(request);
        try {
            sendRun(request, cgroup);
            awaitAnswer(request.wallTimeMs() + ANSWER_GRACE_MS, "run " + request.command().get(0));
            boolean exited = answers.readInt() == 1;
            int codeOrSignal = answers.readInt();
            int flags = answers.readInt();
            long wallMs = answers.readLong() / 1000;
            long cpuMs = answers.readLong() / 1000;
            long maxRssKb = answers.readLong();
            CappedOutput stdout = new CappedOutput(readBytes(), (flags & FLAG_STDOUT_OVER) != 0);
            CappedOutput stderr = new CappedOutput(readBytes(), (flags & FLAG_STDERR_OVER) != 0);
            boolean wallKilled = (flags & FLAG_WALL_KILLED) != 0;
            boolean killedBySupervisor = wallKilled || stdout.overflowed() || stderr.overflowed();
            String signal = killedBySupervisor ? Signals.name(Signals.SIGKILL) : exited ? null : Signals.name(codeOrSignal);
            Integer exitCode = killedBySupervisor || !exited ? null : codeOrSignal;
            return RunObservation.measured(stdout, stderr, exitCode, signal, wallMs, wallKilled, cgroup, cpuMs, maxRssKb);
        } catch (IOException e) {
            throw brokenBy(e);
        } finally {
            background.closeInBackground(cgroup);
        }
    }

    /**
     * Makes the sandbox fit for the next job: nothing left running, a fresh /tmp and IPC namespace.
     *
     * @return false when it cannot be trusted with another job (then the slot makes a new one)
     */
    boolean reset() {
        if (broken) {
            return false;
        }
        try {
            requests.writeInt(REQUEST_RESET);
            requests.flush();
            awaitAnswer(START_TIMEOUT_MS, "reset");
            return true;
        } catch (IOException | EngineFailure e) {
            LOG.error("{}: reset failed: {}", name, e.getMessage());
            broken = true;
            return false;
        }
    }

    /** Whether the supervisor stopped answering or failed, so that the sandbox must be replaced. */
    boolean broken() {
        return broken;
    }

    /** Ends the supervisor (end of file on its stdin), and with it, as PID 1, every process of the sandbox. */
    @Override
    public void close() {
        try {
            requests.close();
        } catch (IOException ignored) {
            // a supervisor that is already gone is what closing wants
        }
        try {
            if (!process.waitFor(2, TimeUnit.SECONDS)) {
                process.destroyForcibly();    // bwrap's --die-with-parent takes the supervisor and its namespace down
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private void sendRun(RunRequest request, RunCgroup cgroup) throws IOException {
        if (broken) {
            throw new EngineFailure(name + ": its sandbox is broken");
        }
        List<Rlimit> limits = launcher.limits(request, cgroup);
        requests.writeInt(REQUEST_RUN);
        requests.writeLong(request.wallTimeMs());
        requests.writeLong(request.outputBytes());
        requests.writeInt(limits.size());
        for (Rlimit limit : limits) {
            requests.writeInt(limit.resource().number);
            requests.writeLong(limit.soft());
            requests.writeLong(limit.hard());
        }
        requests.writeInt(request.user().uid());
        requests.writeInt(request.user().gid());
        writeStrings(cgroup.procsFiles().stream().map(procs -> CgroupDetection.ROOT.relativize(Path.of(procs)).toString()).toList());
        writeString(SandboxLauncher.SANDBOX_HOME);
        writeStrings(request.command());
        writeStrings(ENVIRONMENT);
        requests.writeInt(request.stdin().length);
        requests.write(request.stdin());
        requests.flush();
    }

    /**
     * Waits for the first word of an answer, killing the sandbox if none comes in {@code timeoutMs}; a failure answer
     * (the supervisor could not do what was asked: a set-up step, not the program) becomes an {@link EngineFailure}.
     */
    private void awaitAnswer(long timeoutMs, String what) throws IOException {
        ScheduledFuture<?> watchdog = WATCHDOG.schedule(() -> {
            LOG.error("{}: no answer to {} in {} ms; throwing its sandbox away", name, what, timeoutMs);
            broken = true;
            process.destroyForcibly();
        }, timeoutMs, TimeUnit.MILLISECONDS);
        int kind;
        try {
            kind = answers.readInt();
        } catch (IOException e) {
            throw brokenBy(e);
        } finally {
            watchdog.cancel(false);
        }
        if (kind != ANSWER_OK) {
            String reason = new String(readBytes(), StandardCharsets.UTF_8);
            throw new EngineFailure(name + ": the sandbox could not " + what + ": " + reason);
        }
    }

    private EngineFailure brokenBy(IOException e) {
        broken = true;
        return new EngineFailure(name + ": its sandbox's supervisor stopped answering (" + e.getMessage() + ")", e);
    }

    private byte[] readBytes() throws IOException {
        int size = answers.readInt();
        if (size < 0) {
            throw new IOException("bad answer: a field of " + size + " bytes");
        }
        return answers.readNBytes(size);
    }

    private void writeStrings(List<String> strings) throws IOException {
        requests.writeInt(strings.size());
        for (String string : strings) {
            writeString(string);
        }
    }

    private void writeString(String string) throws IOException {
        byte[] bytes = string.getBytes(StandardCharsets.UTF_8);
        requests.writeInt(bytes.length);
        requests.write(bytes);
    }

    private void logErrors(InputStream errors) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(errors, StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                LOG.warn("{}: {}", name, line);
            }
        } catch (IOException ignored) {
            // the sandbox is gone
        }
    }

    private static ScheduledExecutorService watchdog() {
        ScheduledThreadPoolExecutor executor = (ScheduledThreadPoolExecutor) Executors.newScheduledThreadPool(1, task -> {
            Thread thread = new Thread(task, "caravan-slot-watchdog");
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }
}
