package dev.caravan.compat.judge0;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A submission Judge0 would answer {@code 422 Unprocessable Entity}: Rails' {@code submission.errors}, a map from each
 * field at fault to its messages ({@code {"language_id": ["can't be blank"]}}, submissions_controller.rb {@code create}).
 */
public final class Judge0Unprocessable extends RuntimeException {

    private final Map<String, List<String>> errors;

    public Judge0Unprocessable(Map<String, List<String>> errors) {
        super(errors.toString());
        this.errors = Collections.unmodifiableMap(new LinkedHashMap<>(errors));
    }

    public static Judge0Unprocessable of(String field, String message) {
        return new Judge0Unprocessable(Map.of(field, List.of(message)));
    }

    /** The 422 body. */
    public Map<String, List<String>> errors() {
        return errors;
    }
}
