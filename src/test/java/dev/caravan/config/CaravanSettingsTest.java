package dev.caravan.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CaravanSettingsTest {

    private static String failureFor(String key, String value) {
        return failureFor(Map.of(key, value));
    }

    private static String failureFor(Map<String, String> settings) {
        return assertThrows(InvalidSettingException.class,
                () -> CaravanSettings.read(TestSettings.defaultsWith(settings))).getMessage();
    }

    @Test
    void packagedDefaultsAreValid() {
        CaravanSettings settings = TestSettings.defaults();
        assertEquals(Role.ALL, settings.role());
        assertEquals(Duration.ofSeconds(10), settings.waitTimeout());
        assertEquals(Runtime.getRuntime().availableProcessors(), settings.workerConcurrency());
        assertEquals(32, settings.limits().maxTests());
    }

    @Test
    void everyMalformedValueNamesItsKey() {
        assertTrue(failureFor("caravan.role", "boss").contains("'caravan.role'"));
        assertTrue(failureFor("caravan.role", "boss").contains("all, api, worker"));
        assertTrue(failureFor("caravan.worker.concurrency", "-1").contains("'caravan.worker.concurrency'"));
        assertTrue(failureFor("caravan.execute.wait-timeout", "soon").contains("'caravan.execute.wait-timeout'"));
        assertTrue(failureFor("caravan.broker.host", " ").contains("'caravan.broker.host': is required"));
        assertTrue(failureFor("caravan.worker.retry-backoff-multiplier", "0.5").contains("must be 1 or more"));
    }

    @Test
    void aDefaultLimitAboveItsMaximumIsRefused() {
        assertTrue(failureFor("caravan.limits.default.memory-mb", "4096").contains("caravan.limits.max.memory-mb=1024"));
    }

    @Test
    void theSlowestPossibleJobMustFinishWellInsideTheBrokersConsumerTimeout() {
        assertTrue(failureFor("caravan.broker.consumer-timeout", "10m").contains("'caravan.broker.consumer-timeout'"));
        // 33 × 60 s per attempt, but the job budget stops each attempt at 10 min: 3 × 600 s + 2 retry delays of 5 s
        assertTrue(failureFor(Map.of("caravan.limits.max.wall-time-ms", "60000", "caravan.limits.max-job-wall-time", "10m"))
                .contains("may take 1810 s"));
        // the default budget (3 min) bounds an attempt even when tests × their limit (33 × 60 s) would not
        assertEquals(Duration.ofSeconds(550), CaravanSettings.read(TestSettings.defaultsWith(
                Map.of("caravan.limits.max.wall-time-ms", "60000"))).slowestJob());
    }

    @Test
    void aJobBudgetShorterThanOneTestIsRefused() {
        assertTrue(failureFor("caravan.limits.max-job-wall-time", "5s")
                .contains("'caravan.limits.max-job-wall-time': is 5000 ms, less than one test may take"));
    }

    @Test
    void ratesAreProbabilities() {
        assertTrue(failureFor("caravan.chaos.crash-rate", "1.5").contains("'caravan.chaos.crash-rate'"));
    }

    @Test
    void durationsTakeUnitsOrMilliseconds() {
        SettingsReader reader = TestSettings.defaultsWith(Map.of("a", "1500", "b", "1500ms", "c", "3m", "d", "2h"));
        assertEquals(Duration.ofMillis(1500), reader.positiveDuration("a"));
        assertEquals(Duration.ofMillis(1500), reader.positiveDuration("b"));
        assertEquals(Duration.ofMinutes(3), reader.positiveDuration("c"));
        assertEquals(Duration.ofHours(2), reader.positiveDuration("d"));
    }
}
