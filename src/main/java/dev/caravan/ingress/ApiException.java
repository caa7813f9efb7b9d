package dev.caravan.ingress;

/** A request Caravan refuses, with the HTTP status and the error body to answer it with. */
public class ApiException extends RuntimeException {

    private final int httpStatus;
    private final String field;

    public ApiException(int httpStatus, String message, String field) {
        super(message, null, false, false);
        this.httpStatus = httpStatus;
        this.field = field;
    }

    public ApiException(int httpStatus, String message) {
        this(httpStatus, message, null);
    }

    public static ApiException badField(String field, String message) {
        return new ApiException(400, message, field);
    }

    public int httpStatus() {
        return httpStatus;
    }

    public ApiError body() {
        return new ApiError(getMessage(), field, null, null);
    }
}
