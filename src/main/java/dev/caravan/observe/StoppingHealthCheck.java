package dev.caravan.observe;

import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.camel.health.HealthCheckResultBuilder;

/**
 * Not ready once the node has begun to stop: it still answers the requests it accepted but refuses new ones, so a
 * load balancer polling {@code /observe/health/ready} should send them elsewhere. Not a liveness check: the node is
 * stopping on purpose, and restarting it would undo that.
 */
public final class StoppingHealthCheck extends ReadinessCheck {

    private final BooleanSupplier stopping;

    public StoppingHealthCheck(BooleanSupplier stopping) {
        super("stopping");
        this.stopping = stopping;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        if (stopping.getAsBoolean()) {
            builder.message("the node is stopping: it answers the requests it accepted and refuses new ones");
            builder.down();
        } else {
            builder.up();
        }
    }
}
