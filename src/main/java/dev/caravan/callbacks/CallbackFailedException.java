package dev.caravan.callbacks;

/** One POST of a callback was not answered 2xx (or not answered at all); it will be retried. */
public final class CallbackFailedException extends RuntimeException {

    public CallbackFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
