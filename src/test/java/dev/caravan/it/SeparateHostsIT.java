package dev.caravan.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caravan.load.JobLoad;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An API host and worker hosts, each in a network namespace of its own that reaches the broker (on this machine's
 * side of a bridge) only over its own link: how jobs spread over hosts, how soon a new host takes some, and what
 * happens to a host's jobs when its link is cut. Workers run the no-op engine with a fixed slowdown, so a job holds
 * its host for a known time and the machine stays light.
 */
class SeparateHostsIT {

    /** Each job holds its worker this long: shares then follow the hosts, not the CPU the machine has left. */
    private static final Duration JOB_TIME = Duration.ofMillis(100);
    private static final Duration HEARTBEAT = Duration.ofSeconds(3);
    private static final Pattern JOB_LINE = Pattern.compile("job=(\\S+) language=");
    /** A job line with its time stamp and how long the job ran. */
    private static final Pattern FIRST_JOB_LINE = Pattern.compile("(\\d\\d:\\d\\d:\\d\\d\\.\\d{3}) .*job=\\S+ language=.* ms=(\\d+) ");
    /** A job line of a job the broker delivered before (JobRunner logs the broker's delivery count). */
    private static final Pattern REDELIVERED_LINE = Pattern.compile("job=(\\S+) language=.* delivery=([2-9]|\\d\\d+)");

    private static TestHosts hosts;
    private static RabbitCluster broker;
    private static TestTopology topology;
    private static WorkerProcess api;
    private static String apiUrl;
    private static final Map<String, String> NODE = new HashMap<>();

    @BeforeAll
    static void hostsAndBroker() throws Exception {
        hosts = TestHosts.create();
        broker = RabbitCluster.start(1, hosts.bridgeAddress());
        topology = new TestTopology(broker.addresses());
        NODE.putAll(Map.of("caravan.broker.addresses", broker.addresses(),
                "caravan.broker.heartbeat", HEARTBEAT.toSeconds() + "s", "caravan.execute.wait-timeout", "60s"));
        String apiAddress = hosts.add("api");
        Map<String, String> apiSettings = new HashMap<>(NODE);
        apiSettings.put("caravan.role", "api");
        api = WorkerProcess.start(hosts.launcher("api"), topology, apiSettings);
        apiUrl = "http://" + apiAddress + ":" + api.port();
        HttpClient client = HttpClient.newHttpClient();
        await().atMost(Duration.ofSeconds(90)).ignoreExceptions().until(() -> client.send(
                HttpRequest.newBuilder(URI.create(apiUrl + "/observe/health/ready")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
    }

    @AfterAll
    static void removeEverything() throws Exception {
        try (TestHosts h = hosts; RabbitCluster b = broker) {
            if (api != null) {
                api.close();
            }
            if (topology != null) {
                topology.close();
            }
        }
    }

    /** Worker hosts, each one process taking one job at a time (prefetch 1); returns once all consume. */
    private static Map<String, WorkerProcess> startWorkers(String... names) throws Exception {
        Map<String, WorkerProcess> workers = new LinkedHashMap<>();
        for (String name : names) {
            workers.put(name, startWorker(name));
        }
        await().atMost(Duration.ofSeconds(120)).until(() -> workers.values().stream().allMatch(WorkerProcess::isReady));
        return workers;
    }

    private static WorkerProcess startWorker(String name) throws Exception {
        hosts.add(name);
        Map<String, String> settings = new HashMap<>(NODE);
        settings.putAll(Map.of("caravan.engine", "noop", "caravan.environment", "development",
                "caravan.chaos.slowdown", JOB_TIME.toMillis() + "ms", "caravan.worker.concurrency", "1"));
        return WorkerProcess.start(hosts.launcher(name), topology, settings);
    }

    private static void closeAll(Map<String, WorkerProcess> workers) throws InterruptedException {
        for (WorkerProcess worker : workers.values()) {
            worker.close();
        }
    }

    @Test
    void equalHostsGetEqualSharesAndANewHostTakesJobsWithinASecond() throws Exception {
        Map<String, WorkerProcess> workers = startWorkers("s1", "s2", "s3");
        AtomicBoolean enough = new AtomicBoolean();
        try {
            JobLoad.Tally tally = JobLoad.run(apiUrl, 300, 12, JobLoad.PYTHON_A_PLUS_B, done -> { });
            assertEquals(300, tally.answered(), tally.line());
            Map<String, Long> shares = new LinkedHashMap<>();
            workers.forEach((name, worker) -> shares.put(name, worker.jobsFinished()));
            double mean = shares.values().stream().mapToLong(Long::longValue).average().orElseThrow();
            double widest = shares.values().stream().mapToDouble(share -> Math.abs(share - mean) / mean).max().orElseThrow();
            System.out.printf("separate hosts: shares of 300 jobs over 3 equal hosts %s, widest %.1f%% from the mean%n",
                    shares, 100 * widest);
            assertTrue(widest <= 0.10, "each host's share is within 10% of the mean: " + shares);

            CompletableFuture<JobLoad.Tally> load = CompletableFuture.supplyAsync(
                    () -> JobLoad.runUntil(apiUrl, 12, JobLoad.PYTHON_A_PLUS_B, enough::get, done -> { }));
            WorkerProcess added = startWorker("s4");
            workers.put("s4", added);
            await().atMost(Duration.ofSeconds(120)).until(() -> added.jobsFinished() >= 5);
            enough.set(true);
            assertEquals(0, load.join().lost());
            long consumed = millisOfDay(firstMatch(added.log(),
                    Pattern.compile("(\\d\\d:\\d\\d:\\d\\d\\.\\d{3}) .*SimpleConsumer \\[queue=" + Pattern.quote(topology.executeQueue())
                            + ",.*\\] started")));
            Matcher firstJob = FIRST_JOB_LINE.matcher(added.log());
            assertTrue(firstJob.find(), "the new host logged its first job");
            long finished = Math.floorMod(millisOfDay(firstJob.group(1)) - consumed, 86_400_000L);
            // The job line is written when the job ends: the time it ran (the slowdown, and a cold JVM's first pass
            // through the engine) is not time spent waiting for the broker to hand the host a job.
            long ran = Long.parseLong(firstJob.group(2));
            System.out.printf("separate hosts: a host added mid-run finished its first job %d ms after its consumer "
                    + "started, of which the job ran %d ms (the slowdown is %d ms)%n", finished, ran, JOB_TIME.toMillis());
            assertTrue(finished - ran <= 1000, "the new host took a job within a second: " + (finished - ran) + " ms");
        } finally {
            enough.set(true);
            closeAll(workers);
        }
    }

    @Test
    void aCutHostsJobsGoElsewhereOnceTheBrokerNoticesAndEachCallerGetsOneAnswer() throws Exception {
        Map<String, WorkerProcess> workers = startWorkers("c1", "c2", "c3");
        AtomicBoolean enough = new AtomicBoolean();
        try {
            AtomicInteger answers = new AtomicInteger();
            CompletableFuture<JobLoad.Tally> load = CompletableFuture.supplyAsync(
                    () -> JobLoad.runUntil(apiUrl, 9, JobLoad.PYTHON_A_PLUS_B, enough::get, answers::set));
            await().atMost(Duration.ofSeconds(60)).until(() -> answers.get() >= 30);

            WorkerProcess cutHost = workers.get("c1");
            List<WorkerProcess> others = List.of(workers.get("c2"), workers.get("c3"));
            long cutAt = System.nanoTime();
            hosts.cut("c1");
            // Whatever the cut host held (a job it is running, or one on its way to it) stays unacknowledged; once the
            // broker counts the connection dead it delivers those jobs again, to the other hosts. Nothing else is
            // redelivered in this test, so a second delivery marks a job the cut host held.
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100))
                    .until(() -> !redelivered(others).isEmpty());
            long redeliveredMs = (System.nanoTime() - cutAt) / 1_000_000;

            hosts.restore("c1");
            int beforeRestore = jobsOf(cutHost).size();
            long restoredAt = System.nanoTime();
            await().atMost(Duration.ofSeconds(60)).until(() -> jobsOf(cutHost).size() > beforeRestore + 3);
            long backMs = (System.nanoTime() - restoredAt) / 1_000_000;
            enough.set(true);
            JobLoad.Tally tally = load.join();

            Set<String> held = redelivered(others);
            Map<String, Integer> runs = new HashMap<>();
            workers.values().forEach(worker -> jobsOf(worker).forEach(id -> runs.merge(id, 1, Integer::sum)));
            Set<String> ranTwice = new LinkedHashSet<>();
            runs.forEach((id, count) -> {
                if (count > 1) {
                    ranTwice.add(id);
                }
            });
            System.out.println("separate hosts, link cut: " + tally.line() + " repeated_answers=" + tally.repeatedAnswers()
                    + " held_by_cut_host=" + held.size() + " duplicates_executed=" + ranTwice.size() + " redelivered_after_ms="
                    + redeliveredMs + " heartbeat_s=" + HEARTBEAT.toSeconds() + " cut_host_working_again_after_ms=" + backMs);

            assertEquals(0, tally.lost(), tally.line());
            assertEquals(tally.submitted(), tally.answered(), "every caller got a result: " + tally.line());
            assertEquals(0, tally.repeatedAnswers(), "no job was answered twice, to one caller or to two");
            assertTrue(held.containsAll(ranTwice), "only jobs the cut host held ran twice: " + ranTwice + " vs " + held);
            // The broker redelivers a job only while no ack came for it: what the cut host did with it reached nobody.
            assertTrue(redeliveredMs >= HEARTBEAT.toMillis(), "redelivered only once the broker missed heartbeats");
        } finally {
            enough.set(true);
            closeAll(workers);
        }
    }

    /** Jobs the broker delivered more than once, as the hosts that finished them logged. */
    private static Set<String> redelivered(List<WorkerProcess> hosts) {
        Set<String> ids = new LinkedHashSet<>();
        for (WorkerProcess host : hosts) {
            Matcher matcher = REDELIVERED_LINE.matcher(host.log());
            while (matcher.find()) {
                ids.add(matcher.group(1));
            }
        }
        return ids;
    }

    /** Ids of the jobs a worker finished, from its one log line per job. */
    private static Set<String> jobsOf(WorkerProcess worker) {
        Set<String> ids = new LinkedHashSet<>();
        Matcher matcher = JOB_LINE.matcher(worker.log());
        while (matcher.find()) {
            ids.add(matcher.group(1));
        }
        return ids;
    }

    private static String firstMatch(String log, Pattern timedLine) {
        Matcher matcher = timedLine.matcher(log);
        assertTrue(matcher.find(), "no line matches " + timedLine);
        return matcher.group(1);
    }

    private static long millisOfDay(String time) {
        return LocalTime.parse(time).toNanoOfDay() / 1_000_000;
    }
}
