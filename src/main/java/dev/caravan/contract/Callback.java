package dev.caravan.contract;

import java.util.Map;

/**
 * Where to send a job's record when it ends ({@code "callback"} of {@code POST /jobs}), and the headers to send
 * with it (an Authorization header, say), sent as given.
 *
 * @param format how the callback is sent: {@link #CARAVAN} (a POST of the job's record) or the name of an API whose
 *               adapter registered its own (Judge0's PUT of the submission)
 */
public record Callback(String url, Map<String, String> headers, String format) {

    /** A POST of the job's record, the body of {@code GET /jobs/{id}}. */
    public static final String CARAVAN = "caravan";

    public Callback {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        format = format == null ? CARAVAN : format;
    }

    /** A callback in Caravan's own format. */
    public Callback(String url, Map<String, String> headers) {
        this(url, headers, CARAVAN);
    }
}
