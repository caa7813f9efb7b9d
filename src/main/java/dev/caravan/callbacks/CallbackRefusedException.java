package dev.caravan.callbacks;

/** A callback URL that may not be called (see {@link CallbackAddressGuard}); the message names why. */
public final class CallbackRefusedException extends RuntimeException {

    public CallbackRefusedException(String message) {
        super(message);
    }
}
