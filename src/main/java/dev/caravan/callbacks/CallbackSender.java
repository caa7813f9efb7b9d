package dev.caravan.callbacks;

import dev.caravan.contract.Callback;
import dev.caravan.contract.Json;
import dev.caravan.store.JobRecord;
import dev.caravan.store.JobStore;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attempt at a job's callback: POSTs the job's record (the body of {@code GET /jobs/{id}}) as JSON to the
 * caller's URL with the caller's headers and the signature ({@link CallbackSigner}), and keeps the attempt on the
 * record. A 2xx answer delivers it; anything else throws {@link CallbackFailedException} so that
 * {@link CallbackRoute} retries. Redirects are not followed (a redirect could lead past the address guard).
 * A callback asked for through an adapter is sent in the adapter's {@link CallbackFormat} instead.
 */
public final class CallbackSender {

    private static final Logger LOG = LoggerFactory.getLogger(CallbackSender.class);
    private static final int MAX_ERROR_BODY_CHARS = 200;

    private final JobStore store;
    private final CallbackAddressGuard guard;
    private final CallbackSigner signer;
    private final Duration timeout;
    private final HttpClient client;
    private final Map<String, CallbackFormat> formats = new ConcurrentHashMap<>();

    public CallbackSender(JobStore store, CallbackAddressGuard guard, CallbackSigner signer, Duration timeout) {
        this.store = store;
        this.guard = guard;
        this.signer = signer;
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** Sends callbacks whose {@link Callback#format()} is {@code name} this way (an adapter registers its own). */
    public void register(String name, CallbackFormat format) {
        formats.put(name, format);
    }

    /** Delivers the callback of the job whose id is the message body. */
    public void deliver(Exchange exchange) {
        String jobId = exchange.getMessage().getBody(String.class);
        Optional<JobRecord> record = store.find(jobId);
        Optional<Callback> target = store.callback(jobId);
        if (record.isEmpty() || target.isEmpty()) {
            LOG.info("job={}: no callback to deliver (record deleted or no callback asked)", jobId);
            return;
        }
        URI uri;
        try {
            uri = guard.check(target.get().url());
        } catch (CallbackRefusedException refused) {
            store.recordCallbackAttempt(jobId, null, refused.getMessage(), null);
            LOG.warn("job={}: callback refused: {}", jobId, refused.getMessage());
            return;
        }
        CallbackFormat format = formats.get(target.get().format());
        byte[] body = format == null ? Json.write(record.get()) : format.body(record.get());
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout)
                .method(format == null ? "POST" : format.method(), HttpRequest.BodyPublishers.ofByteArray(body));
        target.get().headers().forEach(request::header);
        request.header("Content-Type", Json.CONTENT_TYPE);
        if (signer.signs()) {
            request.header(CallbackSigner.HEADER, signer.signature(body));
        }
        HttpResponse<String> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            store.recordCallbackAttempt(jobId, null, e.toString(), null);
            throw new CallbackFailedException(jobId + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            store.recordCallbackAttempt(jobId, null, "interrupted", null);
            throw new CallbackFailedException(jobId + ": interrupted", e);
        }
        int status = response.statusCode();
        if (status / 100 == 2) {
            store.recordCallbackAttempt(jobId, status, null, Instant.now());
            return;
        }
        String answer = response.body() == null ? "" : response.body();
        String error = "HTTP " + status + (answer.isEmpty() ? ""
                : ": " + answer.substring(0, Math.min(answer.length(), MAX_ERROR_BODY_CHARS)));
        store.recordCallbackAttempt(jobId, status, error, null);
        throw new CallbackFailedException(jobId + ": " + error, null);
    }
}
