package dev.caravan.observe;

import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;

/**
 * Ready only while the broker answers and the execute queue exists: a node that cannot publish or consume
 * jobs should be taken out of a load balancer, not sent traffic it would answer 503. Not a liveness check:
 * restarting Caravan does not bring a broker back.
 */
public final class BrokerHealthCheck extends ReadinessCheck {

    private final QueueStatistics queue;

    public BrokerHealthCheck(QueueStatistics queue) {
        super("broker");
        this.queue = queue;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        try {
            var declared = queue.declared();
            builder.detail("queue", declared.getQueue());
            builder.detail("consumers", declared.getConsumerCount());
            builder.up();
        } catch (Exception e) {
            builder.message("broker unreachable or execute queue missing: " + e.getMessage());
            builder.down();
        }
    }
}
