package dev.caravan.config;

import java.time.Duration;
import java.util.List;

/**
 * Every Caravan setting, read and checked once at start-up, so that a wrong value stops the process with a
 * message naming the key instead of failing the first job.
 */
public record CaravanSettings(
        Role role,
        BrokerSettings broker,
        QueueNames queues,
        QueuePolicy queuePolicy,
        Duration waitTimeout,
        Duration confirmTimeout,
        int workerConcurrency,
        RetryPolicy retry,
        Duration shutdownTimeout,
        Duration consumerTimeout,
        Duration statusInterval,
        RequestLimits limits,
        List<String> apiKeys,
        String adminToken,
        double chaosFailureRate,
        double chaosCrashRate,
        Duration chaosSlowdown) {

    public static CaravanSettings read(SettingsReader reader) {
        BrokerSettings broker = BrokerSettings.read(reader);
        CaravanSettings settings = new CaravanSettings(
                reader.oneOf("caravan.role", Role.class),
                broker,
                QueueNames.read(reader),
                QueuePolicy.read(reader, broker.addresses().size()),
                reader.positiveDuration("caravan.execute.wait-timeout"),
                reader.positiveDuration("caravan.execute.confirm-timeout"),
                workerConcurrency(reader),
                RetryPolicy.read(reader),
                reader.positiveDuration("caravan.worker.shutdown-timeout"),
                reader.positiveDuration("caravan.broker.consumer-timeout"),
                reader.positiveDuration("caravan.status.interval"),
                RequestLimits.read(reader),
                reader.list("caravan.api.keys"),
                reader.textOrEmpty("caravan.admin.token"),
                rate(reader, "caravan.chaos.failure-rate"),
                rate(reader, "caravan.chaos.crash-rate"),
                slowdown(reader));
        settings.requireJobsFinishWithinTheConsumerTimeout();
        return settings;
    }

    /**
     * The broker closes the channel of a consumer that holds a delivery longer than its consumer timeout, and
     * the job would run again elsewhere: the slowest possible job, with every retry, must finish well inside it.
     */
    private void requireJobsFinishWithinTheConsumerTimeout() {
        Duration slowestJob = slowestJob();
        if (slowestJob.multipliedBy(4).compareTo(consumerTimeout.multipliedBy(3)) > 0) {
            throw new InvalidSettingException("caravan.broker.consumer-timeout", "is " + consumerTimeout.toSeconds()
                    + " s, but a job with the most tests at the longest wall time, retried " + retry.maxAttempts()
                    + " times, may take " + slowestJob.toSeconds() + " s; keep that under three quarters of the consumer timeout "
                    + "by lowering caravan.limits.max-job-wall-time, caravan.limits.max.wall-time-ms, caravan.limits.max-tests "
                    + "or caravan.worker.max-attempts");
        }
    }

    /**
     * The longest one delivery can take: every attempt runs a compile and every test at the maximum wall time, or
     * stops at the job wall-time budget, which the engine enforces on each attempt.
     */
    public Duration slowestJob() {
        Duration everyTestAtItsLimit = Duration.ofMillis((long) limits.maxima().wallTimeMs() * (limits.maxTests() + 1));
        Duration oneAttempt = everyTestAtItsLimit.compareTo(limits.maxJobWallTime()) < 0 ? everyTestAtItsLimit
                : limits.maxJobWallTime();
        return oneAttempt.multipliedBy(retry.maxAttempts()).plus(retry.maxDelay().multipliedBy(retry.redeliveries()));
    }

    private static double rate(SettingsReader reader, String key) {
        double rate = reader.nonNegativeDecimal(key);
        if (rate > 1) {
            throw new InvalidSettingException(key, "is a probability from 0 to 1 but was " + rate);
        }
        return rate;
    }

    /** {@code caravan.chaos.slowdown}: blank or 0 for none. */
    private static Duration slowdown(SettingsReader reader) {
        String value = reader.textOrEmpty("caravan.chaos.slowdown");
        return value.isEmpty() || value.equals("0") ? Duration.ZERO : reader.positiveDuration("caravan.chaos.slowdown");
    }

    /** {@code caravan.worker.concurrency}; blank means one concurrent job per core, the most a CPU-bound judge can usefully run. */
    public static int workerConcurrency(SettingsReader reader) {
        if (reader.textOrEmpty("caravan.worker.concurrency").isEmpty()) {
            return Runtime.getRuntime().availableProcessors();
        }
        return reader.positiveInt("caravan.worker.concurrency");
    }
}
