package dev.caravan.ingress;

import dev.caravan.contract.Json;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.main.MainHttpServer;
import org.apache.camel.component.platform.http.main.ManagementHttpServer;
import org.apache.camel.support.LifecycleStrategySupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets a stopping node answer every request it accepted, and only those. When Camel starts to stop (SIGTERM, or
 * {@code Main.stop()}), every new HTTP request gets the contract's 503 ({@code {"error":"…"}} with
 * {@code Retry-After}), while this waits, at most {@link #budget()}, for the requests already accepted to be
 * answered; only then does Camel stop its routes and close the port.
 *
 * <p>Why in front of Camel, on the Vert.x router: Camel's graceful shutdown suspends the platform-http consumers
 * before it waits for their exchanges, and a suspended consumer answers an empty, non-JSON 503
 * ({@code VertxPlatformHttpConsumer.handleSuspend} in camel-platform-http-vertx 4.17); a removed one, Vert.x's
 * plain 404. This gate answers first, through both phases, until the server closes. Health and metrics (the
 * folder of {@code camel.management.healthPath}, {@code /observe/}) pass through, so that a load balancer sees
 * readiness go down ({@link #isDraining()}) rather than a 503 it cannot read.
 */
public final class ShutdownDrain extends LifecycleStrategySupport {

    /** Time, beyond the reply wait, for an answer already decided (a 504, a late reply) to be written. */
    public static final Duration ANSWER_GRACE = Duration.ofSeconds(2);

    private static final Logger LOG = LoggerFactory.getLogger(ShutdownDrain.class);
    private static final byte[] SHUTTING_DOWN = Json.write(ApiError.of("this node is shutting down; try again later"));

    private final Duration budget;
    private final AtomicInteger accepted = new AtomicInteger();
    private final Object answered = new Object();
    private volatile boolean draining;
    private String passThroughPrefix;

    /** @param budget the longest a stop waits for accepted requests: the reply wait plus {@link #ANSWER_GRACE}. */
    public ShutdownDrain(Duration budget) {
        this.budget = budget;
    }

    public Duration budget() {
        return budget;
    }

    /** True from the moment Camel starts to stop. */
    public boolean isDraining() {
        return draining;
    }

    /** Puts the gate in front of every route of the HTTP server, Camel's and the management endpoints alike. */
    @Override
    public void onContextStarted(CamelContext context) {
        MainHttpServer server = context.hasService(MainHttpServer.class);
        if (server == null) {
            return;
        }
        ManagementHttpServer management = context.hasService(ManagementHttpServer.class);
        passThroughPrefix = management == null ? null : managementFolder(management.getHealthPath());
        Router router = server.getRouter();
        router.route().order(Integer.MIN_VALUE).handler(this::admitOrRefuse);
    }

    /** Runs before Camel suspends any route: refuse new requests, then wait for the accepted ones. */
    @Override
    public void onContextStopping(CamelContext context) {
        draining = true;
        int waiting = accepted.get();
        LOG.info("Stopping: new requests get 503; waiting up to {} ms for {} accepted request(s) to be answered",
                budget.toMillis(), waiting);
        long deadline = System.nanoTime() + budget.toNanos();
        synchronized (answered) {
            try {
                for (long left = budget.toNanos(); accepted.get() > 0 && left > 0; left = deadline - System.nanoTime()) {
                    TimeUnit.NANOSECONDS.timedWait(answered, left);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        int unanswered = accepted.get();
        if (unanswered > 0) {
            LOG.warn("Stopping with {} request(s) still unanswered after {} ms", unanswered, budget.toMillis());
        } else {
            LOG.info("Every accepted request was answered; stopping routes");
        }
    }

    /**
     * Camel serves health, metrics and info side by side ({@code /observe/health}, {@code /observe/metrics}); a
     * health path at the root passes alone, so that the API itself is never mistaken for management.
     */
    private static String managementFolder(String healthPath) {
        String folder = healthPath.substring(0, healthPath.lastIndexOf('/') + 1);
        return folder.length() > 1 ? folder : healthPath;
    }

    private void admitOrRefuse(RoutingContext request) {
        if (passThroughPrefix != null && request.normalizedPath().startsWith(passThroughPrefix)) {
            request.next();
            return;
        }
        // Counted before the flag is read, and the flag set before the count is read: a request either sees the
        // stop and is refused, or is counted before the stop looks, and is waited for.
        accepted.incrementAndGet();
        if (draining) {
            release();
            refuse(request);
            return;
        }
        request.addEndHandler(end -> release());
        request.next();
    }

    private void release() {
        if (accepted.decrementAndGet() == 0) {
            synchronized (answered) {
                answered.notifyAll();
            }
        }
    }

    /**
     * The contract's 503. An HTTP/1.x connection carries nothing else at that moment, so it is closed and the client's
     * retry opens a new one, which a load balancer can send to another node. An HTTP/2 connection may also carry
     * accepted calls still running, so it stays open until the server closes (GOAWAY).
     */
    private static void refuse(RoutingContext request) {
        boolean http1 = request.request().version() != HttpVersion.HTTP_2;
        HttpServerResponse response = request.response()
                .setStatusCode(503)
                .putHeader(HttpHeaders.CONTENT_TYPE, Json.CONTENT_TYPE)
                .putHeader(IngressErrors.RETRY_AFTER, IngressErrors.RETRY_AFTER_SECONDS);
        if (http1) {
            response.putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
        }
        response.end(Buffer.buffer(SHUTTING_DOWN)).onComplete(written -> {
            if (http1) {
                request.request().connection().close();
            }
        });
    }
}
