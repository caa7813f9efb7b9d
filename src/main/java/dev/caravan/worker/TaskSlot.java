package dev.caravan.worker;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One task slot of this worker: a GPU (one task at a time on it) or one of its CPU task slots. Knows what it runs now
 * and what it has done, as Prometheus meters tagged {@code slot} ({@code gpu0}, {@code cpu1}) and as its part of the
 * status line.
 *
 * @param index its number among the worker's task slots, which picks its sandbox uid
 * @param gpu   the GPU's index on the host, null for a CPU slot
 */
public record TaskSlot(int index, Integer gpu, String name, AtomicReference<String> current, Timer tasks) {

    /** A slot whose meters are registered in {@code registry}. */
    public static TaskSlot of(int index, Integer gpu, MeterRegistry registry) {
        String name = gpu == null ? "cpu" + index : "gpu" + gpu;
        AtomicReference<String> current = new AtomicReference<>();
        Gauge.builder("caravan.task.slot.busy", current, running -> running.get() == null ? 0 : 1)
                .description("1 while the slot runs a task").tag("slot", name).register(registry);
        Timer tasks = Timer.builder("caravan.task.slot.tasks").description("Tasks the slot has run, and their time")
                .tag("slot", name).register(registry);
        return new TaskSlot(index, gpu, name, current, tasks);
    }

    void started(String taskId) {
        current.set(taskId);
    }

    void finished(long nanos) {
        current.set(null);
        tasks.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Ended without a result (a failure the error handling retries or parks): free again, nothing counted. */
    void released() {
        current.set(null);
    }

    /** Its part of the status line: {@code gpu0=busy:ID done=3 avg_ms=310} (busy, or idle). */
    String status() {
        String task = current.get();
        return name + "=" + (task == null ? "idle" : "busy:" + task) + " " + name + "_done=" + tasks.count()
                + " " + name + "_avg_ms=" + Math.round(tasks.mean(TimeUnit.MILLISECONDS));
    }
}
