package dev.caravan.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * Submits a bounded number of jobs to one Caravan API node and counts how each ended, so that a run under
 * faults can be checked by arithmetic: every job is answered or dead-lettered, and none is lost.
 * Usage: {@code JobLoad <base-url> <jobs> <concurrency>}; prints one {@code submitted=… lost=…} line.
 */
public final class JobLoad {

    public static final String PYTHON_A_PLUS_B = "{\"language\":\"python\",\"code\":\"a,b=map(int,input().split())\\nprint(a+b)\","
            + "\"tests\":[{\"input\":\"1 2\\n\",\"expected_output\":\"3\\n\"}]}";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int NO_ANSWER = -1;

    /**
     * How the submitted jobs ended: a result (200), dead-lettered (500), no reply in time (504), refused before
     * being queued (503), another answer, or lost: no answer at all.
     */
    public record Tally(int submitted, int answered, int deadLettered, int timedOut, int refused, int otherFailures,
                        Set<String> deadLetteredIds) {

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
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/execute"))
                .timeout(Duration.ofMinutes(2))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(job)).build();
        AtomicInteger answered = new AtomicInteger();
        AtomicInteger timedOut = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        AtomicInteger other = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        Set<String> deadLettered = ConcurrentHashMap.newKeySet();
        ExecutorService clients = Executors.newFixedThreadPool(concurrency);
        try {
            List<Future<?>> submissions = new ArrayList<>();
            for (int i = 0; i < jobs; i++) {
                submissions.add(clients.submit(() -> {
                    HttpResponse<String> response = send(client, request);
                    int status = response == null ? NO_ANSWER : response.statusCode();
                    switch (status) {
                        case 200 -> answered.incrementAndGet();
                        case 500 -> deadLettered.add(id(response));
                        case 504 -> timedOut.incrementAndGet();
                        case 503 -> refused.incrementAndGet();
                        case NO_ANSWER -> { }
                        default -> other.incrementAndGet();
                    }
                    onEachAnswer.accept(done.incrementAndGet());
                }));
            }
            for (Future<?> submission : submissions) {
                submission.get();
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            clients.shutdownNow();
        }
        return new Tally(jobs, answered.get(), deadLettered.size(), timedOut.get(), refused.get(), other.get(),
                Set.copyOf(deadLettered));
    }

    private static HttpResponse<String> send(HttpClient client, HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
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
        if (args.length != 3) {
            System.err.println("usage: JobLoad <base-url> <jobs> <concurrency>");
            System.exit(2);
        }
        Tally tally = run(args[0], Integer.parseInt(args[1]), Integer.parseInt(args[2]), done -> { });
        System.out.println(tally.line());
        System.exit(tally.lost() == 0 ? 0 : 1);
    }
}
