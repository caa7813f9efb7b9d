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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * 1,000 jobs through an API node and worker processes that fail 20% of their attempts and of which two are
 * killed with SIGKILL mid-run (each replaced, as a supervisor would): every job is answered or dead-lettered.
 */
class LoadUnderFaultsIT {

    private static final int JOBS = 1000;
    private static final Pattern JOB_LINE = Pattern.compile("job=(\\S+) language=");

    @Test
    void everyJobIsAnsweredOrDeadLetteredAndNoneIsLost() throws Exception {
        Map<String, String> flakyWorker = Map.of("caravan.chaos.failure-rate", "0.2", "caravan.worker.concurrency", "2",
                "caravan.worker.retry-delay", "20ms");
        List<WorkerProcess> workers = new ArrayList<>();
        try (TestTopology topology = new TestTopology();
             CaravanApp api = CaravanApp.start(topology, Map.of("caravan.role", "api", "caravan.execute.wait-timeout", "60s"))) {
            workers.add(WorkerProcess.start(topology, flakyWorker));
            workers.add(WorkerProcess.start(topology, flakyWorker));
            await().atMost(Duration.ofSeconds(60)).until(() -> workers.stream().allMatch(WorkerProcess::isReady));

            Set<Integer> killAt = Set.of(JOBS / 3, 2 * JOBS / 3);
            List<CompletableFuture<Void>> kills = new ArrayList<>();
            JobLoad.Tally tally = JobLoad.run("http://localhost:" + api.port(), JOBS, 16, done -> {
                if (killAt.contains(done)) {
                    kills.add(CompletableFuture.runAsync(() -> replaceBusiestWorker(workers, topology, flakyWorker)));
                }
            });
            kills.forEach(CompletableFuture::join);

            Set<String> parked = new HashSet<>();
            for (GetResponse letter; (letter = topology.take(topology.deadLetterQueue())) != null; ) {
                parked.add(letter.getProps().getMessageId());
            }
            int duplicates = duplicatesExecuted(workers);
            System.out.println("load under faults: " + tally.line() + " dead_letter_queue=" + parked.size()
                    + " duplicates_executed=" + duplicates + " workers_killed=2");

            assertEquals(0, tally.lost(), tally.line());
            assertEquals(0, tally.timedOut() + tally.refused() + tally.otherFailures(), tally.line());
            assertEquals(tally.deadLetteredIds(), parked, "every 500 answer has its dead-letter entry and no other entry exists");
            assertTrue(tally.answered() > JOBS * 9 / 10, tally.line());
        } finally {
            for (WorkerProcess worker : workers) {
                worker.close();
            }
        }
    }

    /** Kills, with SIGKILL, a worker in the middle of a job and starts a new one in its place. */
    private static void replaceBusiestWorker(List<WorkerProcess> workers, TestTopology topology, Map<String, String> settings) {
        try {
            WorkerProcess victim = await().atMost(Duration.ofSeconds(10)).until(
                    () -> workers.stream().filter(w -> w.isAlive() && w.isRunningAJob()).findFirst().orElse(null),
                    java.util.Objects::nonNull);
            victim.killHard();
            synchronized (workers) {
                workers.add(WorkerProcess.start(topology, settings));
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Jobs run to completion more than once: a worker killed after running a job but before its ack. */
    private static int duplicatesExecuted(List<WorkerProcess> workers) {
        Map<String, Integer> runs = new HashMap<>();
        for (WorkerProcess worker : workers) {
            Matcher matcher = JOB_LINE.matcher(worker.log());
            while (matcher.find()) {
                runs.merge(matcher.group(1), 1, Integer::sum);
            }
        }
        return runs.values().stream().mapToInt(count -> count - 1).sum();
    }
}
