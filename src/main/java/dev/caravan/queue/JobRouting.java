package dev.caravan.queue;

import dev.caravan.config.QueueNames;
import dev.caravan.contract.Job;
import dev.caravan.contract.Json;
import java.io.IOException;

/** Which queue a job goes to: programs to the judge queue, tasks to the CPU or the GPU task queue. */
public final class JobRouting {

    private JobRouting() {
    }

    /** The routing key on the job exchange ({@link QueueNames}). */
    public static String keyOf(Job job) {
        if (job.task() == null) {
            return QueueNames.EXECUTE_ROUTING_KEY;
        }
        return job.task().gpus() > 0 ? QueueNames.TASK_GPU_ROUTING_KEY : QueueNames.TASK_CPU_ROUTING_KEY;
    }

    /** The routing key of a job message's body; one that cannot be read goes to the judge queue, whose worker parks it. */
    public static String keyOf(byte[] jobMessage) {
        try {
            return keyOf(Json.read(jobMessage, Job.class));
        } catch (IOException | RuntimeException unreadable) {
            return QueueNames.EXECUTE_ROUTING_KEY;
        }
    }
}
