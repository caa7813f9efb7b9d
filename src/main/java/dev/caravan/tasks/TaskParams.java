package dev.caravan.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A task type's params as one JSON Schema (draft 2020-12, checked by networknt's json-schema-validator): an object
 * of the declared properties and no others. Built once per type when the file is read; checking a request then
 * costs no reflection.
 */
final class TaskParams {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);

    private final TaskType type;
    private final JsonSchema schema;

    TaskParams(TaskType type) {
        this.type = type;
        ObjectNode root = MAPPER.createObjectNode();
        root.put("type", "object");
        root.put("additionalProperties", false);
        ObjectNode properties = root.putObject("properties");
        type.params().forEach((name, keywords) -> properties.set(name, MAPPER.valueToTree(keywords)));
        this.schema = FACTORY.getSchema(root);
        // a default that breaks its own schema would only show when a caller leaves the param out
        Set<ValidationMessage> defaults = schema.validate(withDefaults(MAPPER.createObjectNode()));
        if (!defaults.isEmpty()) {
            throw new IllegalStateException("task '" + type.id() + "': a default breaks its param's schema: "
                    + describe(defaults).getMessage());
        }
    }

    /**
     * The params with defaults filled in, or the first problem (in param order).
     *
     * @param given the request's {@code params} object, or null when it has none
     * @throws InvalidParamException naming the param when one is invalid, missing without a default, or unknown
     */
    Map<String, JsonNode> validate(JsonNode given) throws InvalidParamException {
        if (given != null && !given.isNull() && !given.isObject()) {
            throw new InvalidParamException(null, "params must be a JSON object");
        }
        ObjectNode params = withDefaults(given == null || given.isNull() ? MAPPER.createObjectNode() : ((ObjectNode) given).deepCopy());
        Set<ValidationMessage> problems = schema.validate(params);
        if (!problems.isEmpty()) {
            throw describe(problems);
        }
        for (String name : type.params().keySet()) {
            if (!params.has(name) || params.get(name).isNull()) {
                throw new InvalidParamException(name, "param '" + name + "' is required (it has no default)");
            }
        }
        Map<String, JsonNode> values = new LinkedHashMap<>();
        type.params().keySet().forEach(name -> values.put(name, params.get(name)));
        return values;
    }

    private ObjectNode withDefaults(ObjectNode params) {
        type.params().forEach((name, keywords) -> {
            JsonNode fallback = keywords.get("default");
            if (!params.has(name) && fallback != null) {
                params.set(name, fallback);
            }
        });
        return params;
    }

    /** The first problem by param, so the answer is the same for the same request. */
    private InvalidParamException describe(Set<ValidationMessage> problems) {
        ValidationMessage first = problems.stream()
                .min(Comparator.comparing((ValidationMessage m) -> paramOf(m).orElse("")).thenComparing(ValidationMessage::getMessage))
                .orElseThrow();
        String param = paramOf(first).orElse(null);
        // the validator starts each message with the instance location ("$.epochs: ...", "$: ..."): the param says it
        String message = first.getMessage().replaceFirst("^\\$[^:]*:\\s*", "");
        return new InvalidParamException(param, param == null ? "params: " + message : "param " + param + ": " + message);
    }

    /** The param a message is about: where it points, or the property an "additionalProperties" message names. */
    private static Optional<String> paramOf(ValidationMessage message) {
        String location = message.getInstanceLocation().toString();
        if (location.startsWith("$.")) {
            return Optional.of(location.substring(2).split("[.\\[]", 2)[0]);
        }
        return Optional.ofNullable(message.getProperty());
    }

    /**
     * The type's command with each {@code {param}} element replaced by that param's value as text: strings as they
     * are, numbers and booleans in JSON's notation. Always as many elements as the command has.
     */
    List<String> command(Map<String, JsonNode> params) {
        List<String> argv = new ArrayList<>(type.command().size());
        List<Optional<String>> placeholders = type.placeholders();
        for (int i = 0; i < type.command().size(); i++) {
            argv.add(placeholders.get(i).map(name -> params.get(name).asText()).orElse(type.command().get(i)));
        }
        return argv;
    }

    TaskType type() {
        return type;
    }
}
