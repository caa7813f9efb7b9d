package dev.caravan.observe;

import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * A Caravan health check that speaks to readiness only (group {@code caravan}): what it reports is a reason to send
 * the node no traffic, never a reason to restart it.
 */
abstract class ReadinessCheck extends AbstractHealthCheck {

    /** @param id the check's id under {@code /observe/health}, e.g. {@code broker} */
    ReadinessCheck(String id) {
        super("caravan", id);
    }

    @Override
    public final boolean isLiveness() {
        return false;
    }
}
