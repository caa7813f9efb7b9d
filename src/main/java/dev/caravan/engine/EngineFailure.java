package dev.caravan.engine;

/** The machine, not the user's program, failed: the job should be retried elsewhere or dead-lettered. */
public class EngineFailure extends RuntimeException {

    public EngineFailure(String message) {
        super(message);
    }

    public EngineFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
