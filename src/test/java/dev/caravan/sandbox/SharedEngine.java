package dev.caravan.sandbox;

import dev.caravan.config.TestSettings;
import dev.caravan.contract.ExecuteResult;
import dev.caravan.contract.Job;
import dev.caravan.contract.Limits;
import dev.caravan.contract.TestCase;
import dev.caravan.engine.JobBudget;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One real engine (bwrap, cgroups, warm javac) for every test class of the JVM: starting it costs the javac warm-up,
 * and sharing it is also the point of the hostile suite — each job must leave the worker fit for the next.
 */
final class SharedEngine {

    static final Limits LIMITS = new Limits(2000, 4000, 128, 64);
    /** Compile limits shorter than the defaults, so that a compile bomb costs the suite seconds, not tens of them. */
    private static final Map<String, String> TEST_PROPERTIES = Map.of(
            "caravan.compile.cpu-time-ms", "8000",
            "caravan.compile.wall-time-ms", "10000");
    static final EngineSettings SETTINGS = settings();

    private static SandboxedEngine engine;

    private SharedEngine() {
    }

    /** The test settings with some {@code caravan.*} keys overridden, as "key", "value", ... */
    static EngineSettings settings(String... overrides) {
        Map<String, String> properties = new HashMap<>(TEST_PROPERTIES);
        for (int i = 0; i < overrides.length; i += 2) {
            properties.put(overrides[i], overrides[i + 1]);
        }
        return EngineSettings.read(TestSettings.defaultsWith(properties));
    }

    static synchronized SandboxedEngine get() {
        if (engine == null) {
            engine = SandboxedEngine.create(SETTINGS);
            Runtime.getRuntime().addShutdownHook(new Thread(engine::close));
        }
        return engine;
    }

    static ExecuteResult run(String language, String code, Limits limits, TestCase... tests) {
        return get().execute(new Job(UUID.randomUUID().toString(), language, code, List.of(tests), limits), noHurry());
    }

    /** A budget no test job comes near: no caller waits, and ten minutes to run. */
    static JobBudget noHurry() {
        return JobBudget.startingNow(Duration.ofMinutes(10), null);
    }

    static ExecuteResult run(String language, String code, TestCase... tests) {
        return run(language, code, LIMITS, tests);
    }

    /** A program of the test resources, e.g. {@code hostile/fork_bomb.c}. */
    static String source(String resource) {
        try (InputStream in = SharedEngine.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static TestCase input(String input) {
        return new TestCase(input, null);
    }

    static TestCase expect(String input, String output) {
        return new TestCase(input, output);
    }
}
