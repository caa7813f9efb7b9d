package dev.caravan.config;

import java.time.Duration;

/** How often and how patiently a worker retries a job that failed for an infrastructure reason. */
public record RetryPolicy(int maxAttempts, Duration initialDelay, double backoffMultiplier, Duration maxDelay) {

    static RetryPolicy read(SettingsReader reader) {
        RetryPolicy policy = new RetryPolicy(
                reader.positiveInt("caravan.worker.max-attempts"),
                reader.positiveDuration("caravan.worker.retry-delay"),
                reader.nonNegativeDecimal("caravan.worker.retry-backoff-multiplier"),
                reader.positiveDuration("caravan.worker.retry-max-delay"));
        if (policy.backoffMultiplier < 1) {
            throw new InvalidSettingException("caravan.worker.retry-backoff-multiplier",
                    "must be 1 or more so that delays never shrink, but was " + policy.backoffMultiplier);
        }
        return policy;
    }

    /** Retries after the first attempt, as Camel's redelivery policy counts them. */
    public int redeliveries() {
        return maxAttempts - 1;
    }
}
