package dev.caravan.compat.piston;

import dev.caravan.compat.piston.PistonRequestMapper.PistonCall;
import dev.caravan.contract.ExecuteResult;
import dev.caravan.contract.Job;
import dev.caravan.contract.Json;
import dev.caravan.edge.UnmatchedRequests;
import dev.caravan.ingress.ApiException;
import dev.caravan.ingress.ExecuteIngress;
import dev.caravan.ingress.ExecuteRequestValidator;
import dev.caravan.ingress.HttpExchanges;
import java.io.IOException;
import java.util.Locale;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The steps of the Piston v2 routes (routes/piston.camel.yaml): {@code GET /api/v2/runtimes}, and the two ends of
 * {@code POST /api/v2/execute} around Caravan's own publish-and-wait step. It translates only: the job goes through
 * the same validator, queue, workers and limits as {@code POST /execute}.
 */
public final class PistonApi {

    /** Exchange property: what the answer needs to know of the request once the body is the job. */
    static final String PENDING = "caravanPistonCall";

    private record Pending(PistonRuntime runtime, long outputBytes) {
    }

    private final PistonRequestMapper mapper;
    private final ExecuteRequestValidator validator;
    /** The runtimes never change while the process runs, so their JSON is written once. */
    private final byte[] runtimesJson;

    public PistonApi(PistonRuntimes runtimes, PistonRequestMapper mapper, ExecuteRequestValidator validator) {
        this.mapper = mapper;
        this.validator = validator;
        this.runtimesJson = Json.write(runtimes.list());
    }

    /** {@code GET /api/v2/runtimes}: {@code [{language, version, aliases}]}. */
    public void runtimes(Exchange exchange) {
        HttpExchanges.requireMethod(exchange, "GET");
        HttpExchanges.answer(exchange, 200, runtimesJson);
    }

    /**
     * Reads {@code POST /api/v2/execute} and leaves the job to publish. The body is read as JSON whatever its
     * Content-Type says, but a form's: piston-client 1.0.2 posts {@code JSON.stringify(body)} with node-fetch, which
     * labels a string body text/plain (its {@code lib/post.js}), and other clients send no Content-Type at all. A
     * form's body (curl -d without -H) was already decoded as form fields by the HTTP server and cannot be read back
     * as sent, so it gets Piston's own 415 ({@code api/src/api/v2.js}).
     *
     * @throws ApiException 400 with Piston's message, 405, 413, 415
     */
    public void accept(Exchange exchange) {
        HttpExchanges.requireMethod(exchange, "POST");
        String contentType = exchange.getMessage().getHeader(Exchange.CONTENT_TYPE, "", String.class).toLowerCase(Locale.ROOT);
        if (contentType.startsWith("application/x-www-form-urlencoded") || contentType.startsWith("multipart/form-data")) {
            throw new ApiException(415, "requests must be of type application/json");
        }
        byte[] body = exchange.getMessage().getBody(byte[].class);
        body = body == null ? new byte[0] : body;
        validator.requireSize(body);
        PistonCall call = mapper.read(body);
        Job job = validator.validate(call.request());
        exchange.setProperty(PENDING, new Pending(call.runtime(), job.limits().outputBytes()));
        ExecuteIngress.enqueue(exchange, job);
    }

    /** Any other path under the Piston folder: Piston's {@code 404 {"message": "Not Found"}} (its api/src/index.js), or 405
     * for another method at an endpoint's path. */
    public void notFound(Exchange exchange) {
        UnmatchedRequests.refuseWrongMethod(exchange);
        throw new ApiException(404, "Not Found");
    }

    /** Answers the worker's result in Piston's shape; a dead-lettered job is a 500, as a failed job is in Piston. */
    public void respond(Exchange exchange) throws IOException {
        Message reply = exchange.getMessage();
        if (ExecuteIngress.deadLettered(reply)) {
            throw new ApiException(500, "the job failed on every attempt and was set aside");
        }
        ExecuteResult result = Json.read(reply.getBody(byte[].class), ExecuteResult.class);
        Pending pending = exchange.getProperty(PENDING, Pending.class);
        HttpExchanges.answer(exchange, 200, PistonResultMapper.map(pending.runtime(), result, pending.outputBytes()));
    }
}
