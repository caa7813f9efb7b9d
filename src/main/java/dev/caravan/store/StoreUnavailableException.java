package dev.caravan.store;

/** The job store's database cannot be reached or failed a statement; what was asked may be retried. */
public final class StoreUnavailableException extends RuntimeException {

    public StoreUnavailableException(Throwable cause) {
        super("the job store is unavailable: " + cause.getMessage(), cause);
    }
}
