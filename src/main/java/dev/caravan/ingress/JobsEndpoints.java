package dev.caravan.ingress;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import dev.caravan.contract.JobState;
import dev.caravan.queue.JobNotAcceptedException;
import dev.caravan.store.AsyncJobs;
import dev.caravan.store.JobRecord;
import dev.caravan.store.JobStore;
import dev.caravan.store.StoreUnavailableException;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.camel.Exchange;
import org.springframework.amqp.AmqpException;

/**
 * {@code /jobs}: jobs that outlive the request. {@code POST /jobs} (202, {@code Location: /jobs/{id}}),
 * {@code POST /jobs/batch}, {@code GET /jobs?ids=a,b}, {@code GET /jobs/{id}} and {@code DELETE /jobs/{id}}.
 */
public final class JobsEndpoints {

    private static final ObjectMapper TREE = new ObjectMapper();

    private final JobRequestReader reader;
    private final AsyncJobs jobs;
    private final JobStore store;
    private final int maxBatch;

    /** @param maxBatch the most jobs in one batch and ids in one list ({@code caravan.limits.max-batch}) */
    public JobsEndpoints(JobRequestReader reader, AsyncJobs jobs, JobStore store, int maxBatch) {
        this.reader = reader;
        this.jobs = jobs;
        this.store = store;
        this.maxBatch = maxBatch;
    }

    /** The answer to an accepted job: {@code {"id","status":"QUEUED","submitted_at"}}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Accepted(String id, JobState status,
                           @JsonProperty("submitted_at") @JsonSerialize(using = ToStringSerializer.class) Instant submittedAt) {
    }

    /** {@code POST /jobs} submits one job; {@code GET /jobs?ids=a,b,c} lists records in order (null when unknown). */
    public void submitOrList(Exchange exchange) {
        String method = exchange.getMessage().getHeader(Exchange.HTTP_METHOD, String.class);
        if ("GET".equals(method)) {
            list(exchange);
            return;
        }
        HttpExchanges.requireMethod(exchange, "POST");
        HttpExchanges.requireJson(exchange);
        byte[] body = exchange.getMessage().getBody(byte[].class);
        JobRequestReader.JobRequest request = reader.read(body == null ? new byte[0] : body);
        exchange.setProperty(ExecuteIngress.JOB_ID, request.job().id());
        JobRecord queued = jobs.submit(request.job(), request.callback());
        HttpExchanges.answer(exchange, 202, new Accepted(queued.id(), queued.status(), queued.submittedAt()));
        exchange.getMessage().setHeader("Location", "/jobs/" + queued.id());
    }

    /** {@code GET /jobs?ids=a,b,c}: those records in order; {@code GET /jobs?limit=N}: the N newest, newest first. */
    private void list(Exchange exchange) {
        String ids = exchange.getMessage().getHeader("ids", String.class);
        String limit = exchange.getMessage().getHeader("limit", String.class);
        if ((ids == null || ids.isBlank()) && limit != null) {
            HttpExchanges.answer(exchange, 200, store.recent(recentLimit(limit)));
            return;
        }
        if (ids == null || ids.isBlank()) {
            throw ApiException.badField("ids", "query parameter 'ids' (or 'limit') is required: GET /jobs?ids=ID1,ID2");
        }
        List<String> wanted = Arrays.stream(ids.split(",")).map(String::trim).toList();
        if (wanted.size() > maxBatch) {
            throw ApiException.badField("ids", wanted.size() + " ids, more than the " + maxBatch + " allowed");
        }
        HttpExchanges.answer(exchange, 200, store.findAll(wanted));
    }

    private int recentLimit(String limit) {
        try {
            int value = Integer.parseInt(limit.strip());
            if (value >= 1 && value <= maxBatch) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw ApiException.badField("limit", "query parameter 'limit' must be a whole number from 1 to " + maxBatch);
    }

    /**
     * {@code POST /jobs/batch} {@code {"jobs":[...]}}: 202 with one {@code {"id",...}} or one {@code {"error","field"}}
     * per element, in order; an element's fields are named from the batch ({@code jobs[2].language}).
     */
    public void batch(Exchange exchange) {
        HttpExchanges.requireMethod(exchange, "POST");
        HttpExchanges.requireJson(exchange);
        JsonNode elements = batchElements(exchange.getMessage().getBody(byte[].class));
        List<Object> answers = new ArrayList<>(elements.size());
        for (int i = 0; i < elements.size(); i++) {
            answers.add(submitOne(elements.get(i), "jobs[" + i + "]"));
        }
        HttpExchanges.answer(exchange, 202, answers);
    }

    private JsonNode batchElements(byte[] body) {
        JsonNode tree;
        try {
            tree = TREE.readTree(body == null ? new byte[0] : body);
        } catch (IOException e) {
            throw new ApiException(400, "request body is not valid JSON: " + e.getMessage());
        }
        JsonNode elements = tree == null ? null : tree.get("jobs");
        if (elements == null || !elements.isArray() || tree.size() != 1) {
            throw ApiException.badField("jobs", "request body must be {\"jobs\":[...]} and nothing else");
        }
        if (elements.isEmpty() || elements.size() > maxBatch) {
            throw ApiException.badField("jobs", "a batch holds 1 to " + maxBatch + " jobs but this one has " + elements.size());
        }
        return elements;
    }

    private Object submitOne(JsonNode element, String path) {
        try {
            JobRequestReader.JobRequest request = reader.read(element);
            JobRecord queued = jobs.submit(request.job(), request.callback());
            return new Accepted(queued.id(), queued.status(), queued.submittedAt());
        } catch (ApiException refused) {
            String field = refused.body().field();
            return new ApiError(refused.getMessage(), field == null ? path : path + "." + field, null, null);
        } catch (JobNotAcceptedException | AmqpException | StoreUnavailableException unavailable) {
            return new ApiError("not queued: " + unavailable.getMessage() + "; try again later", path, null, null);
        }
    }

    /** {@code GET /jobs/{id}}: the record (404 for an unknown id); {@code DELETE /jobs/{id}}: see {@link #delete}. */
    public void getOrDelete(Exchange exchange) {
        String id = exchange.getMessage().getHeader("id", String.class);
        String method = exchange.getMessage().getHeader(Exchange.HTTP_METHOD, String.class);
        if ("DELETE".equals(method)) {
            delete(exchange, id);
            return;
        }
        HttpExchanges.requireMethod(exchange, "GET");
        JobRecord record = jobs.find(id).orElseThrow(() -> unknown(id));
        HttpExchanges.answer(exchange, 200, record);
    }

    private static ApiException unknown(String id) {
        return new ApiException(404, "no job '" + id + "' (never submitted, or its record was deleted)");
    }

    /** {@code DELETE /jobs/{id}}: 200 with the CANCELLED record, 204 once an ended job is deleted, 409 while it runs. */
    private void delete(Exchange exchange, String id) {
        switch (jobs.cancelOrDelete(id)) {
            case CANCELLED -> HttpExchanges.answer(exchange, 200, jobs.find(id).orElseThrow(() -> unknown(id)));
            case DELETED -> {
                HttpExchanges.answer(exchange, 204, new byte[0]);
                exchange.getMessage().removeHeader(Exchange.CONTENT_TYPE);
            }
            case RUNNING -> throw new ApiException(409, "job '" + id + "' is running and cannot be cancelled; "
                    + "delete it once it has ended");
            case NOT_FOUND -> throw unknown(id);
        }
    }
}
