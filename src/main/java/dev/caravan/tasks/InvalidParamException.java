package dev.caravan.tasks;

/** A task request's params break its type's schema: a 400 naming {@link #param()}. */
public final class InvalidParamException extends Exception {

    private final String param;

    /** @param param the param at fault, or null when the params as a whole are (not an object) */
    InvalidParamException(String param, String message) {
        super(message);
        this.param = param;
    }

    public String param() {
        return param;
    }
}
