package dev.caravan.ingress;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caravan.callbacks.CallbackAddressGuard;
import dev.caravan.callbacks.CallbackRefusedException;
import dev.caravan.callbacks.CallbackSigner;
import dev.caravan.contract.Callback;
import dev.caravan.contract.Job;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads one job of {@code POST /jobs} (or one element of a batch): the {@code /execute} body, checked by the same
 * {@link ExecuteRequestValidator}, plus an optional {@code "callback":{"url":"...","headers":{"Name":"value"}}}.
 * Callback headers must be valid HTTP field names and values (RFC 9110 section 5) and may not replace the ones the
 * sender sets itself (framing, Host, Content-Type, the signature).
 */
public final class JobRequestReader {

    /** RFC 9110 section 5.6.2: a field name is a token. */
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final Set<String> RESERVED_HEADERS = Set.of("host", "content-length", "connection", "expect",
            "upgrade", "transfer-encoding", "content-type", CallbackSigner.HEADER.toLowerCase(Locale.ROOT));
    private static final int MAX_HEADERS = 16;
    private static final ObjectMapper TREE = new ObjectMapper();

    private final ExecuteRequestValidator validator;
    private final CallbackAddressGuard guard;

    public JobRequestReader(ExecuteRequestValidator validator, CallbackAddressGuard guard) {
        this.validator = validator;
        this.guard = guard;
    }

    /** A validated job and its callback (null when none was asked for). */
    public record JobRequest(Job job, Callback callback) {
    }

    /**
     * @throws ApiException 400 naming the field at fault (callback fields as {@code callback.url},
     *                      {@code callback.headers.NAME}), 413 when the body is too large
     */
    public JobRequest read(byte[] body) {
        JsonNode tree;
        try {
            tree = TREE.readTree(body);
        } catch (IOException e) {
            tree = null;
        }
        // The validator words every kind of body that is not a JSON object (and refuses it).
        return tree instanceof ObjectNode ? read(tree) : new JobRequest(validator.validate(body), null);
    }

    /** One element of a batch, already parsed. */
    public JobRequest read(JsonNode element) {
        if (!(element instanceof ObjectNode object)) {
            throw new ApiException(400, "a job must be a JSON object");
        }
        ObjectNode rest = object.deepCopy();
        JsonNode callback = rest.remove("callback");
        Job job = validator.validate(writeBytes(rest));
        return new JobRequest(job, callback == null || callback.isNull() ? null : callback(callback));
    }

    private static byte[] writeBytes(JsonNode node) {
        try {
            return TREE.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalStateException("a parsed tree is always writable", e);
        }
    }

    private Callback callback(JsonNode node) {
        if (!node.isObject()) {
            throw ApiException.badField("callback", "field 'callback' must be an object with 'url' and optional 'headers'");
        }
        node.fieldNames().forEachRemaining(name -> {
            if (!name.equals("url") && !name.equals("headers")) {
                throw ApiException.badField("callback." + name, "unknown field '" + name + "'");
            }
        });
        JsonNode url = node.get("url");
        if (url == null || !url.isTextual() || url.asText().isEmpty()) {
            throw ApiException.badField("callback.url", "field 'callback.url' is required and must be a string");
        }
        try {
            guard.check(url.asText());
        } catch (CallbackRefusedException refused) {
            throw ApiException.badField("callback.url", refused.getMessage());
        }
        return new Callback(url.asText(), headers(node.get("headers")));
    }

    private static Map<String, String> headers(JsonNode node) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return headers;
        }
        if (!node.isObject()) {
            throw ApiException.badField("callback.headers", "field 'callback.headers' must be an object of strings");
        }
        if (node.size() > MAX_HEADERS) {
            throw ApiException.badField("callback.headers", "at most " + MAX_HEADERS + " callback headers are allowed");
        }
        node.fields().forEachRemaining(entry -> {
            String name = entry.getKey();
            String field = "callback.headers." + name;
            if (!TOKEN.matcher(name).matches()) {
                throw ApiException.badField(field, "'" + name + "' is not a valid HTTP header name");
            }
            if (RESERVED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                throw ApiException.badField(field, "header '" + name + "' is set by Caravan and cannot be given");
            }
            JsonNode value = entry.getValue();
            if (!value.isTextual() || value.asText().chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0)) {
                throw ApiException.badField(field, "header '" + name + "' must be a string without line breaks");
            }
            headers.put(name, value.asText());
        });
        return headers;
    }
}
