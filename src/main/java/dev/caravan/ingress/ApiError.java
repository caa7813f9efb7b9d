package dev.caravan.ingress;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The JSON body of every error answer: what is wrong, which field is at fault and, once queued, the job id. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiError(String error, String field, String id, String status) {

    public static ApiError of(String error) {
        return new ApiError(error, null, null, null);
    }
}
