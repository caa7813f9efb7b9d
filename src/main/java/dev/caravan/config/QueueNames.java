package dev.caravan.config;

/** The names of the exchanges and queues that make up Caravan's topology on the broker. */
public record QueueNames(String exchange, String execute, String deadLetterExchange, String deadLetter) {

    /** Routing key of jobs on both the job exchange and the dead-letter exchange. */
    public static final String EXECUTE_ROUTING_KEY = "execute";
    /** Routing keys of operator-defined tasks on the job exchange: CPU tasks and GPU tasks, each to its own queue. */
    public static final String TASK_CPU_ROUTING_KEY = "task.cpu";
    public static final String TASK_GPU_ROUTING_KEY = "task.gpu";

    /** The queue of CPU tasks, named after the execute queue so that each deployment's (and test's) is its own. */
    public String taskCpu() {
        return execute + "." + TASK_CPU_ROUTING_KEY;
    }

    /** The queue of GPU tasks: judge jobs and CPU tasks never wait behind a long training run there. */
    public String taskGpu() {
        return execute + "." + TASK_GPU_ROUTING_KEY;
    }

    static QueueNames read(SettingsReader reader) {
        return new QueueNames(
                reader.text("caravan.queue.exchange"),
                reader.text("caravan.queue.execute"),
                reader.text("caravan.queue.dead-letter-exchange"),
                reader.text("caravan.queue.dead-letter"));
    }
}
