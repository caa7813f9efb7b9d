package dev.caravan.config;

import java.time.Duration;

/**
 * How job callbacks are delivered ({@code caravan.callbacks.*}).
 *
 * @param secret       the HMAC-SHA256 key of the {@code Caravan-Signature} header; blank signs nothing
 * @param maxAttempts  POSTs of one callback before it is given up (the first included)
 * @param initialDelay the wait before the first retry; each next one doubles, with jitter, up to {@code maxDelay}
 * @param timeout      how long one POST may take, connection included
 * @param allowPrivate whether loopback, link-local and private addresses may be called back
 * @param concurrency  callbacks delivered at once by one node
 */
public record CallbackSettings(String secret, int maxAttempts, Duration initialDelay, Duration maxDelay,
                               Duration timeout, boolean allowPrivate, int concurrency) {

    /** @throws InvalidSettingException naming the key of a missing or malformed value */
    public static CallbackSettings read(SettingsReader reader) {
        return new CallbackSettings(
                reader.textOrEmpty("caravan.callbacks.secret"),
                reader.positiveInt("caravan.callbacks.max-attempts"),
                reader.positiveDuration("caravan.callbacks.retry-delay"),
                reader.positiveDuration("caravan.callbacks.retry-max-delay"),
                reader.positiveDuration("caravan.callbacks.timeout"),
                reader.bool("caravan.callbacks.allow-private"),
                reader.positiveInt("caravan.callbacks.concurrency"));
    }
}
