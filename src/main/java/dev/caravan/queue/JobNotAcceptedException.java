package dev.caravan.queue;

/** The broker did not confirm that it holds the job (queue full, or no confirmation in time). */
public class JobNotAcceptedException extends RuntimeException {

    public JobNotAcceptedException(String message) {
        super(message);
    }
}
