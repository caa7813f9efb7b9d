package dev.caravan.sandbox;

import dev.caravan.contract.CompileResult;
import dev.caravan.engine.EngineFailure;
import dev.caravan.engine.JobBudget;
import dev.caravan.languages.InstalledLanguage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Java compiles through one long-lived javac ({@link WarmJavacServer}) instead of a javac process per job: the CLI
 * costs ~0.8 s of JVM start-up and class loading per compile, the warm one a fraction of that.
 *
 * <p>The sandbox boundary is kept: the server is a JVM in bubblewrap like any user program — unprivileged uid, no
 * network, read-only system, its own cgroup with the compile memory limit, and it sees only this worker's job
 * directories and its own class file, never the worker's configuration. What is given up compared with a sandbox
 * per compile: jobs' directories are visible to the one javac (it runs no user code: annotation processing is off);
 * and the compile CPU limit is checked after the compile from the server's cgroup rather than enforced by RLIMIT_CPU.
 *
 * <p>The server compiles one program at a time, and no job waits for it: a compile that finds it busy (with another
 * job's compile, perhaps a compile bomb holding it up to the compile time limit) or restarting runs the language's
 * compile command instead, in a sandbox of its own under the same limits, at the command's cost. So a hostile compile
 * costs its own job and nothing else. A compile that breaks a limit has the server killed; a new one starts in the
 * background while the compiles meanwhile take the command.
 */
final class WarmJavac implements ProgramCompiler, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WarmJavac.class);
    private static final String SERVER_DIR = "javac-server";
    private static final long START_TIMEOUT_MS = 60_000;
    /** The server's own JVM footprint, on top of the javac heap the compile memory limit allows. */
    private static final int SERVER_OVERHEAD_MB = 128;
    private static final long SERVER_CPU_BUDGET_MS = TimeUnit.DAYS.toMillis(1);

    private final EngineSettings.CompileLimits limits;
    private final SandboxRunner runner;
    private final CgroupSupport cgroups;
    private final Path workRoot;
    private final String javaBinary;
    private final List<String> readOnlyBinds;
    private final SandboxUser compilerUser;
    private final ProgramCompiler whenBusy;
    /** Held while the server compiles and while it (re)starts; a compile tries it and never waits for it. */
    private final ReentrantLock serverLock = new ReentrantLock();
    private final AtomicBoolean restartPending = new AtomicBoolean();
    private volatile boolean closed;
    private Server server;

    private WarmJavac(EngineSettings settings, SandboxRunner runner, CgroupSupport cgroups, Path workRoot,
                      String javaBinary, List<String> readOnlyBinds, ProgramCompiler whenBusy) {
        this.limits = settings.compile();
        this.runner = runner;
        this.cgroups = cgroups;
        this.workRoot = workRoot;
        this.javaBinary = javaBinary;
        this.readOnlyBinds = readOnlyBinds;
        this.compilerUser = settings.compilerUser();
        this.whenBusy = whenBusy;
    }

    /**
     * Starts the server now, so that the first Java job finds it warm; fails start-up if it cannot run.
     *
     * @param whenBusy the compiler of the compiles that find the server busy or restarting: the language's command
     */
    static WarmJavac start(EngineSettings settings, SandboxRunner runner, CgroupSupport cgroups, Path workRoot,
                           String javacBinary, List<String> readOnlyBinds, ProgramCompiler whenBusy) {
        copyServerClasses(workRoot.resolve(SERVER_DIR));
        String java = Path.of(javacBinary).resolveSibling("java").toString();
        WarmJavac warm = new WarmJavac(settings, runner, cgroups, workRoot, java, readOnlyBinds, whenBusy);
        warm.serverLock.lock();
        try {
            warm.server = warm.startServer();
        } catch (EngineFailure e) {
            throw new IllegalStateException("the warm javac could not start in the sandbox: " + e.getMessage()
                    + " (set caravan.compile.warm-javac=false to compile with the CLI javac)", e);
        } finally {
            warm.serverLock.unlock();
        }
        return warm;
    }

    /** Only the server's own class files go into the directory the server's sandbox can see. */
    private static void copyServerClasses(Path dir) {
        Path packageDir = dir.resolve(WarmJavacServer.class.getPackageName().replace('.', '/'));
        try {
            Files.createDirectories(packageDir);
            for (Class<?> type : List.of(WarmJavacServer.class, WarmJavacServer.CappedWriter.class)) {
                String file = type.getName().substring(type.getName().lastIndexOf('.') + 1) + ".class";
                try (InputStream in = type.getResourceAsStream(file)) {
                    if (in == null) {
                        throw new IllegalStateException("class file " + file + " not found on the class path");
                    }
                    Files.write(packageDir.resolve(file), in.readAllBytes());
                }
            }
            try (var paths = Files.walk(dir)) {
                for (Path path : paths.toList()) {
                    Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(
                            Files.isDirectory(path) ? "rwxr-xr-x" : "rw-r--r--"));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot prepare the warm javac in " + dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public CompileResult compile(InstalledLanguage language, JobDirectory dir, JobBudget budget, ProgramRunner slotRunner) {
        if (serverLock.tryLock()) {
            try {
                if (server != null && server.process.isAlive()) {
                    return compileOnServer(server, dir, budget);
                }
                discardServer();
            } finally {
                serverLock.unlock();
            }
        }
        // waiting could cost this job up to another job's whole compile time limit; the command costs under a second
        LOG.debug("warm javac busy or restarting: compiling {} with the javac command", dir.path().getFileName());
        return whenBusy.compile(language, dir, budget, slotRunner);
    }

    /** Whether the server is up and compiling nothing: for tests, which must know which compiler a job will get. */
    boolean idle() {
        if (!serverLock.tryLock()) {
            return false;
        }
        try {
            return server != null && server.process.isAlive();
        } finally {
            serverLock.unlock();
        }
    }

    private CompileResult compileOnServer(Server current, JobDirectory dir, JobBudget budget) {
        long started = System.nanoTime();
        long cpuBefore = current.cgroup.usage().cpuTimeMs();
        long oomBefore = current.cgroup.usage().oomKills();
        Future<Response> answer = runner.io().submit(() -> Response.read(current.process.getInputStream()));
        try {
            OutputStream stdin = current.process.getOutputStream();
            String name = workRoot.relativize(dir.path()).toString();   // slot-N
            stdin.write((name + "\n").getBytes(StandardCharsets.UTF_8));
            stdin.flush();
            // javac names files by their path in the server's sandbox; the user knows only the file name
            Response response = answer.get(budget.cut(limits.wallTimeMs()), TimeUnit.MILLISECONDS)
                    .withoutPrefix(SandboxLauncher.SANDBOX_HOME + "/" + name + "/");
            long wallMs = elapsedMs(started);
            long cpuMs = current.cgroup.usage().cpuTimeMs() - cpuBefore;
            if (response == Response.GONE) {
                return serverDied(current, oomBefore, wallMs);
            }
            if (response.status.equals("OUT_OF_MEMORY")) {
                discardServer();
                return CompileResult.failed(CompileVerdict.memoryExceeded(limits) + "\n" + response.text, wallMs);
            }
            if (cpuMs > limits.cpuTimeMs()) {
                return CompileResult.failed(CompileVerdict.cpuTimeExceeded(cpuMs, limits) + "\n" + response.text, wallMs);
            }
            if (response.overflowed) {
                return CompileResult.failed(CompileVerdict.outputExceeded(limits) + "\n" + response.text, wallMs);
            }
            if (response.status.equals("BROKEN")) {
                discardServer();
            }
            return response.status.equals("OK") ? CompileResult.ok(response.text, wallMs) : CompileResult.failed(response.text, wallMs);
        } catch (TimeoutException e) {
            discardServer();
            return CompileResult.failed(CompileVerdict.wallTimeExceeded(elapsedMs(started), limits) + "\n", elapsedMs(started));
        } catch (IOException | ExecutionException e) {
            return serverDied(current, oomBefore, elapsedMs(started));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            discardServer();
            throw new EngineFailure("interrupted while compiling", e);
        }
    }

    private CompileResult serverDied(Server dead, long oomBefore, long wallMs) {
        boolean outOfMemory = dead.cgroup.usage().oomKills() > oomBefore;
        discardServer();
        if (outOfMemory) {
            return CompileResult.failed(CompileVerdict.memoryExceeded(limits) + "\n", wallMs);
        }
        throw new EngineFailure("the warm javac died while compiling; it restarts in the background");
    }

    private Server startServer() {
        long memoryMb = limits.memoryMb() + SERVER_OVERHEAD_MB;
        // C1 only: 108 MB idle instead of 131 MB, and on a busy 2-core machine faster compiles over the first hundred
        // jobs (p50 ~90 ms against ~300 ms while C2 is still compiling javac). A heap that gives back what a full GC
        // frees (the server collects when idle), a smaller code cache and thread stacks: ~72 MB idle instead of 108 MB
        List<String> command = new ArrayList<>(List.of(javaBinary, "-Xmx" + limits.memoryMb() + "m", "-Xms8m",
                "-XX:+UseSerialGC", "-XX:MinHeapFreeRatio=5", "-XX:MaxHeapFreeRatio=10", "-XX:ReservedCodeCacheSize=32m",
                "-Xss1m", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData", "-Xshare:auto", "-cp", SandboxLauncher.SANDBOX_HOME + "/" + SERVER_DIR,
                WarmJavacServer.class.getName(), SandboxLauncher.SANDBOX_HOME, Long.toString(limits.outputKb() * 1024L)));
        RunRequest request = new RunRequest(command, workRoot, new byte[0], SERVER_CPU_BUDGET_MS, SERVER_CPU_BUDGET_MS,
                memoryMb * 1024 * 1024, 0, 64, false, readOnlyBinds, compilerUser);
        RunCgroup cgroup = cgroups.create(request.memoryBytes(), request.maxProcesses());
        try {
            Process process = runner.start(request, cgroup, null);
            runner.io().submit(() -> drainErrors(process.getErrorStream()));
            Future<String> ready = runner.io().submit(() -> readLine(process.getInputStream()));
            String line = ready.get(START_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            if (!WarmJavacServer.READY.equals(line)) {
                throw new IOException("it answered '" + line + "' instead of " + WarmJavacServer.READY);
            }
            LOG.info("warm javac ready (pid {})", process.pid());
            return new Server(process, cgroup);
        } catch (IOException | ExecutionException | TimeoutException e) {
            cgroup.close();
            throw new EngineFailure("cannot start the warm javac: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cgroup.close();
            throw new EngineFailure("interrupted while starting the warm javac", e);
        }
    }

    /** Kills the server (the caller holds the lock) and has a new one started in the background, unless closing. */
    private void discardServer() {
        if (server != null) {
            server.process.destroyForcibly();
            server.cgroup.close();
            server = null;
        }
        if (!closed && restartPending.compareAndSet(false, true)) {
            try {
                runner.io().execute(this::restart);
            } catch (RejectedExecutionException shuttingDown) {
                restartPending.set(false);
            }
        }
    }

    /** Runs on an I/O thread, holding the lock so that compiles meanwhile take the command instead of waiting. */
    private void restart() {
        serverLock.lock();
        try {
            restartPending.set(false);
            if (!closed && server == null) {
                server = startServer();
            }
        } catch (EngineFailure | IllegalStateException e) {
            LOG.warn("the warm javac did not restart ({}); Java compiles use the javac command until the next try",
                    e.getMessage());
        } finally {
            serverLock.unlock();
        }
    }

    private static void drainErrors(InputStream errors) {
        try (errors) {
            byte[] buffer = new byte[4096];
            int n;
            while ((n = errors.read(buffer)) >= 0) {
                LOG.debug("warm javac stderr: {}", new String(buffer, 0, n, StandardCharsets.UTF_8).strip());
            }
        } catch (IOException ignored) {
            // the server is gone
        }
    }

    private static long elapsedMs(long startedNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
    }

    /** Reads one ASCII line without buffering ahead, so that the response that follows stays in the stream. */
    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            line.write(b);
        }
        return b < 0 && line.size() == 0 ? null : line.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() {
        closed = true;
        serverLock.lock();
        try {
            discardServer();
        } finally {
            serverLock.unlock();
        }
    }

    private record Server(Process process, RunCgroup cgroup) {
    }

    /** One answer of the server; {@link #GONE} when the server died instead of answering. */
    private record Response(String status, boolean overflowed, String text) {

        Response withoutPrefix(String prefix) {
            return this == GONE ? this : new Response(status, overflowed, text.replace(prefix, ""));
        }

        static final Response GONE = new Response("GONE", false, "");

        static Response read(InputStream in) throws IOException {
            String header = readLine(in);
            if (header == null) {
                return GONE;
            }
            String[] parts = header.split(" ");
            byte[] text = in.readNBytes(Integer.parseInt(parts[2]));
            return new Response(parts[0], Boolean.parseBoolean(parts[1]), new String(text, StandardCharsets.UTF_8));
        }
    }
}
