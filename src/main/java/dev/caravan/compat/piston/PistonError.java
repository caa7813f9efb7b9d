package dev.caravan.compat.piston;

import dev.caravan.ingress.ApiError;

/**
 * Piston's error body, {@code {"message": "..."}} ("a JSON payload is sent back containing the error message as
 * message", engineer-man/piston {@code docs/api-v2.md}); the HTTP status stays Caravan's.
 */
public record PistonError(String message) {

    /** Caravan's error as Piston writes it; a job already queued is named in the message, where a client shows it. */
    public static PistonError of(ApiError error) {
        return new PistonError(error.id() == null ? error.error() : error.error() + " (job " + error.id() + ")");
    }
}
