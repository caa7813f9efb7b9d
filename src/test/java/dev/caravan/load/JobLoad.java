package dev.caravan.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;

/**
 * Submits a bounded number of jobs to one Caravan API node and counts how each ended, so that a run under
 * faults can be checked by arithmetic: every job is answered or dead-lettered, and none is lost.
 * Usage: {@code JobLoad <base-url> <jobs> <concurrency> [ids-file]}; prints one {@code submitted=… lost=…} line, and
 * writes {@code 500 <id>} and {@code 504 <id>} lines for the jobs so answered to the file when one is named.
 */
public final class JobLoad {

    public static final String PYTHON_A_PLUS_B = "{\"language\":\"python\",\"code\":\"a,b=map(int,input().split())\\nprint(a+b)\","
            + "\"tests\":[{\"input\":\"1 2\\n\",\"expected_output\":\"3\\n\"}]}";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int NO_ANSWER = -1;
    private static final AtomicBoolean FAILURE_SHOWN = new AtomicBoolean();
    private static final Duration NO_ANSWER_BACKOFF = Duration.ofMillis(200);

    /**
     * How the submitted jobs ended: a result (200), dead-lettered (500), no reply in time (504), refused before
     * being queued (503), another answer, or lost: no answer at all. {@code repeatedAnswers} counts 200 answers
     * carrying a job id another caller already got: a reply that reached the wrong caller.
     */
    public record Tally(int submitted, int answered, int deadLettered, int timedOut, int refused, int otherFailures,
                        Set<String> deadLetteredIds, Set<String> timedOutIds, int repeatedAnswers) {

        public int lost() {
            return submitted - answered - deadLettered - timedOut - refused - otherFailures;
        }

        public String line() {
            return "submitted=" + submitted + " answered=" + answered + " dead_lettered=" + deadLettered
                    + " timed_out=" + timedOut + " refused=" + refused + " other_failures=" + otherFailures + " lost=" + lost();
        }
    }

    private JobLoad() {
    }

    public static Tally run(String baseUrl, int jobs, int concurrency, IntConsumer onEachAnswer) {
        return run(baseUrl, jobs, concurrency, PYTHON_A_PLUS_B, onEachAnswer);
    }

    public static Tally run(String baseUrl, int jobs, int concurrency, String job, IntConsumer onEachAnswer) {
        AtomicInteger left = new AtomicInteger(jobs);
        return load(baseUrl, concurrency, job, () -> left.getAndDecrement() > 0, onEachAnswer);
    }

    /**
     * Keeps {@code concurrency} callers submitting jobs, each the next as soon as the last is answered, until
     * {@code stop} says so; then waits for the answers of those submitted.
     */
    public static Tally runUntil(String baseUrl, int concurrency, String job, BooleanSupplier stop, IntConsumer onEachAnswer) {
        return load(baseUrl, concurrency, job, () -> !stop.getAsBoolean(), onEachAnswer);
    }

    private static Tally load(String baseUrl, int concurrency, String job, BooleanSupplier another, IntConsumer onEachAnswer) {
        // HTTP/1.1, a connection per caller: over HTTP/2 every caller would share one connection, whose server allows
        // 100 concurrent streams (Vert.x's default) and refuses the rest.
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/execute"))
                .timeout(Duration.ofMinutes(2))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(job)).build();
        AtomicInteger submitted = new AtomicInteger();
        AtomicInteger answered = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        AtomicInteger other = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        Set<String> answeredIds = ConcurrentHashMap.newKeySet();
        Set<String> deadLettered = ConcurrentHashMap.newKeySet();
        Set<String> timedOut = ConcurrentHashMap.newKeySet();
        ExecutorService clients = Executors.newFixedThreadPool(concurrency);
        try {
            List<Future<?>> callers = new ArrayList<>();
            for (int i = 0; i < concurrency; i++) {
                callers.add(clients.submit(() -> {
                    while (another.getAsBoolean()) {
                        submitted.incrementAndGet();
                        HttpResponse<String> response = send(client, request);
                        int status = response == null ? NO_ANSWER : response.statusCode();
                        switch (status) {
                            case 200 -> {
                                answered.incrementAndGet();
                                answeredIds.add(id(response));
                            }
                            case 500 -> deadLettered.add(id(response));
                            case 504 -> timedOut.add(id(response));
                            case 503 -> refused.incrementAndGet();
                            // A caller that got no answer at all backs off before its next job, as a client would,
                            // instead of spinning while the node is away.
                            case NO_ANSWER -> pause(NO_ANSWER_BACKOFF);
                            default -> other.incrementAndGet();
                        }
                        onEachAnswer.accept(done.incrementAndGet());
                    }
                }));
            }
            for (Future<?> caller : callers) {
                caller.get();
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            clients.shutdownNow();
        }
        return new Tally(submitted.get(), answered.get(), deadLettered.size(), timedOut.size(), refused.get(), other.get(),
                Set.copyOf(deadLettered), Set.copyOf(timedOut), answered.get() - answeredIds.size());
    }

    private static HttpResponse<String> send(HttpClient client, HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            if (!FAILURE_SHOWN.getAndSet(true)) {
                System.err.println("JobLoad: a call got no answer: " + e);
            }
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static void pause(Duration backoff) {
        try {
            Thread.sleep(backoff.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String id(HttpResponse<String> response) {
        try {
            JsonNode body = JSON.readTree(response.body());
            return body.path("id").asText();
        } catch (IOException e) {
            return "unreadable-" + response.body();
        }
    }

    public static void main(String[] args) {
        if (args.length != 3 && args.length != 4) {
            System.err.println("usage: JobLoad <base-url> <jobs> <concurrency> [file for the ids of 500 and 504 answers]");
            System.exit(2);
        }
        Tally tally = run(args[0], Integer.parseInt(args[1]), Integer.parseInt(args[2]), done -> { });
        System.out.println(tally.line());
        if (args.length == 4) {
            List<String> lines = new ArrayList<>();
            tally.deadLetteredIds().forEach(id -> lines.add("500 " + id));
            tally.timedOutIds().forEach(id -> lines.add("504 " + id));
            try {
                Files.write(Path.of(args[3]), lines);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        System.exit(tally.lost() == 0 ? 0 : 1);
    }
}
