package dev.caravan.sandbox;

import dev.caravan.config.TestSettings;
import dev.caravan.contract.ExecuteResult;
import dev.caravan.contract.Job;
import dev.caravan.contract.Limits;
import dev.caravan.contract.Status;
import dev.caravan.contract.TestCase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Spawn throughput of the engine against the bare sandbox and no sandbox at all, run with
 * {@code mvn -q -B -Pbench test-compile exec:java} (optional argument: rounds, default 15). Not a test: the figures
 * depend on the machine and its load.
 *
 * <p>Method: one program at a time, output read to the end, the caller's clock. The three modes are interleaved
 * round by round (in each round {@value #RUNS_PER_ROUND} unsandboxed spawns, {@value #RUNS_PER_ROUND} bare sandboxed
 * spawns, one engine job of {@value #RUNS_PER_ROUND} tests), so that they share whatever else the machine is
 * doing. "unsandboxed" is ProcessBuilder on the binary; "bare sandbox" is the engine's exact setpriv + bwrap
 * command line without cgroups, rlimits or job directory; "engine" is {@link SandboxedEngine#execute} with
 * everything: job directory, source file, per-run cgroups and limits, verdicts, clean-up — the C compile of the job
 * is subtracted (it is paid once per job and reported below). exec/s = runs / total time of the mode; p50 = median
 * time of one run (for the engine: of a job's time divided by its tests); overhead p50 = the engine's p50 minus the
 * unsandboxed one, what the sandbox adds to a run. Then full single-test jobs, compile included, and Java with the
 * warm and with the command-line javac.
 */
public final class EngineBenchmark {

    private static final EngineSettings DEFAULTS = EngineSettings.read(TestSettings.defaultsWith(Map.of()));

    private static final int RUNS_PER_ROUND = 20;
    private static final Limits LIMITS = new Limits(5000, 10_000, 256, 64);
    private static final String PYTHON = "print('hello')\n";
    private static final String C = "#include <stdio.h>\nint main(void) { puts(\"hello\"); return 0; }\n";
    private static final String JAVA = "public class Main { public static void main(String[] a) { System.out.println(\"hello\"); } }\n";

    private EngineBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        try (SandboxedEngine engine = SandboxedEngine.create(DEFAULTS)) {
            SandboxLauncher launcher = new SandboxLauncher(DEFAULTS, null, null);
            System.out.printf(Locale.ROOT, "%-7s %-13s %9s %8s %12s %13s %14s%n", "program", "mode", "exec/s", "p50 ms",
                    "engine/bare", "engine/plain", "overhead p50");
            compare(engine, launcher, rounds, "python", PYTHON);
            compare(engine, launcher, rounds, "c", C);
            fullJobs(engine, "python", PYTHON, 30);
            fullJobs(engine, "c", C, 20);
            fullJobs(engine, "java", JAVA, 15);
        }
        try (SandboxedEngine cold = SandboxedEngine.create(
                EngineSettings.read(TestSettings.defaultsWith(Map.of("caravan.compile.warm-javac", "false"))))) {
            System.out.println("(for comparison, with the command-line javac instead of the warm one:)");
            fullJobs(cold, "java", JAVA, 5);
        }
    }

    private static void compare(SandboxedEngine engine, SandboxLauncher launcher, int rounds, String language, String code)
            throws Exception {
        Path dir = Files.createTempDirectory("caravan-bench-");
        try {
            List<String> program = prepare(dir, language, code);
            List<String> sandboxed = bareSandbox(launcher, dir, program);
            List<TestCase> tests = Collections.nCopies(RUNS_PER_ROUND, new TestCase("", "hello\n"));
            Mode plain = new Mode();
            Mode bare = new Mode();
            Mode viaEngine = new Mode();
            for (int round = -1; round < rounds; round++) {   // round -1 warms up every mode
                boolean counted = round >= 0;
                for (int i = 0; i < RUNS_PER_ROUND; i++) {
                    plain.time(counted, 1, () -> spawn(program, dir));
                }
                for (int i = 0; i < RUNS_PER_ROUND; i++) {
                    bare.time(counted, 1, () -> spawn(sandboxed, dir));
                }
                viaEngine.time(counted, RUNS_PER_ROUND, () -> {
                    ExecuteResult result = execute(engine, language, code, tests);
                    return result.compile() == null ? 0 : result.compile().timeMs() * 1_000_000;
                });
            }
            print(language, "unsandboxed", plain, null, null);
            print(language, "bare sandbox", bare, null, null);
            print(language, "engine", viaEngine, bare, plain);
        } finally {
            JobDirectory.deleteTree(dir);
        }
    }

    /** Writes (and for C compiles) the program in {@code dir}, readable by the sandbox uid; returns its command. */
    private static List<String> prepare(Path dir, String language, String code) throws IOException, InterruptedException {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        if (language.equals("python")) {
            Files.writeString(dir.resolve("main.py"), code);
            // the same interpreter flags as config/languages.yaml, so that only the sandbox differs
            return List.of("/usr/bin/python3", "-E", "-s", "-S", "-X", "frozen_modules=on", "main.py");
        }
        Files.writeString(dir.resolve("main.c"), code);
        if (new ProcessBuilder("/usr/bin/gcc", "-O2", "-o", "main", "main.c").directory(dir.toFile()).inheritIO().start().waitFor() != 0) {
            throw new IllegalStateException("cannot compile the C hello world");
        }
        return List.of("./main");
    }

    /** The engine's own setpriv + bwrap command line, without the sh stage (cgroups, rlimits) in front of it. */
    private static List<String> bareSandbox(SandboxLauncher launcher, Path dir, List<String> program) {
        // nobody (65534): the bare sandbox runs outside any slot
        RunRequest request = new RunRequest(program, dir, new byte[0], 5000, 10_000, 256L << 20, 65536, 16, true, List.of(),
                new SandboxUser(65534, 65534));
        List<String> full = launcher.command(request, new NoCgroupSupport("benchmark").create(0, 0), null);
        return full.subList(4, full.size());
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
        System.out.printf(Locale.ROOT, "%-7s full job, 1 test: p50 %.1f ms%s%n", language, median(times),
                language.equals("python") ? "" : String.format(Locale.ROOT, " (compile p50 %.1f ms)", median(compiles)));
    }

    private static ExecuteResult execute(SandboxedEngine engine, String language, String code, List<TestCase> tests) {
        ExecuteResult result = engine.execute(new Job("bench", language, code, tests, LIMITS), SharedEngine.noHurry());
        if (result.status() != Status.ACCEPTED) {
            throw new IllegalStateException("benchmark program failed: " + result);
        }
        return result;
    }

    private static long spawn(List<String> command, Path dir) {
        try {
            Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            process.getOutputStream().close();
            byte[] output = process.getInputStream().readAllBytes();
            if (process.waitFor() != 0 || output.length == 0) {
                throw new IllegalStateException("spawn failed: " + new String(output));
            }
            return 0;
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

    private static void print(String program, String mode, Mode figures, Mode bare, Mode plain) {
        System.out.printf(Locale.ROOT, "%-7s %-13s %9.1f %8.2f %12s %13s %14s%n", program, mode, figures.perSecond(), figures.p50Ms(),
                bare == null ? "" : String.format(Locale.ROOT, "%.0f%%", 100 * figures.perSecond() / bare.perSecond()),
                plain == null ? "" : String.format(Locale.ROOT, "%.0f%%", 100 * figures.perSecond() / plain.perSecond()),
                plain == null ? "" : String.format(Locale.ROOT, "%+.2f ms", figures.p50Ms() - plain.p50Ms()));
    }

    /** Accumulated timings of one mode. */
    private static final class Mode {

        private final List<Double> perRunMs = new ArrayList<>();
        private long runs;
        private long nanos;

        interface Timed {
            /** Runs once; returns nanoseconds to leave out (a compile). */
            long run();
        }

        void time(boolean counted, int runsInside, Timed timed) {
            long started = System.nanoTime();
            long excluded = timed.run();
            long elapsed = System.nanoTime() - started - excluded;
            if (counted) {
                runs += runsInside;
                nanos += elapsed;
                perRunMs.add(elapsed / 1e6 / runsInside);
            }
        }

        double perSecond() {
            return runs / (nanos / 1e9);
        }

        double p50Ms() {
            return median(perRunMs);
        }
    }
}
