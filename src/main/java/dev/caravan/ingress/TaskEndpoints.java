package dev.caravan.ingress;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.caravan.contract.Job;
import dev.caravan.contract.TaskRun;
import dev.caravan.store.AsyncJobs;
import dev.caravan.store.JobRecord;
import dev.caravan.tasks.InvalidParamException;
import dev.caravan.tasks.TaskCatalog;
import java.io.IOException;
import java.util.Iterator;
import java.util.UUID;
import org.apache.camel.Exchange;

/**
 * {@code /tasks}: operator-defined tasks ({@code config/tasks.yaml}). {@code GET /tasks} lists the types with their
 * params; {@code POST /tasks/{type}} with {@code {"params":{...}}} turns the request into a {@link Job} carrying a
 * {@link TaskRun}, which then takes the path of {@code /execute} (record, confirmed publish, wait, 504 with the id) or,
 * with {@code ?async=true}, of {@code POST /jobs} (202 and a record at {@code /jobs/{id}}).
 */
public final class TaskEndpoints {

    /** Exchange property set when the task was queued without a waiting caller and answered 202 already. */
    public static final String ANSWERED = "caravanTaskAnswered";
    private static final ObjectMapper TREE = new ObjectMapper();

    private final TaskCatalog catalog;
    private final AsyncJobs jobs;

    public TaskEndpoints(TaskCatalog catalog, AsyncJobs jobs) {
        this.catalog = catalog;
        this.jobs = jobs;
    }

    /** {@code GET /tasks}: every type as the file declares it, defaults filled in. */
    public void list(Exchange exchange) {
        HttpExchanges.requireMethod(exchange, "GET");
        HttpExchanges.answer(exchange, 200, catalog.types());
    }

    /**
     * {@code POST /tasks/{type}}: validates the params and leaves the job on the exchange for the publisher; with
     * {@code ?async=true} queues it and answers 202 ({@link #ANSWERED}).
     *
     * @throws ApiException 404 for an unknown type, 400 naming the param or field at fault, 415 for a body not JSON
     */
    public void accept(Exchange exchange) {
        HttpExchanges.requireMethod(exchange, "POST");
        HttpExchanges.requireJson(exchange);
        String type = exchange.getMessage().getHeader("type", String.class);
        boolean async = "true".equalsIgnoreCase(exchange.getMessage().getHeader("async", String.class));
        TaskRun task;
        try {
            task = catalog.task(type, params(exchange.getMessage().getBody(byte[].class)));
        } catch (TaskCatalog.UnknownTaskTypeException unknown) {
            throw new ApiException(404, unknown.getMessage());
        } catch (InvalidParamException invalid) {
            throw ApiException.badField(invalid.param() == null ? "params" : "params." + invalid.param(), invalid.getMessage());
        }
        Job job = Job.ofTask(UUID.randomUUID().toString(), task);
        if (!async) {
            ExecuteIngress.enqueue(exchange, job);
            return;
        }
        exchange.setProperty(ExecuteIngress.JOB_ID, job.id());
        JobRecord queued = jobs.submit(job, null);
        HttpExchanges.answer(exchange, 202, new JobsEndpoints.Accepted(queued.id(), queued.status(), queued.submittedAt()));
        exchange.getMessage().setHeader("Location", "/jobs/" + queued.id());
        exchange.setProperty(ANSWERED, true);
    }

    /** The body's {@code params}; an empty body or {@code {}} means every param takes its default. */
    private static JsonNode params(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        JsonNode tree;
        try {
            tree = TREE.readTree(body);
        } catch (IOException e) {
            throw new ApiException(400, "request body is not valid JSON: " + e.getMessage());
        }
        if (tree == null || tree.isMissingNode()) {
            return null;
        }
        if (!tree.isObject()) {
            throw new ApiException(400, "request body must be a JSON object: {\"params\":{...}}");
        }
        for (Iterator<String> names = tree.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("params")) {
                throw ApiException.badField(name, "unknown field '" + name + "': a task request has only 'params'");
            }
        }
        return tree.get("params");
    }
}
