package dev.caravan.config;

/** Caravan will not start, for a reason an operator can fix; the message says which and how. */
public class StartupRefusedException extends RuntimeException {

    public StartupRefusedException(String message) {
        super(message);
    }

    public StartupRefusedException(String message, Throwable cause) {
        super(message, cause);
    }
}
