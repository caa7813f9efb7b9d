package dev.caravan.edge;

import dev.caravan.config.CorsSettings;
import java.time.Duration;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.main.MainHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;

/**
 * Switches on Camel's own CORS handler (camel-platform-http-vertx 4.17, {@code VertxPlatformHttpServerSupport
 * .createCorsHandler}) for every path of the HTTP server: Caravan's API, the Piston and Judge0 adapters and whatever
 * an operator's route adds. Camel Main has no {@code camel.server.*} key for it, and the server reads it once, when it
 * builds its router as it starts ({@code VertxPlatformHttpServer.doStart}); Camel Main creates the server before it
 * runs Caravan's configuration and starts it after, so it is set from there.
 *
 * <p>What Camel's handler does with it: a request with an {@code Origin} gets {@code Access-Control-Allow-Origin}
 * echoing that origin when it is allowed, and none otherwise (so the browser keeps the answer from the page); an
 * {@code OPTIONS} request with an {@code Origin} (a preflight) is answered there, 200 with an empty body, the
 * requested methods and headers echoed, cacheable for {@link #PREFLIGHT_CACHE}. It always adds
 * {@code Access-Control-Allow-Credentials: true}; Caravan uses no cookies, its keys travel in {@code Authorization}.
 */
public final class CrossOrigin {

    /** How long a browser may reuse a preflight (Chromium caps it at 2 h). */
    static final Duration PREFLIGHT_CACHE = Duration.ofMinutes(10);
    /** Answer headers a page may read beyond the CORS-safelisted ones: when to try again after a 503. */
    static final List<String> EXPOSED_HEADERS = List.of("Retry-After");

    private CrossOrigin() {
    }

    /**
     * Gives the context's HTTP server Camel's CORS handler for these settings; nothing when they are off or there is no
     * server ({@code camel.server.enabled=false}).
     *
     * @throws IllegalStateException when the server has already started, so the handler would silently be missing
     */
    public static void configure(CamelContext context, CorsSettings settings) {
        MainHttpServer server = context.hasService(MainHttpServer.class);
        if (server == null || !settings.enabled()) {
            return;
        }
        if (server.isStarted() || server.isStarting()) {
            throw new IllegalStateException("the HTTP server started before CORS could be configured");
        }
        VertxPlatformHttpServerConfiguration.Cors cors = server.getCors();
        cors.setEnabled(true);
        // Camel's handler reads an empty list as "any origin".
        cors.setOrigins(settings.anyOrigin() ? List.of() : settings.allowedOrigins());
        cors.setExposedHeaders(EXPOSED_HEADERS);
        cors.setAccessControlMaxAge(PREFLIGHT_CACHE);
    }
}
