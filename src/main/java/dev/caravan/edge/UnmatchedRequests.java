package dev.caravan.edge;

import dev.caravan.contract.Json;
import dev.caravan.ingress.ApiError;
import dev.caravan.ingress.ApiException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
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

    @Override
    public void onContextStarted(CamelContext context) {
        MainHttpServer server = context.hasService(MainHttpServer.class);
        if (server == null) {
            return;
        }
        Router router = server.getRouter();
        router.route().order(Integer.MAX_VALUE).handler(request -> answer(router, request));
    }

    private void answer(Router router, RoutingContext request) {
        HttpMethod method = request.request().method();
        String path = request.normalizedPath();
        String wrongMethod = wrongMethod(router, method, path);
        int status = wrongMethod == null ? 404 : 405;
        ApiError error = ApiError.of(wrongMethod == null ? "no endpoint " + method.name() + " " + shown(path) : wrongMethod);
        request.response().setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, Json.CONTENT_TYPE)
                .end(Buffer.buffer(Json.write(error)));
    }

    /**
     * For an adapter's catch-all route (a folder that answers its own 404s): refuses the request with 405 when an
     * endpoint at exactly its path takes other methods, as this class does everywhere else.
     *
     * @throws ApiException 405 naming the methods the path takes
     */
    public static void refuseWrongMethod(Exchange exchange) {
        MainHttpServer server = exchange.getContext().hasService(MainHttpServer.class);
        String uri = exchange.getMessage().getHeader(Exchange.HTTP_URI, String.class);
        String method = exchange.getMessage().getHeader(Exchange.HTTP_METHOD, String.class);
        if (server == null || uri == null || method == null) {
            return;
        }
        String wrongMethod = wrongMethod(server.getRouter(), HttpMethod.valueOf(method), uri.split("\\?", 2)[0]);
        if (wrongMethod != null) {
            throw new ApiException(405, wrongMethod);
        }
    }

    /** Why the method is refused at the path, or null when no endpoint there restricts methods or this one is taken. */
    private static String wrongMethod(Router router, HttpMethod method, String path) {
        Set<HttpMethod> allowed = methodsAt(router, path);
        if (allowed.isEmpty() || allowed.contains(method)) {
            return null;
        }
        return "method " + method.name() + " is not allowed on " + shown(path) + "; use "
                + String.join(", ", allowed.stream().map(HttpMethod::name).sorted().toList());
    }

    private static String shown(String path) {
        return path.length() > MAX_PATH_SHOWN ? path.substring(0, MAX_PATH_SHOWN) + "…" : path;
    }

    /**
     * The methods that method-restricted routes at exactly this path take, prefix routes included (the REST DSL serves
     * /openapi.json as GET on a prefix); empty when there are none.
     */
    private static Set<HttpMethod> methodsAt(Router router, String path) {
        return router.getRoutes().stream()
                .filter(route -> !route.isRegexPath() && path.equals(route.getPath()))
                .filter(route -> route.methods() != null)
                .flatMap(route -> route.methods().stream())
                .collect(Collectors.toSet());
    }
}
