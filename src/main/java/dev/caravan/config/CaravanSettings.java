package dev.caravan.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Every Caravan setting, read and checked once at start-up, so that a wrong value stops the process with a
 * message naming the key instead of failing the first job.
 */
public record CaravanSettings(
        Role role,
        BrokerSettings broker,
        QueueNames queues,
        Duration waitTimeout,
        int workerConcurrency,
        RetryPolicy retry,
        Duration statusInterval,
        RequestLimits limits,
        Path routesDirectory,
        double chaosFailureRate) {

    public static CaravanSettings read(SettingsReader reader) {
        return new CaravanSettings(
                reader.oneOf("caravan.role", Role.class),
                BrokerSettings.read(reader),
                QueueNames.read(reader),
                reader.positiveDuration("caravan.execute.wait-timeout"),
                workerConcurrency(reader),
                RetryPolicy.read(reader),
                reader.positiveDuration("caravan.status.interval"),
                RequestLimits.read(reader),
                Path.of(reader.text("caravan.routes.dir")),
                reader.nonNegativeDecimal("caravan.chaos.failure-rate"));
    }

    /** Blank means one concurrent job per core, the most a CPU-bound judge can usefully run. */
    private static int workerConcurrency(SettingsReader reader) {
        if (reader.textOrEmpty("caravan.worker.concurrency").isEmpty()) {
            return Runtime.getRuntime().availableProcessors();
        }
        return reader.positiveInt("caravan.worker.concurrency");
    }
}
