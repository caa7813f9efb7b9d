package dev.caravan.config;

import java.time.Duration;

/**
 * How workers report to the operator's page.
 *
 * @param exchange    {@code caravan.heartbeat.exchange}: the fanout exchange every worker publishes its heartbeat to
 * @param interval    {@code caravan.heartbeat.interval}: how often a worker publishes; a worker silent for three
 *                    intervals is shown as not reporting
 * @param forgetAfter {@code caravan.heartbeat.forget-after}: how long a silent worker stays listed before it is dropped
 */
public record HeartbeatSettings(String exchange, Duration interval, Duration forgetAfter) {

    /** Missed heartbeats after which a worker is marked as not reporting. */
    public static final int MISSED_BEATS = 3;

    /** @throws InvalidSettingException naming the key of a missing or malformed value */
    public static HeartbeatSettings read(SettingsReader reader) {
        return new HeartbeatSettings(
                reader.text("caravan.heartbeat.exchange"),
                reader.positiveDuration("caravan.heartbeat.interval"),
                reader.positiveDuration("caravan.heartbeat.forget-after"));
    }
}
