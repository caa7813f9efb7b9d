package dev.caravan.worker;

import dev.caravan.contract.ExecuteResult;
import dev.caravan.contract.TaskResult;
import dev.caravan.contract.TaskRun;
import dev.caravan.observe.LatencyHistogram;
import dev.caravan.observe.WorkerHeartbeat;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * What one worker process has done, kept as Prometheus meters (served at /observe/metrics); the status line
 * reads the same meters, so the log and the metrics never disagree.
 */
public final class WorkerStats {

    private final MeterRegistry registry;
    private final long startedNanos = System.nanoTime();
    private final AtomicLong inFlight = new AtomicLong();
    private final Counter failedAttempts;
    private final Counter retried;
    private final Timer processing;
    private final Timer queueWait;
    private final Timer sandbox;
    private final List<TaskSlot> taskSlots = new CopyOnWriteArrayList<>();

    public WorkerStats(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("caravan.jobs.in.flight", inFlight, AtomicLong::get)
                .description("Jobs this worker is running now").register(registry);
        failedAttempts = Counter.builder("caravan.jobs.failed")
                .description("Job attempts that failed for an infrastructure reason").register(registry);
        retried = Counter.builder("caravan.jobs.retried").description("Retries of failed job attempts").register(registry);
        processing = histogram("caravan.job.processing", "Time a worker spent on a job, reading and replying included");
        queueWait = histogram("caravan.job.queue.wait", "Time from publishing a job to a worker starting it");
        sandbox = histogram("caravan.sandbox.execution", "Time the engine took to compile and run a job");
    }

    private Timer histogram(String name, String description) {
        return Timer.builder(name).description(description).publishPercentileHistogram().register(registry);
    }

    void started(Duration waited) {
        inFlight.incrementAndGet();
        if (!waited.isNegative()) {
            queueWait.record(waited);
        }
    }

    void executed(long sandboxNanos) {
        sandbox.record(sandboxNanos, TimeUnit.NANOSECONDS);
    }

    void completed(ExecuteResult result, long nanos) {
        inFlight.decrementAndGet();
        processing.record(nanos, TimeUnit.NANOSECONDS);
        registry.counter("caravan.jobs.completed", "verdict", result.status().name(), "language", result.language()).increment();
    }

    /** A task ended with a verdict: counted as a job, under its verdict and {@code task:TYPE}. */
    void completedTask(TaskResult result, long nanos) {
        inFlight.decrementAndGet();
        processing.record(nanos, TimeUnit.NANOSECONDS);
        registry.counter("caravan.jobs.completed", "verdict", result.verdict().name(), "language",
                TaskRun.languageOf(result.type())).increment();
    }

    /** Adds a task slot's part to the status line. */
    void add(TaskSlot slot) {
        taskSlots.add(slot);
    }

    void attemptFailed() {
        inFlight.decrementAndGet();
        failedAttempts.increment();
    }

    /** The attempt ran out of time (see JobBudget): no longer in flight, and not a failure of the machine. */
    void outOfTime() {
        inFlight.decrementAndGet();
    }

    void retried() {
        retried.increment();
    }

    void deadLettered(String reason) {
        registry.counter("caravan.jobs.dead.lettered", "reason", reason).increment();
    }

    public long completed() {
        return sum("caravan.jobs.completed");
    }

    public long deadLetteredCount() {
        return sum("caravan.jobs.dead.lettered");
    }

    public long retriedCount() {
        return (long) retried.count();
    }

    private long sum(String counter) {
        return (long) registry.find(counter).counters().stream().mapToDouble(Counter::count).sum();
    }

    /** These figures as a heartbeat of the worker so named (see {@link HeartbeatPublisher}). */
    WorkerHeartbeat heartbeat(String worker, String host, long pid, int cpuSlots, long intervalMs) {
        Map<String, Map<String, Long>> verdicts = new TreeMap<>();
        for (Counter counter : registry.find("caravan.jobs.completed").counters()) {
            verdicts.computeIfAbsent(counter.getId().getTag("language"), language -> new TreeMap<>())
                    .merge(counter.getId().getTag("verdict"), (long) counter.count(), Long::sum);
        }
        int gpuSlots = (int) taskSlots.stream().filter(slot -> slot.gpu() != null).count();
        return new WorkerHeartbeat(worker, host, pid, cpuSlots, gpuSlots, inFlight.get(), completed(), (long) failedAttempts.count(),
                Math.round(processing.mean(TimeUnit.MILLISECONDS)), verdicts, LatencyHistogram.of(processing),
                LatencyHistogram.of(queueWait), statusLine(), intervalMs);
    }

    /** One line a log pipeline can split on spaces and '=' signs. */
    public String statusLine() {
        long uptimeSeconds = Duration.ofNanos(System.nanoTime() - startedNanos).toSeconds();
        return "worker status completed=" + completed() + " failed=" + (long) failedAttempts.count()
                + " retried=" + retriedCount() + " dead_lettered=" + deadLetteredCount() + " in_flight=" + inFlight.get()
                + " avg_processing_ms=" + Math.round(processing.mean(TimeUnit.MILLISECONDS)) + " uptime_s=" + uptimeSeconds
                + taskSlots.stream().map(slot -> " " + slot.status()).collect(Collectors.joining());
    }
}
