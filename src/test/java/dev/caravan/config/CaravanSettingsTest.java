package dev.caravan.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
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
    void brokerAddressesListClusterNodesAndFallBackToHostAndPort() {
        assertEquals(List.of("localhost:5672"), TestSettings.defaults().broker().addresses());
        assertEquals(List.of("rabbit:5673"), CaravanSettings.read(TestSettings.defaultsWith(
                Map.of("caravan.broker.host", "rabbit", "caravan.broker.port", "5673"))).broker().addresses());
        BrokerSettings cluster = CaravanSettings.read(TestSettings.defaultsWith(Map.of(
                "caravan.broker.addresses", "a:5672, 10.0.0.2:5681,[::1]:5672"))).broker();
        assertEquals(List.of("a:5672", "10.0.0.2:5681", "[::1]:5672"), cluster.addresses());
        assertEquals("a:5672,10.0.0.2:5681,[::1]:5672", cluster.addressLine());
        assertTrue(failureFor("caravan.broker.addresses", "a:5672,b").contains("'caravan.broker.addresses'"));
        assertTrue(failureFor("caravan.broker.addresses", "a:99999").contains("'a:99999' is not host:port"));
    }

    @Test
    void theHeartbeatIsWholeSecondsAndNeverOff() {
        assertEquals(Duration.ofSeconds(10), TestSettings.defaults().broker().heartbeat());
        assertTrue(failureFor("caravan.broker.heartbeat", "500ms").contains("must be at least 1s"));
    }

    @Test
    void quorumQueuesGetThreeReplicasOnAClusterAndTheBrokersDefaultOnOneNode() {
        assertEquals(Map.of("x-queue-type", "quorum"), TestSettings.defaults().queuePolicy().queueArguments());
        QueuePolicy cluster = CaravanSettings.read(TestSettings.defaultsWith(
                Map.of("caravan.broker.addresses", "a:1,b:2,c:3,d:4,e:5"))).queuePolicy();
        assertEquals(3, cluster.queueArguments().get("x-quorum-initial-group-size"));
        assertEquals(5, CaravanSettings.read(TestSettings.defaultsWith(Map.of("caravan.broker.addresses", "a:1,b:2,c:3,d:4,e:5",
                "caravan.queue.quorum-initial-group-size", "5"))).queuePolicy().queueArguments().get("x-quorum-initial-group-size"));
        assertEquals(Map.of("x-queue-type", "classic"), CaravanSettings.read(TestSettings.defaultsWith(Map.of(
                "caravan.broker.addresses", "a:1,b:2,c:3", "caravan.queue.type", "classic"))).queuePolicy().queueArguments());
        assertTrue(failureFor("caravan.queue.quorum-initial-group-size", "0").contains("'caravan.queue.quorum-initial-group-size'"));
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
