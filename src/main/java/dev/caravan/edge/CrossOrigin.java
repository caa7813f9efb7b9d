package dev.caravan.edge;

import dev.caravan.config.CorsSettings;
import java.time.Duration;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.Service;
import org.apache.camel.component.platform.http.main.MainHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.apache.camel.support.LifecycleStrategySupport;

/**
 * Switches on Camel's own CORS handler (camel-platform-http-vertx 4.17, {@code VertxPlatformHttpServerSupport
 * .createCorsHandler}) for every path of the HTTP server: Caravan's API, the Piston and Judge0 adapters and whatever
 * an operator's route adds. Camel reads this configuration once, when it builds the server's router, and Camel Main
 * has no {@code camel.server.*} key for it, so it is set here as the server is added to the context, before it starts.
 *
 * <p>What Camel's handler does with it: a request with an {@code Origin} gets {@code Access-Control-Allow-Origin}
 * echoing that origin when it is allowed, and none otherwise (so the browser refuses to hand the answer to the page);
 * an {@code OPTIONS} request with an {@code Origin} (a preflight) is answered there, 200 with an empty body, allowed
 * methods and headers echoed from the request, and cached for {@link #PREFLIGHT_CACHE}. It always adds
 * {@code Access-Control-Allow-Credentials: true}; Caravan uses no cookies, its keys travel in {@code Authorization}.
 */
public final class CrossOrigin extends LifecycleStrategySupport {

    /** How long a browser may reuse a preflight (Chromium caps it at 2 h). */
    static final Duration PREFLIGHT_CACHE = Duration.ofMinutes(10);
    /** Answer headers a page may read beyond the CORS-safelisted ones: when to try again after a 503. */
    static final List<String> EXPOSED_HEADERS = List.of("Retry-After");

    private final CorsSettings settings;

    /** @param settings {@code caravan.cors.*}; when off, the server gets no CORS handler at all */
    public CrossOrigin(CorsSettings settings) {
        this.settings = settings;
    }

    @Override
    public void onServiceAdd(CamelContext context, Service service, Route route) {
        if (service instanceof MainHttpServer server && settings.enabled()) {
            VertxPlatformHttpServerConfiguration.Cors cors = server.getCors();
            cors.setEnabled(true);
            // Camel's handler reads an empty list as "any origin".
            cors.setOrigins(settings.anyOrigin() ? List.of() : settings.allowedOrigins());
            cors.setExposedHeaders(EXPOSED_HEADERS);
            cors.setAccessControlMaxAge(PREFLIGHT_CACHE);
        }
    }
}
