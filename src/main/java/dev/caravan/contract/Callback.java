package dev.caravan.contract;

import java.util.Map;

/**
 * Where to POST a job's record when it ends ({@code "callback"} of {@code POST /jobs}), and the headers to send
 * with it (an Authorization header, say), sent as given.
 */
public record Callback(String url, Map<String, String> headers) {

    public Callback {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }
}
