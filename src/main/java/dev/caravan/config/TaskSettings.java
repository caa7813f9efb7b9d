package dev.caravan.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Operator-defined tasks and the slots a worker offers them.
 *
 * @param file         {@code caravan.tasks.file}: the task types ({@code config/tasks.yaml}); missing means none
 * @param gpus         {@code caravan.worker.gpus}: {@code auto} (what {@code nvidia-smi -L} lists, none without it),
 *                     {@code none}, or GPU indexes such as {@code 0,1,2,3}; each is a slot taking one GPU task at a time
 * @param cpuSlots     {@code caravan.worker.cpu-tasks}: tasks with {@code gpus: 0} this worker runs at once (0: none)
 * @param outputTailKb {@code caravan.tasks.output-tail-kb}: the end of a task's stdout, and of its stderr, that is kept
 * @param outputsKb    {@code caravan.tasks.outputs-kb}: the files of a task's {@code out/} folder that come back, in all
 * @param judgeJobs    {@code caravan.worker.judge-jobs}: whether this worker takes judge jobs (its judge slots,
 *                     {@code caravan.worker.concurrency}) at all; false for a GPU machine that should run tasks only
 * @param leaseRenewal {@code caravan.tasks.lease-renewal}: how often a running task renews its hold on the broker;
 *                     must stay well under the broker's {@code consumer_timeout} (30 minutes as RabbitMQ ships)
 */
public record TaskSettings(Path file, String gpus, int cpuSlots, int outputTailKb, int outputsKb, boolean judgeJobs,
                           Duration leaseRenewal) {

    /** @throws InvalidSettingException naming the key of a missing or malformed value */
    public static TaskSettings read(SettingsReader reader) {
        String gpus = reader.text("caravan.worker.gpus").strip();
        if (!gpus.equals("auto") && !gpus.equals("none") && !gpus.matches("\\d+(\\s*,\\s*\\d+)*")) {
            throw new InvalidSettingException("caravan.worker.gpus", "expected auto, none or GPU indexes such as 0,1,2,3 but was '"
                    + gpus + "'");
        }
        return new TaskSettings(Path.of(reader.text("caravan.tasks.file")), gpus,
                reader.intAtLeast("caravan.worker.cpu-tasks", 0),
                reader.positiveInt("caravan.tasks.output-tail-kb"),
                reader.positiveInt("caravan.tasks.outputs-kb"),
                reader.bool("caravan.worker.judge-jobs"),
                reader.positiveDuration("caravan.tasks.lease-renewal"));
    }

    /** The GPU indexes declared by number, empty for {@code auto} and {@code none}. */
    public List<Integer> declaredGpus() {
        return gpus.matches("\\d.*") ? List.of(gpus.split("\\s*,\\s*")).stream().map(Integer::valueOf).distinct().toList()
                : List.of();
    }
}
