package dev.caravan.worker;

/** How a worker's reply should be read, carried in an AMQP header beside the JSON body. */
public enum JobOutcome {
    COMPLETED,
    DEAD_LETTERED;

    public static final String HEADER = "caravan-outcome";
}
