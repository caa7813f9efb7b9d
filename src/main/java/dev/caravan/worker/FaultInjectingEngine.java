package dev.caravan.worker;

import dev.caravan.contract.ExecuteResult;
import dev.caravan.contract.Job;
import dev.caravan.engine.EngineFailure;
import dev.caravan.engine.ExecutionEngine;
import dev.caravan.engine.Language;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Fails a share of jobs as if the machine had ({@code caravan.chaos.failure-rate}), so that a deployment's
 * retries and dead letters can be seen working before a real fault tests them.
 */
public final class FaultInjectingEngine implements ExecutionEngine {

    private final ExecutionEngine engine;
    private final double failureRate;

    public FaultInjectingEngine(ExecutionEngine engine, double failureRate) {
        this.engine = engine;
        this.failureRate = failureRate;
    }

    @Override
    public List<Language> languages() {
        return engine.languages();
    }

    @Override
    public ExecuteResult execute(Job job) {
        if (ThreadLocalRandom.current().nextDouble() < failureRate) {
            throw new EngineFailure("injected failure (caravan.chaos.failure-rate=" + failureRate + ")");
        }
        return engine.execute(job);
    }
}
