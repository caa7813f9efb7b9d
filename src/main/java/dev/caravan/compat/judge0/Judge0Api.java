package dev.caravan.compat.judge0;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.caravan.compat.judge0.Judge0RequestMapper.Judge0Request;
import dev.caravan.contract.ExecuteRequest;
import dev.caravan.contract.ExecuteResult;
import dev.caravan.contract.Job;
import dev.caravan.contract.JobState;
import dev.caravan.contract.Json;
import dev.caravan.edge.UnmatchedRequests;
import dev.caravan.ingress.ApiException;
import dev.caravan.ingress.ExecuteIngress;
import dev.caravan.ingress.ExecuteRequestValidator;
import dev.caravan.ingress.HttpExchanges;
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
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.amqp.AmqpException;

/**
 * The steps of the Judge0 routes (routes/judge0.camel.yaml), after judge0/judge0 v1.13.1 config/routes.rb and
 * app/controllers/submissions_controller.rb. It translates only: a submission is a Caravan job (the same validator,
 * queue, workers, limits and store record), and its token is the job's id (a UUID v4).
 */
public final class Judge0Api {

    /** Exchange property: true when {@code POST /submissions?wait=true} waits for the worker's reply. */
    public static final String WAIT = "caravanJudge0Wait";
    private static final String PENDING = "caravanJudge0Pending";
    private static final ObjectMapper TREE = new ObjectMapper();

    /** What the answer to a waited submission needs to know of its request. */
    private record Pending(List<String> fields, boolean base64, Instant createdAt) {
    }

    private final Judge0RequestMapper requests;
    private final Judge0SubmissionMapper submissions;
    private final Judge0Languages languages;
    private final ExecuteRequestValidator validator;
    private final AsyncJobs jobs;
    private final JobStore store;
    private final int maxBatch;

    /** @param maxBatch the most submissions in one batch or tokens in one list ({@code caravan.limits.max-batch}) */
    public Judge0Api(Judge0RequestMapper requests, Judge0SubmissionMapper submissions, Judge0Languages languages,
                     ExecuteRequestValidator validator, AsyncJobs jobs, JobStore store, int maxBatch) {
        this.requests = requests;
        this.submissions = submissions;
        this.languages = languages;
        this.validator = validator;
        this.jobs = jobs;
        this.store = store;
        this.maxBatch = maxBatch;
    }

    /**
     * {@code POST /submissions}: without {@code wait=true}, queues the job and answers {@code 201 {"token"}}; with it,
     * leaves the job on the exchange for Caravan's publish-and-wait step and sets {@link #WAIT}.
     *
     * @throws Judge0Unprocessable 422 naming the fields at fault
     * @throws ApiException        400 for invalid {@code fields}
     */
    public void create(Exchange exchange) {
        HttpExchanges.requireMethod(exchange, "POST");
        Message message = exchange.getMessage();
        List<String> fields = Judge0SubmissionMapper.requestedFields(message.getHeader("fields", String.class));
        boolean base64 = flag(message, "base64_encoded");
        boolean wait = flag(message, "wait");
        Judge0Request request = requests.read(body(message.getBody(byte[].class)), base64);
        if (wait && request.callback() != null) {
            throw Judge0Unprocessable.of("callback_url", "cannot be combined with wait=true on Caravan");
        }
        Job job = job(request.request());
        exchange.setProperty(WAIT, wait);
        if (!wait) {
            jobs.submit(job, request.callback());
            HttpExchanges.answer(exchange, 201, Map.of("token", job.id()));
            return;
        }
        exchange.setProperty(PENDING, new Pending(fields, base64, Instant.now()));
        ExecuteIngress.enqueue(exchange, job);
    }

    /** After the worker replied to a waited submission: {@code 201} with the submission, as Judge0 answers it. */
    public void created(Exchange exchange) throws IOException {
        Message reply = exchange.getMessage();
        Pending pending = exchange.getProperty(PENDING, Pending.class);
        String token = exchange.getProperty(ExecuteIngress.JOB_ID, String.class);
        String language = exchange.getProperty(ExecuteIngress.JOB_LANGUAGE, String.class);
        Judge0Submission submission;
        if (ExecuteIngress.deadLettered(reply)) {
            submission = new Judge0Submission(token, JobState.DEAD_LETTERED, language, null, pending.createdAt(),
                    Instant.now(), "the job failed on every attempt and was set aside");
        } else {
            ExecuteResult result = Json.read(reply.getBody(byte[].class), ExecuteResult.class);
            submission = new Judge0Submission(token, JobState.DONE, language, result, pending.createdAt(),
                    Instant.now(), null);
        }
        HttpExchanges.answer(exchange, 201, submissions.map(submission, pending.fields(), pending.base64()));
    }

    /**
     * {@code POST /submissions/batch} {@code {"submissions": [...]}}: one {@code {"token"}} or one 422 body per element,
     * in order; 201 when any was queued, else 422 (submissions_controller.rb {@code batch_create}).
     */
    public void createBatch(Exchange exchange) {
        HttpExchanges.requireMethod(exchange, "POST");
        Message message = exchange.getMessage();
        boolean base64 = flag(message, "base64_encoded");
        JsonNode elements = body(message.getBody(byte[].class)).get("submissions");
        int count = elements == null || !elements.isArray() ? 0 : elements.size();
        requireBatchSize(count);
        List<Object> answers = new ArrayList<>(count);
        boolean anyQueued = false;
        for (JsonNode element : elements) {
            try {
                Judge0Request request = requests.read(element, base64);
                Job job = job(request.request());
                jobs.submit(job, request.callback());
                answers.add(Map.of("token", job.id()));
                anyQueued = true;
            } catch (Judge0Unprocessable refused) {
                answers.add(refused.errors());
            } catch (JobNotAcceptedException | AmqpException | StoreUnavailableException unavailable) {
                answers.add(Map.of("error", "not queued: " + unavailable.getMessage() + "; try again later"));
            }
        }
        HttpExchanges.answer(exchange, anyQueued ? 201 : 422, answers);
    }

    /**
     * {@code GET /submissions/{token}}; {@code GET /submissions/batch?tokens=a,b} ({@code {"submissions": [...]}}, null
     * for an unknown token, in order); {@code DELETE /submissions/{token}}.
     *
     * @throws ApiException 404 for an unknown token, 400 for invalid fields or a batch of the wrong size
     */
    public void showOrDelete(Exchange exchange) {
        Message message = exchange.getMessage();
        String token = message.getHeader("token", String.class);
        List<String> fields = Judge0SubmissionMapper.requestedFields(message.getHeader("fields", String.class));
        boolean base64 = flag(message, "base64_encoded");
        if ("DELETE".equals(message.getHeader(Exchange.HTTP_METHOD, String.class))) {
            delete(exchange, token, fields);
            return;
        }
        HttpExchanges.requireMethod(exchange, "GET");
        if ("batch".equals(token)) {
            showBatch(exchange, message.getHeader("tokens", String.class), fields, base64);
            return;
        }
        JobRecord record = store.find(token).orElseThrow(Judge0Api::notFound);
        HttpExchanges.answer(exchange, 200, submissions.map(Judge0Submission.of(record), fields, base64));
    }

    private void showBatch(Exchange exchange, String tokens, List<String> fields, boolean base64) {
        List<String> wanted = tokens == null ? List.of()
                : Arrays.stream(tokens.split(",")).map(String::trim).filter(t -> !t.isEmpty()).toList();
        requireBatchSize(wanted.size());
        List<Object> shown = new ArrayList<>(wanted.size());
        for (JobRecord record : store.findAll(wanted)) {
            shown.add(record == null ? null : submissions.map(Judge0Submission.of(record), fields, base64));
        }
        HttpExchanges.answer(exchange, 200, Map.of("submissions", shown));
    }

    /** Judge0 deletes only an ended submission and answers it, base64-encoded whatever was asked (its {@code destroy}). */
    private void delete(Exchange exchange, String token, List<String> fields) {
        JobRecord record = store.find(token).orElseThrow(Judge0Api::notFound);
        Judge0Submission submission = Judge0Submission.of(record);
        if (!record.status().isFinal()) {
            Judge0Status status = Judge0Status.ofState(record.status());
            throw new ApiException(400, "submission cannot be deleted because its status is " + status.id()
                    + " (" + status.description() + ")");
        }
        if (jobs.cancelOrDelete(token) == JobStore.Removal.NOT_FOUND) {
            throw notFound();
        }
        HttpExchanges.answer(exchange, 200, submissions.map(submission, fields, true));
    }

    /** {@code GET /languages}. */
    public void languages(Exchange exchange) {
        HttpExchanges.requireMethod(exchange, "GET");
        HttpExchanges.answer(exchange, 200, languages.list());
    }

    /** {@code GET /languages/{id}}; 404 for an unknown id. */
    public void language(Exchange exchange) {
        HttpExchanges.requireMethod(exchange, "GET");
        HttpExchanges.answer(exchange, 200, languages.one(exchange.getMessage().getHeader("id", String.class)));
    }

    /** {@code GET /statuses}: the fourteen statuses, {@code [{id, description}]}. */
    public void statuses(Exchange exchange) {
        HttpExchanges.requireMethod(exchange, "GET");
        HttpExchanges.answer(exchange, 200, Judge0Status.all());
    }

    /** {@code GET /about}. */
    public void about(Exchange exchange) {
        HttpExchanges.requireMethod(exchange, "GET");
        HttpExchanges.answer(exchange, 200, languages.about());
    }

    /** {@code GET /config_info}. */
    public void configInfo(Exchange exchange) {
        HttpExchanges.requireMethod(exchange, "GET");
        HttpExchanges.answer(exchange, 200, languages.configInfo());
    }

    /** Any other path under the Judge0 folder: Judge0's JSON 404, or 405 for another method at an endpoint's path. */
    public void notFound(Exchange exchange) {
        UnmatchedRequests.refuseWrongMethod(exchange);
        throw notFound();
    }

    private static ApiException notFound() {
        return new ApiException(404, "Not Found");
    }

    private Job job(ExecuteRequest request) {
        try {
            return validator.validate(Json.write(request));
        } catch (ApiException refused) {
            throw Judge0RequestMapper.refusal(refused);
        }
    }

    private void requireBatchSize(int count) {
        // submissions_controller.rb batch_create / batch_show wording.
        if (count > maxBatch) {
            throw new ApiException(400, "number of submissions in a batch should be less than or equal to " + maxBatch);
        }
        if (count == 0) {
            throw new ApiException(400, "there should be at least one submission in a batch");
        }
    }

    private static boolean flag(Message message, String name) {
        return "true".equals(message.getHeader(name, String.class));
    }

    private static JsonNode body(byte[] body) {
        try {
            JsonNode tree = TREE.readTree(body == null ? new byte[0] : body);
            if (tree == null || !tree.isObject()) {
                throw new ApiException(400, "request body must be a JSON object");
            }
            return tree;
        } catch (IOException e) {
            throw new ApiException(400, "request body is not valid JSON: " + e.getMessage());
        }
    }
}
