package dev.caravan.bench;

import dev.caravan.it.CaravanApp;
import dev.caravan.it.Http;
import dev.caravan.it.TestDatabase;
import dev.caravan.it.TestTopology;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import dev.caravan.store.JobStore;
import dev.caravan.store.NewJob;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.camel.CamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;

/**
 * The latency the job record adds to {@code POST /execute} (p50 at concurrency 1 and 16, the execute route with and
 * without its record step, side by side in one process against PostgreSQL), and {@code POST /jobs} accepted per
 * second at concurrency 16. Run by hand: {@code java -cp <test classpath> dev.caravan.bench.JobStoreLatency}.
 */
public final class JobStoreLatency {

    private static final String JOB = "{\"language\":\"python\",\"code\":\"print(1)\"}";
    private static final int ROUNDS = 2;

    private JobStoreLatency() {
    }

    public static void main(String[] args) throws Exception {
        try (TestTopology topology = new TestTopology(); TestDatabase database = TestDatabase.postgresql()) {
            Map<String, String> settings = new HashMap<>(database.properties());
            settings.put("caravan.worker.concurrency", "4");
            CaravanApp app = CaravanApp.start(topology, settings);
            try {
                run(app);
            } finally {
                app.close();
            }
        }
        System.exit(0);
    }

    private static void run(CaravanApp app) throws Exception {
        CamelContext camel = app.main().getCamelContext();
        String ingress;
        try (InputStream yaml = JobStoreLatency.class.getResourceAsStream("/routes/ingress.camel.yaml")) {
            ingress = new String(yaml.readAllBytes(), StandardCharsets.UTF_8);
        }
        String executeRoute = ingress.substring(ingress.indexOf("- route:\n    id: execute"), ingress.indexOf("- route:\n    id: languages"));
        String withoutRecord = executeRoute.replace("id: execute\n", "id: execute-unrecorded\n")
                .replace("uri: platform-http:/execute\n", "uri: platform-http:/execute-unrecorded\n")
                .replaceAll("(?s)        # A record first.*?method: record\n", "");
        PluginHelper.getRoutesLoader(camel).loadRoutes(ResourceHelper.fromString("unrecorded.camel.yaml", withoutRecord));

        latency(app, "/execute", 1, 40);
        for (int round = 0; round < ROUNDS; round++) {
            for (int concurrency : new int[] {1, 16}) {
                System.out.printf("round %d c%-2d p50 store off %6.1f ms | store on %6.1f ms%n", round, concurrency,
                        latency(app, "/execute-unrecorded", concurrency, 16 * concurrency),
                        latency(app, "/execute", concurrency, 16 * concurrency));
            }
        }
        JobStore store = camel.getRegistry().lookupByNameAndType("jobStore", JobStore.class);
        for (int concurrency : new int[] {1, 16}) {
            System.out.printf("record insert alone c%-2d p50 %.2f ms%n", concurrency, insertLatency(store, concurrency, 400));
        }
        int jobs = 640;
        long start = System.nanoTime();
        List<Integer> statuses = submitAll(app, "/jobs", 16, jobs);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("POST /jobs c16: %d accepted of %d in %.2f s = %.0f jobs/s%n",
                Collections.frequency(statuses, 202), jobs, seconds, jobs / seconds);
    }

    private static double latency(CaravanApp app, String path, int concurrency, int requests) throws Exception {
        List<Double> millis = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            done.add(pool.submit(() -> {
                long start = System.nanoTime();
                HttpResponse<String> response = app.http().postJson(path, JOB);
                if (response.statusCode() == 200) {
                    millis.add((System.nanoTime() - start) / 1e6);
                }
            }));
        }
        for (Future<?> each : done) {
            each.get();
        }
        pool.shutdown();
        Collections.sort(millis);
        return millis.isEmpty() ? Double.NaN : millis.get(millis.size() / 2);
    }

    private static double insertLatency(JobStore store, int concurrency, int inserts) throws Exception {
        List<Double> millis = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < inserts; i++) {
            done.add(pool.submit(() -> {
                Instant now = Instant.now();
                long start = System.nanoTime();
                store.insertQueued(new NewJob(UUID.randomUUID().toString(), "python", now, now.plusSeconds(10), null));
                millis.add((System.nanoTime() - start) / 1e6);
            }));
        }
        for (Future<?> each : done) {
            each.get();
        }
        pool.shutdown();
        Collections.sort(millis);
        return millis.get(millis.size() / 2);
    }

    private static List<Integer> submitAll(CaravanApp app, String path, int concurrency, int requests) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        List<Future<Integer>> answers = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            answers.add(pool.submit(() -> app.http().postJson(path, JOB).statusCode()));
        }
        List<Integer> statuses = new ArrayList<>();
        for (Future<Integer> answer : answers) {
            statuses.add(answer.get());
        }
        pool.shutdown();
        return statuses;
    }
}
