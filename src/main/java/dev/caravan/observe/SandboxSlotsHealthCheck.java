package dev.caravan.observe;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.function.IntSupplier;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * The worker's sandbox slots that a failed reset took out of service (a job folder that could not be removed, a
 * process of the slot's uid that survived SIGKILL). Each is a job the worker can no longer run at once, so it is a
 * gauge ({@code caravan_sandbox_slots_out_of_service}) and a warning in this check's details; with every slot out the
 * worker can run nothing and the check is DOWN, so the supervisor or orchestrator replaces it.
 */
public final class SandboxSlotsHealthCheck extends AbstractHealthCheck {

    private final IntSupplier outOfService;
    private final int slots;

    /**
     * @param outOfService slots taken out of service so far
     * @param slots        slots the worker was started with
     */
    public SandboxSlotsHealthCheck(IntSupplier outOfService, int slots) {
        super("caravan", "sandbox-slots");
        this.outOfService = outOfService;
        this.slots = slots;
    }

    /** Registers the gauge {@code caravan.sandbox.slots.out.of.service}. */
    public SandboxSlotsHealthCheck register(MeterRegistry metrics) {
        Gauge.builder("caravan.sandbox.slots.out.of.service", outOfService, IntSupplier::getAsInt)
                .description("sandbox slots taken out of service because their reset after a job failed")
                .register(metrics);
        return this;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        int out = outOfService.getAsInt();
        builder.detail("slots", slots);
        builder.detail("slots_out_of_service", out);
        if (out >= slots) {
            builder.message("every sandbox slot is out of service: this worker can run no job");
            builder.down();
            return;
        }
        if (out > 0) {
            builder.message("WARNING: " + out + " of " + slots + " sandbox slots are out of service (see the worker log)");
        }
        builder.up();
    }
}
