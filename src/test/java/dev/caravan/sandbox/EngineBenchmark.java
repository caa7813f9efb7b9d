package dev.caravan.sandbox;

import dev.caravan.contract.ExecuteResult;
import dev.caravan.contract.Job;
import dev.caravan.contract.Limits;
import dev.caravan.contract.Status;
import dev.caravan.contract.TestCase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Spawn throughput of the engine against the bare sandbox and no sandbox at all, run with
 * {@code mvn -q -B -Pbench test-compile exec:java}. Not a test: figures depend on the machine.
 *
 * <p>Every figure is sequential (one program at a time) after a warm-up, from the caller's clock, output read to the
 * end. "unsandboxed" is ProcessBuilder on the binary; "bare sandbox" is the engine's exact setpriv + bwrap command
 * line without cgroups, rlimits or job directory; "engine" is {@link SandboxedEngine#execute}: job directory,
 * source file, per-run cgroups, limits, verdict and clean-up included. Engine executions/s counts program runs in
 * jobs of {@value #TESTS_PER_JOB} tests (the compile of C is paid once per job, as in real use); the engine p50 is
 * the time per run within such jobs. Full-job latency (1 test, compile included) is printed separately.
 */
public final class EngineBenchmark {

    private static final int TESTS_PER_JOB = 20;
    private static final Limits LIMITS = new Limits(5000, 10_000, 256, 64);

    private EngineBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        try (SandboxedEngine engine = SandboxedEngine.create(EngineSettings.defaults())) {
            SandboxLauncher launcher = new SandboxLauncher(EngineSettings.defaults(), null);
            System.out.printf(Locale.ROOT, "%-7s %-14s %10s %9s %14s %14s%n", "program", "mode", "exec/s", "p50 ms",
                    "engine/bare", "engine/plain");
            compare(engine, launcher, rounds, "python", "print('hello')\n", "main.py", null);
            compare(engine, launcher, rounds, "c", "#include <stdio.h>\nint main(void) { puts(\"hello\"); return 0; }\n",
                    "main", List.of("/usr/bin/gcc", "-O2", "-o", "main", "main.c"));
            fullJobs(engine, "python", "print('hello')\n", 50);
            fullJobs(engine, "c", "#include <stdio.h>\nint main(void) { puts(\"hello\"); return 0; }\n", 20);
            fullJobs(engine, "java", "public class Main { public static void main(String[] a) { System.out.println(\"hello\"); } }\n", 10);
        }
        try (SandboxedEngine cold = SandboxedEngine.create(EngineSettings.fromProperties(key -> key.equals("caravan.compile.warm-javac") ? "false" : null))) {
            System.out.println("  (for comparison, the command-line javac instead of the warm one:)");
            fullJobs(cold, "java", "public class Main { public static void main(String[] a) { System.out.println(\"hello\"); } }\n", 5);
        }
    }

    private static void compare(SandboxedEngine engine, SandboxLauncher launcher, int rounds, String language,
                                String code, String binary, List<String> compile) throws Exception {
        Path dir = Files.createTempDirectory("caravan-bench-");
        try {
            String source = language.equals("c") ? "main.c" : binary;
            Files.writeString(dir.resolve(source), code);
            if (compile != null && new ProcessBuilder(compile).directory(dir.toFile()).inheritIO().start().waitFor() != 0) {
                throw new IllegalStateException("cannot compile the C hello world");
            }
            Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            List<String> program = language.equals("python") ? List.of("/usr/bin/python3", "-I", "-S", "main.py") : List.of("./main");
            List<String> sandboxed = bareSandbox(launcher, dir, program);

            Figures plain = measure(rounds, () -> run(new ProcessBuilder(program).directory(dir.toFile())));
            Figures bare = measure(rounds, () -> run(new ProcessBuilder(sandboxed).directory(dir.toFile())));
            Figures viaEngine = engineRuns(engine, language, code, rounds);
            print(language, "unsandboxed", plain, null, null);
            print(language, "bare sandbox", bare, null, null);
            print(language, "engine", viaEngine, bare, plain);
        } finally {
            JobDirectory.deleteTree(dir);
        }
    }

    /** The engine's own setpriv + bwrap command line, without the sh stage (cgroups, rlimits) in front of it. */
    private static List<String> bareSandbox(SandboxLauncher launcher, Path dir, List<String> program) {
        RunRequest request = new RunRequest(program, dir, new byte[0], 5000, 10_000, 256L << 20, 65536, 16, true, List.of());
        List<String> full = launcher.command(request, new NoCgroupSupport("benchmark").create(0, 0));
        return full.subList(4, full.size());
    }

    private static Figures engineRuns(SandboxedEngine engine, String language, String code, int rounds) {
        List<TestCase> tests = Collections.nCopies(TESTS_PER_JOB, new TestCase("", "hello\n"));
        execute(engine, language, code, tests);   // warm-up
        int jobs = Math.max(1, rounds / TESTS_PER_JOB);
        List<Double> perRun = new ArrayList<>();
        long started = System.nanoTime();
        for (int i = 0; i < jobs; i++) {
            long jobStarted = System.nanoTime();
            ExecuteResult result = execute(engine, language, code, tests);
            double compileMs = result.compile() == null ? 0 : result.compile().timeMs();
            double runsMs = (System.nanoTime() - jobStarted) / 1e6 - compileMs;
            for (int t = 0; t < TESTS_PER_JOB; t++) {
                perRun.add(runsMs / TESTS_PER_JOB);
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        return new Figures(jobs * TESTS_PER_JOB / seconds, median(perRun));
    }

    private static void fullJobs(SandboxedEngine engine, String language, String code, int jobs) {
        execute(engine, language, code, List.of(new TestCase("", "hello\n")));
        List<Double> times = new ArrayList<>();
        List<Double> compiles = new ArrayList<>();
        for (int i = 0; i < jobs; i++) {
            long started = System.nanoTime();
            ExecuteResult result = execute(engine, language, code, List.of(new TestCase("", "hello\n")));
            times.add((System.nanoTime() - started) / 1e6);
            compiles.add(result.compile() == null ? 0.0 : result.compile().timeMs());
        }
        System.out.printf(Locale.ROOT, "%-7s full job (1 test%s): p50 %.1f ms%s%n", language,
                compiles.get(0) > 0 || language.equals("c") ? ", compile included" : "", median(times),
                language.equals("python") ? "" : String.format(Locale.ROOT, ", of which compile p50 %.1f ms", median(compiles)));
    }

    private static ExecuteResult execute(SandboxedEngine engine, String language, String code, List<TestCase> tests) {
        ExecuteResult result = engine.execute(new Job("bench", language, code, tests, LIMITS));
        if (result.status() != Status.ACCEPTED) {
            throw new IllegalStateException("benchmark program failed: " + result);
        }
        return result;
    }

    private static Figures measure(int rounds, Supplier<Void> spawn) {
        for (int i = 0; i < Math.min(20, rounds); i++) {
            spawn.get();
        }
        double[] times = new double[rounds];
        long started = System.nanoTime();
        for (int i = 0; i < rounds; i++) {
            long one = System.nanoTime();
            spawn.get();
            times[i] = (System.nanoTime() - one) / 1e6;
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        return new Figures(rounds / seconds, median(Arrays.stream(times).boxed().toList()));
    }

    private static Void run(ProcessBuilder builder) {
        try {
            Process process = builder.redirectErrorStream(true).start();
            process.getOutputStream().close();
            byte[] output = process.getInputStream().readAllBytes();
            if (process.waitFor() != 0 || output.length == 0) {
                throw new IllegalStateException("spawn failed: " + new String(output));
            }
            return null;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    private static void print(String program, String mode, Figures figures, Figures bare, Figures plain) {
        System.out.printf(Locale.ROOT, "%-7s %-14s %10.1f %9.2f %14s %14s%n", program, mode, figures.perSecond(), figures.p50Ms(),
                bare == null ? "" : String.format(Locale.ROOT, "%.0f%%", 100 * figures.perSecond() / bare.perSecond()),
                plain == null ? "" : String.format(Locale.ROOT, "%.0f%%", 100 * figures.perSecond() / plain.perSecond()));
    }

    private record Figures(double perSecond, double p50Ms) {
    }
}
