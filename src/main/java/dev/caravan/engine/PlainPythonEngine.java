package dev.caravan.engine;

import dev.caravan.contract.ExecuteResult;
import dev.caravan.contract.Job;
import dev.caravan.contract.RunOutcome;
import dev.caravan.contract.TestCase;
import dev.caravan.contract.TestResult;
import dev.caravan.contract.Verdicts;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * An unsandboxed runner for Python only, with a wall-time limit and an output cap, so that the queue path works
 * end to end until the sandboxed engine replaces it. It must not run untrusted code in production.
 */
public final class PlainPythonEngine implements ExecutionEngine {

    /** The common pool has a single thread on a 2-core machine: the three pipes of a run must move at once. */
    private static final ExecutorService PIPES = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "plain-runner-pipe");
        thread.setDaemon(true);
        return thread;
    });

    private final String python;
    private final List<Language> languages;

    public PlainPythonEngine(String python) {
        this.python = python;
        this.languages = List.of(new Language("python", "Python", readVersion(python), false));
    }

    @Override
    public List<Language> languages() {
        return languages;
    }

    @Override
    public ExecuteResult execute(Job job) {
        Path workDir = null;
        try {
            workDir = Files.createTempDirectory("caravan-job-");
            Path source = workDir.resolve("main.py");
            Files.writeString(source, job.code());
            List<TestResult> results = new ArrayList<>();
            for (TestCase test : job.tests()) {
                RunOutcome run = run(workDir, source, test.input(), job.limits().wallTimeMs(), job.limits().outputBytes());
                results.add(Verdicts.result(test, run));
            }
            return new ExecuteResult(job.id(), Verdicts.overall(null, job.tests(), results), job.language(), null, results);
        } catch (IOException e) {
            throw new EngineFailure("cannot run job " + job.id() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineFailure("interrupted while running job " + job.id(), e);
        } finally {
            deleteQuietly(workDir);
        }
    }

    private RunOutcome run(Path workDir, Path source, String input, long wallTimeMs, long outputCap)
            throws IOException, InterruptedException {
        long started = System.nanoTime();
        Process process = new ProcessBuilder(python, source.toString()).directory(workDir.toFile()).start();
        CompletableFuture<CappedOutput> stdout = CompletableFuture.supplyAsync(
                () -> CappedOutput.read(process.getInputStream(), outputCap), PIPES);
        CompletableFuture<CappedOutput> stderr = CompletableFuture.supplyAsync(
                () -> CappedOutput.read(process.getErrorStream(), outputCap), PIPES);
        CompletableFuture.runAsync(() -> writeQuietly(process.getOutputStream(), input), PIPES);
        boolean exited = process.waitFor(wallTimeMs, TimeUnit.MILLISECONDS);
        if (!exited) {
            process.destroyForcibly();
        }
        CappedOutput out = stdout.join();
        if (out.truncated()) {
            process.destroyForcibly();
        }
        process.waitFor();
        CappedOutput err = stderr.join();
        long wallMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        boolean killed = !exited || out.truncated();
        long cpuMs = process.toHandle().info().totalCpuDuration().map(d -> d.toMillis()).orElse(0L);
        return new RunOutcome(out.text(), err.text(), killed ? null : process.exitValue(), killed ? "SIGKILL" : null,
                cpuMs, wallMs, 0, !exited, false, out.truncated());
    }

    private record CappedOutput(String text, boolean truncated) {

        static CappedOutput read(InputStream stream, long cap) {
            ByteArrayOutputStream kept = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try (stream) {
                int n;
                while ((n = stream.read(buffer)) > 0) {
                    int room = (int) Math.min(n, cap - kept.size());
                    kept.write(buffer, 0, room);
                    if (room < n) {
                        return new CappedOutput(kept.toString(StandardCharsets.UTF_8), true);
                    }
                }
            } catch (IOException ignored) {
                // the process was killed while we read: what we have is the output
            }
            return new CappedOutput(kept.toString(StandardCharsets.UTF_8), false);
        }
    }

    private static void writeQuietly(OutputStream stdin, String input) {
        try (stdin) {
            stdin.write(input.getBytes(StandardCharsets.UTF_8));
        } catch (IOException ignored) {
            // the program exited without reading all its input, which is its right
        }
    }

    private static String readVersion(String python) {
        try {
            Process process = new ProcessBuilder(python, "--version").redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            process.waitFor();
            return output.replaceFirst("^Python\\s+", "");
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + python + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted reading the Python version", e);
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temp directory is not worth failing a finished job for
        }
    }
}
