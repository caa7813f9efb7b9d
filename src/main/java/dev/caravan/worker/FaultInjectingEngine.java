package dev.caravan.worker;

import dev.caravan.contract.ExecuteResult;
import dev.caravan.contract.Job;
import dev.caravan.engine.EngineFailure;
import dev.caravan.engine.ExecutionEngine;
import dev.caravan.engine.JobBudget;
import dev.caravan.engine.Language;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fails a share of jobs as if the machine had ({@code caravan.chaos.failure-rate}), or halts the whole worker
 * process in the middle of a job as a crash would ({@code caravan.chaos.crash-rate}), or makes every attempt take longer
 * as on a slow machine ({@code caravan.chaos.slowdown}, so that a test finds jobs in flight to interrupt), so that a
 * deployment's retries, dead letters, redelivery and supervisor can be seen working before a real fault tests them.
 */
public final class FaultInjectingEngine implements ExecutionEngine {

    private final ExecutionEngine engine;
    private static final Logger LOG = LoggerFactory.getLogger(FaultInjectingEngine.class);
    private static final int CRASH_EXIT_CODE = 137;

    private final double failureRate;
    private final double crashRate;
    private final Duration slowdown;

    public FaultInjectingEngine(ExecutionEngine engine, double failureRate, double crashRate, Duration slowdown) {
        this.engine = engine;
        this.failureRate = failureRate;
        this.crashRate = crashRate;
        this.slowdown = slowdown;
    }

    /** Halts the worker now, as a crash would, saying so in the log. */
    static void crash(String during, double crashRate) {
        LOG.error("Injected crash while running {} (caravan.chaos.crash-rate={})", during, crashRate);
        Runtime.getRuntime().halt(CRASH_EXIT_CODE);
    }

    /** Halts the worker a moment from now, while what it has just started runs (a task's process). */
    static void crashSoon(String during, double crashRate) {
        CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS).execute(() -> crash(during, crashRate));
    }

    @Override
    public List<Language> languages() {
        return engine.languages();
    }

    @Override
    public ExecuteResult execute(Job job, JobBudget budget) {
        if (!slowdown.isZero()) {
            try {
                Thread.sleep(slowdown.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EngineFailure("interrupted during the injected slowdown");
            }
        }
        if (ThreadLocalRandom.current().nextDouble() < crashRate) {
            crash("job " + job.id(), crashRate);
        }
        if (ThreadLocalRandom.current().nextDouble() < failureRate) {
            throw new EngineFailure("injected failure (caravan.chaos.failure-rate=" + failureRate + ")");
        }
        return engine.execute(job, budget);
    }
}
