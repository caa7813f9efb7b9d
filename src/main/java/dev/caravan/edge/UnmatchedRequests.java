package dev.caravan.edge;

import dev.caravan.contract.Json;
import dev.caravan.ingress.ApiError;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.main.MainHttpServer;
import org.apache.camel.support.LifecycleStrategySupport;

/**
 * Answers every request that no route takes with Caravan's JSON error ({@link ApiError}) instead of Vert.x's HTML
 * 404 page or its empty 405: {@code 404 {"error": "no endpoint GET /x"}}, or 405 when an endpoint at that exact path
 * takes other methods (Camel's {@code httpMethodRestrict}, the management endpoints). An adapter whose API has its
 * own error shape answers its own folder first (the Piston adapter's catch-all route, {@code {"message"}}).
 *
 * <p>Why a Vert.x route rather than a catch-all Camel route: Vert.x tries routes in their order, and Camel adds its
 * consumers' routes in the order they start, so a catch-all Camel route would hide any route started after it (an
 * operator's route file added while Caravan runs, a route that is restarted). This one is ordered last for good.
 */
public final class UnmatchedRequests extends LifecycleStrategySupport {

    /** Long enough to recognise the path, short enough that a huge one is not echoed back. */
    private static final int MAX_PATH_SHOWN = 200;

    private Route last;

    @Override
    public void onContextStarted(CamelContext context) {
        MainHttpServer server = context.hasService(MainHttpServer.class);
        if (server == null) {
            return;
        }
        Router router = server.getRouter();
        last = router.route().order(Integer.MAX_VALUE).handler(request -> answer(router, request));
    }

    private void answer(Router router, RoutingContext request) {
        HttpMethod method = request.request().method();
        String path = request.normalizedPath();
        String shown = path.length() > MAX_PATH_SHOWN ? path.substring(0, MAX_PATH_SHOWN) + "…" : path;
        Set<HttpMethod> allowed = methodsAt(router, path);
        ApiError error;
        int status;
        if (allowed.isEmpty() || allowed.contains(method)) {
            status = 404;
            error = ApiError.of("no endpoint " + method.name() + " " + shown);
        } else {
            status = 405;
            error = ApiError.of("method " + method.name() + " is not allowed on " + shown + "; use "
                    + String.join(", ", allowed.stream().map(HttpMethod::name).sorted().toList()));
        }
        request.response().setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, Json.CONTENT_TYPE)
                .end(Buffer.buffer(Json.write(error)));
    }

    /** The methods that method-restricted routes at exactly this path take; empty when there are none. */
    private Set<HttpMethod> methodsAt(Router router, String path) {
        return router.getRoutes().stream()
                .filter(route -> route != last && !route.isRegexPath() && route.isExactPath() && path.equals(route.getPath()))
                .filter(route -> route.methods() != null)
                .flatMap(route -> route.methods().stream())
                .collect(Collectors.toSet());
    }
}
