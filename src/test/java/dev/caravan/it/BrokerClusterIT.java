package dev.caravan.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.GetResponse;
import dev.caravan.load.JobLoad;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Caravan on a 3-node RabbitMQ cluster of its own, under load (200 callers, so about 200 jobs in flight, 20% of
 * attempts failing): the node leading the execute queue is killed with SIGKILL, the cluster elects another leader,
 * the node comes back; then every node is restarted in turn. Every job whose publish the broker confirmed ends in
 * an answer or a dead letter, and jobs run twice at most once per consumer that lost its connection.
 */
class BrokerClusterIT {

    private static final int CALLERS = 200;
    private static final Pattern JOB_LINE = Pattern.compile("job=(\\S+) language=");

    @Test
    void everyConfirmedJobEndsInAnAnswerOrADeadLetterThroughNodeLossAndARollingRestart() throws Exception {
        try (RabbitCluster cluster = RabbitCluster.start(3, "127.0.0.1");
             TestTopology topology = new TestTopology(cluster.addresses())) {
            Map<String, String> node = Map.of("caravan.broker.addresses", cluster.addresses(),
                    "caravan.broker.heartbeat", "5s", "caravan.execute.wait-timeout", "30s");
            Map<String, String> workerSettings = new HashMap<>(node);
            workerSettings.putAll(Map.of("caravan.engine", "noop", "caravan.environment", "development",
                    "caravan.chaos.failure-rate", "0.2", "caravan.chaos.slowdown", "100ms",
                    "caravan.worker.concurrency", "2", "caravan.worker.retry-delay", "20ms"));
            Map<String, String> apiSettings = new HashMap<>(node);
            apiSettings.put("caravan.role", "api");
            List<WorkerProcess> workers = new ArrayList<>();
            AtomicBoolean faultsOver = new AtomicBoolean();
            try (CaravanApp api = CaravanApp.start(topology, apiSettings)) {
                workers.add(WorkerProcess.start(topology, workerSettings));
                workers.add(WorkerProcess.start(topology, workerSettings));
                await().atMost(Duration.ofSeconds(90)).until(() -> workers.stream().allMatch(WorkerProcess::isReady));

                AtomicInteger answers = new AtomicInteger();
                CompletableFuture<JobLoad.Tally> load = CompletableFuture.supplyAsync(() -> JobLoad.runUntil(
                        "http://localhost:" + api.port(), CALLERS, JobLoad.PYTHON_A_PLUS_B, faultsOver::get, answers::set));
                await().atMost(Duration.ofSeconds(60)).until(() -> answers.get() >= 100);
                phase("load under way");

                int leader = cluster.leaderOf(topology.executeQueue());
                long killedAt = System.nanoTime();
                cluster.kill(leader);
                int newLeader = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                        .ignoreExceptions().until(() -> cluster.leaderOf(topology.executeQueue()), l -> l != leader);
                long electedMs = (System.nanoTime() - killedAt) / 1_000_000;
                phase("node " + leader + " killed, node " + newLeader + " leads");
                cluster.startNode(leader);
                phase("node " + leader + " back");
                int beforeRestarts = answers.get();
                for (int i = 1; i <= cluster.size(); i++) {
                    cluster.awaitQuorumWithout(i);
                    cluster.stopNode(i);
                    cluster.startNode(i);
                    // As an operator would, the next node waits until callers are being answered again.
                    int restarted = answers.get();
                    await().atMost(Duration.ofSeconds(90)).until(() -> answers.get() >= restarted + 20);
                    phase("node " + i + " restarted, callers answered again");
                }
                int afterRestarts = answers.get();
                // Served again after the last restart, not only in between.
                await().atMost(Duration.ofSeconds(60)).until(() -> answers.get() >= afterRestarts + 100);
                faultsOver.set(true);
                JobLoad.Tally tally = load.join();

                // Jobs whose caller gave up (504) either ran, or expire from the queue into the dead letters.
                await().atMost(Duration.ofSeconds(60)).until(() -> topology.messageCount(topology.executeQueue()) == 0);
                Set<String> parked = new HashSet<>();
                for (GetResponse letter; (letter = topology.take(topology.deadLetterQueue())) != null; ) {
                    parked.add(letter.getProps().getMessageId());
                }
                Map<String, Integer> runs = runsPerJob(workers);
                Set<String> vanished = new HashSet<>(tally.timedOutIds());
                vanished.removeAll(runs.keySet());
                vanished.removeAll(parked);
                int duplicates = runs.values().stream().mapToInt(count -> count - 1).sum();
                // Spring's listener container says this each time a consumer of the execute queue lost its channel.
                int consumerRestarts = count(Pattern.compile("Consumer canceled - channel closed SimpleConsumer \\[queue="
                        + Pattern.quote(topology.executeQueue()) + ","), workers);
                System.out.println("broker cluster: " + tally.line().replace(" refused=", " refused_503=")
                        .replace(" timed_out=", " timed_out_504=") + " lost_after_504=" + vanished.size()
                        + " dead_letter_queue=" + parked.size() + " duplicates_executed=" + duplicates
                        + " consumer_connection_losses=" + consumerRestarts + " repeated_answers=" + tally.repeatedAnswers()
                        + " leader_killed=" + leader + " new_leader=" + newLeader + " elected_within_ms=" + electedMs
                        + " answers_during_rolling_restart=" + (afterRestarts - beforeRestarts));

                assertEquals(0, tally.lost(), "every caller got an answer: " + tally.line());
                assertEquals(Set.of(), vanished, "every job answered 504 ran or was dead-lettered");
                assertTrue(parked.containsAll(tally.deadLetteredIds()), "every 500 answer has its dead letter");
                assertEquals(0, tally.repeatedAnswers(), "no caller got another caller's answer");
                assertEquals(0, tally.otherFailures(), tally.line());
                assertTrue(duplicates <= consumerRestarts, duplicates + " jobs ran twice, but only " + consumerRestarts
                        + " consumers lost their connection");
                assertTrue(afterRestarts > beforeRestarts, "jobs were answered during the rolling restart");
                assertTrue(tally.answered() > tally.submitted() / 2, tally.line());
            } finally {
                faultsOver.set(true);
                for (WorkerProcess worker : workers) {
                    worker.close();
                }
            }
        }
    }

    private static void phase(String what) {
        System.out.println(java.time.LocalTime.now() + " broker cluster: " + what);
    }

    /** How often each job ran to its end, from every worker's one log line per finished job. */
    private static Map<String, Integer> runsPerJob(List<WorkerProcess> workers) {
        Map<String, Integer> runs = new HashMap<>();
        for (WorkerProcess worker : workers) {
            Matcher matcher = JOB_LINE.matcher(worker.log());
            while (matcher.find()) {
                runs.merge(matcher.group(1), 1, Integer::sum);
            }
        }
        return runs;
    }

    private static int count(Pattern pattern, List<WorkerProcess> workers) {
        int found = 0;
        for (WorkerProcess worker : workers) {
            Matcher matcher = pattern.matcher(worker.log());
            while (matcher.find()) {
                found++;
            }
        }
        return found;
    }
}
