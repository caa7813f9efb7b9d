package dev.caravan.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The training-queue scenarios' driver and arithmetic: sends {@code tasks} tasks of the {@code stand-in} type (prints
 * its CUDA_VISIBLE_DEVICES, sleeps 0.2-0.5 s, fails at {@code fail_rate}) 0.1 s apart as asynchronous tasks, waits for
 * every record to end, and reads the slots' timeline from the workers' logs ({@code task=ID ... slot=gpuN started},
 * its end line, and "Injected crash", which ends every run then open in that log).
 * Usage: {@code TaskScenario <base-url> <tasks> <fail-rate> <worker log>...}; prints one line of arithmetic.
 */
public final class TaskScenario {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Duration SPACING = Duration.ofMillis(100);
    private static final Pattern STARTED = Pattern.compile("^(\\S+) .*task=(\\S+) type=\\S+ slot=(\\S+) started");
    private static final Pattern ENDED = Pattern.compile("^(\\S+) .*task=(\\S+) type=\\S+ slot=(\\S+) (verdict=|FAILED)");
    private static final Pattern CRASH = Pattern.compile("^(\\S+) .*Injected crash");
    private static final Pattern LEASE_LOST = Pattern.compile("^(\\S+) .*job=(\\S+): its lease was lost");

    private TaskScenario() {
    }

    /**
     * The scenario's arithmetic.
     *
     * @param retried          runs beyond each task's first: FAILED runs run again, and runs cut off by a crash
     * @param lost             tasks sent whose record never ended
     * @param onTwoGpusAtOnce  tasks seen running on two GPUs at the same time
     * @param mostAtOncePerGpu the most runs seen at once on any one GPU
     * @param gpuIdleWhileWaitingMs GPU-milliseconds a GPU was idle while a sent task had not started or ended
     */
    public record Arithmetic(int sent, int completed, int done, int failed, int retried, int deadLettered, int lost,
                             int onTwoGpusAtOnce, int mostAtOncePerGpu, long gpuIdleWhileWaitingMs, int crashes) {

        public String line() {
            return "sent=" + sent + " completed=" + completed + " (done=" + done + " failed=" + failed + ") retried=" + retried
                    + " dead_lettered=" + deadLettered + " lost=" + lost + " on_two_gpus_at_once=" + onTwoGpusAtOnce
                    + " max_at_once_per_gpu=" + mostAtOncePerGpu + " gpu_idle_while_waiting_ms=" + gpuIdleWhileWaitingMs
                    + " worker_crashes=" + crashes;
        }
    }

    private record Run(String task, String gpu, long start, long end) {
    }

    public static void main(String[] args) throws Exception {
        List<Path> logs = new ArrayList<>();
        for (int i = 3; i < args.length; i++) {
            logs.add(Path.of(args[i]));
        }
        Arithmetic result = run(args[0], Integer.parseInt(args[1]), Double.parseDouble(args[2]), Duration.ofMinutes(10),
                () -> readAll(logs));
        System.out.println(result.line());
    }

    private static List<String> readAll(List<Path> logs) {
        List<String> lines = new ArrayList<>();
        for (Path log : logs) {
            try {
                lines.addAll(Files.readAllLines(log));
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + log, e);
            }
        }
        return lines;
    }

    /** Sends the tasks, waits up to {@code patience} for every record to end, and counts. */
    public static Arithmetic run(String baseUrl, int tasks, double failRate, Duration patience,
                                 java.util.function.Supplier<List<String>> workerLogs) throws Exception {
        Map<String, Long> sentAt = new LinkedHashMap<>();
        long next = System.nanoTime();
        for (int i = 0; i < tasks; i++) {
            double seconds = 0.2 + ThreadLocalRandom.current().nextDouble(0.3);
            String body = "{\"params\":{\"seconds\":" + String.format(java.util.Locale.ROOT, "%.3f", seconds)
                    + ",\"fail_rate\":" + failRate + "}}";
            HttpResponse<String> accepted = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + "/tasks/stand-in?async=true"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (accepted.statusCode() == 202) {
                sentAt.put(JSON.readTree(accepted.body()).get("id").asText(), System.currentTimeMillis());
            }
            next += SPACING.toNanos();
            Thread.sleep(Math.max(0, (next - System.nanoTime()) / 1_000_000));
        }
        Map<String, JsonNode> ended = new HashMap<>();
        long deadline = System.nanoTime() + patience.toNanos();
        while (ended.size() < sentAt.size() && System.nanoTime() < deadline) {
            List<String> open = sentAt.keySet().stream().filter(id -> !ended.containsKey(id)).limit(50).toList();   // within caravan.limits.max-batch
            JsonNode records = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + "/jobs?ids=" + String.join(",", open)))
                    .GET().build(), HttpResponse.BodyHandlers.ofString()).body());
            for (JsonNode record : records) {
                String status = record.path("status").asText("QUEUED");
                if (!status.equals("QUEUED") && !status.equals("RUNNING")) {
                    ended.put(record.get("id").asText(), record);
                }
            }
            Thread.sleep(200);
        }
        int done = 0;
        int failed = 0;
        int deadLettered = 0;
        int retried = 0;
        for (JsonNode record : ended.values()) {
            if (record.get("status").asText().equals("DONE")) {
                String verdict = record.at("/result/verdict").asText();
                done += verdict.equals("DONE") ? 1 : 0;
                failed += verdict.equals("FAILED") ? 1 : 0;
                retried += record.at("/result/attempts").asInt(1) - 1;
            } else {
                deadLettered++;
            }
        }
        List<String> lines = workerLogs.get();
        // this scenario's runs only: a deployment's log may hold an earlier scenario's
        List<Run> runs = timeline(lines).stream().filter(run -> sentAt.containsKey(run.task())).toList();
        // runs cut off by a crash or a lost lease are retried too: every run beyond the ones the results count
        int resultRuns = ended.values().stream().filter(r -> r.get("status").asText().equals("DONE"))
                .mapToInt(r -> r.at("/result/attempts").asInt(1)).sum();
        retried += Math.max(0, runs.size() - resultRuns);
        int crashes = (int) lines.stream().filter(line -> CRASH.matcher(line).find()).count();
        Map<String, Long> endedAt = new HashMap<>();
        ended.forEach((id, record) -> endedAt.put(id, Instant.parse(record.get("finished_at").asText()).toEpochMilli()));
        return new Arithmetic(sentAt.size(), done + failed, done, failed, retried, deadLettered, sentAt.size() - ended.size(),
                onTwoGpusAtOnce(runs), mostAtOncePerGpu(runs), idleWhileWaiting(runs, sentAt, endedAt), crashes);
    }

    /** Each run from its start line to its end line, a crash, or a lost lease in the same log, whichever comes first. */
    static List<Run> timeline(List<String> lines) {
        Map<String, Object[]> open = new LinkedHashMap<>();   // task -> {gpu, start}
        List<Run> runs = new ArrayList<>();
        for (String line : lines) {
            Matcher started = STARTED.matcher(line);
            Matcher ended = ENDED.matcher(line);
            Matcher crash = CRASH.matcher(line);
            Matcher lost = LEASE_LOST.matcher(line);
            if (started.find()) {
                open.put(started.group(2), new Object[] {started.group(3), millis(started.group(1))});
            } else if (ended.find() && open.containsKey(ended.group(2))) {
                Object[] run = open.remove(ended.group(2));
                runs.add(new Run(ended.group(2), (String) run[0], (long) run[1], millis(ended.group(1))));
            } else if (lost.find() && open.containsKey(lost.group(2))) {
                Object[] run = open.remove(lost.group(2));
                runs.add(new Run(lost.group(2), (String) run[0], (long) run[1], millis(lost.group(1))));
            } else if (crash.find()) {
                long at = millis(crash.group(1));
                open.forEach((task, run) -> runs.add(new Run(task, (String) run[0], (long) run[1], at)));
                open.clear();
            }
        }
        return runs;
    }

    private static long millis(String logTime) {
        return LocalDate.now().atTime(LocalTime.parse(logTime)).atZone(ZoneId.systemDefault()).toInstant().toEpochMilli();
    }

    private static int onTwoGpusAtOnce(List<Run> runs) {
        int count = 0;
        Map<String, List<Run>> byTask = new HashMap<>();
        runs.forEach(run -> byTask.computeIfAbsent(run.task(), t -> new ArrayList<>()).add(run));
        for (List<Run> ofTask : byTask.values()) {
            boolean overlap = false;
            for (int i = 0; i < ofTask.size(); i++) {
                for (int j = i + 1; j < ofTask.size(); j++) {
                    Run a = ofTask.get(i);
                    Run b = ofTask.get(j);
                    overlap |= !a.gpu().equals(b.gpu()) && a.start() < b.end() && b.start() < a.end();
                }
            }
            count += overlap ? 1 : 0;
        }
        return count;
    }

    private static int mostAtOncePerGpu(List<Run> runs) {
        int most = 0;
        Map<String, TreeMap<Long, Integer>> changes = new HashMap<>();
        for (Run run : runs) {
            TreeMap<Long, Integer> gpu = changes.computeIfAbsent(run.gpu(), g -> new TreeMap<>());
            gpu.merge(run.start(), 1, Integer::sum);
            gpu.merge(run.end(), -1, Integer::sum);   // an end at the same millisecond as the next start counts first
        }
        for (TreeMap<Long, Integer> gpu : changes.values()) {
            int now = 0;
            for (int change : gpu.values()) {
                now += change;
                most = Math.max(most, now);
            }
        }
        return most;
    }

    /** Sum over time of min(idle GPUs, tasks sent and neither running nor ended), in 10 ms steps. */
    private static long idleWhileWaiting(List<Run> runs, Map<String, Long> sentAt, Map<String, Long> endedAt) {
        List<String> gpus = runs.stream().map(Run::gpu).distinct().toList();
        if (gpus.isEmpty() || sentAt.isEmpty()) {
            return 0;
        }
        long from = sentAt.values().stream().mapToLong(Long::longValue).min().orElseThrow();
        long to = endedAt.values().stream().mapToLong(Long::longValue).max().orElse(from);
        long idle = 0;
        for (long t = from; t < to; t += 10) {
            long at = t;
            long busyGpus = gpus.stream().filter(gpu -> runs.stream()
                    .anyMatch(run -> run.gpu().equals(gpu) && run.start() <= at && at < run.end())).count();
            long running = runs.stream().filter(run -> run.start() <= at && at < run.end()).count();
            long waiting = sentAt.entrySet().stream().filter(sent -> sent.getValue() <= at
                    && endedAt.getOrDefault(sent.getKey(), Long.MAX_VALUE) > at).count() - running;
            idle += Math.min(gpus.size() - busyGpus, Math.max(0, waiting)) * 10;
        }
        return idle;
    }
}
