package dev.caravan.tasks;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.caravan.config.SettingsReader;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One task type as {@code config/tasks.yaml} declares it: the command, its params (a JSON Schema subset each), the
 * resources it needs and how long it may run. {@code {name}} in a command element is replaced by that param's value;
 * an element must be exactly one placeholder or contain none, so a value is always one whole argument.
 *
 * @param params       param name to its schema: {@code type}, {@code minimum}, {@code maximum}, {@code enum},
 *                     {@code pattern}, {@code default} (the keywords of JSON Schema 2020-12 of those names)
 * @param timeout      as settings write durations: {@code 90s}, {@code 30m}, {@code 6h}
 * @param maxAttempts  runs of a task that FAILED before its FAILED verdict is final
 * @param readOnlyBinds host paths its command needs inside the sandbox besides /usr
 */
public record TaskType(
        String id,
        String description,
        List<String> command,
        Map<String, Map<String, JsonNode>> params,
        Resources resources,
        String timeout,
        Boolean sandbox,
        @JsonProperty("max_attempts") Integer maxAttempts,
        @JsonProperty("read_only_binds") List<String> readOnlyBinds,
        @JsonProperty("memory_mb") Integer memoryMb,
        @JsonProperty("max_processes") Integer maxProcesses) {

    /** The schema keywords a param may use; any other would look checked but not be. */
    static final Set<String> KEYWORDS = Set.of("type", "minimum", "maximum", "enum", "pattern", "default", "description");
    static final Set<String> TYPES = Set.of("integer", "number", "string", "boolean");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_]*)}");

    /** @param gpus GPUs a task of this type needs: 0 (a CPU slot) or 1 (a GPU slot) */
    public record Resources(int gpus) {
    }

    public TaskType {
        params = params == null ? Map.of() : new LinkedHashMap<>(params);
        resources = resources == null ? new Resources(0) : resources;
        sandbox = sandbox == null || sandbox;
        maxAttempts = maxAttempts == null ? 1 : maxAttempts;
        readOnlyBinds = readOnlyBinds == null ? List.of() : List.copyOf(readOnlyBinds);
        memoryMb = memoryMb == null ? 4096 : memoryMb;
        maxProcesses = maxProcesses == null ? 256 : maxProcesses;
    }

    /** The command's params: for each element, the param it is, or empty for a literal element. */
    List<Optional<String>> placeholders() {
        return command.stream().map(element -> {
            Matcher matcher = PLACEHOLDER.matcher(element);
            return matcher.matches() ? Optional.of(matcher.group(1)) : Optional.<String>empty();
        }).toList();
    }

    Duration timeoutDuration() {
        return new SettingsReader(key -> Optional.ofNullable(timeout)).positiveDuration("timeout");
    }

    /** Fails with a message naming the type and the field, so that a broken file is refused as a whole. */
    void validate() {
        require(id != null && id.matches("[a-z0-9_-]+"), "id must be lower-case letters, digits, '_' or '-'");
        require(command != null && !command.isEmpty() && command.stream().allMatch(Objects::nonNull),
                "command must be a list of one or more arguments");
        require(command.get(0).startsWith("/"), "command must start with an absolute path (no PATH lookup, no shell)");
        List<Optional<String>> placeholders = placeholders();
        for (int i = 0; i < command.size(); i++) {
            boolean whole = placeholders.get(i).isPresent();
            require(whole || !PLACEHOLDER.matcher(command.get(i)).find(), "command element '" + command.get(i)
                    + "' mixes a {param} with other text: a param must be a whole argument");
            require(!whole || params.containsKey(placeholders.get(i).get()), "command names {" + placeholders.get(i).orElse("")
                    + "}, which is not among its params");
        }
        params.forEach((name, schema) -> {
            require(name.matches("[A-Za-z_][A-Za-z0-9_]*"), "param '" + name + "' must be a plain name");
            require(schema != null, "param '" + name + "' needs a schema, at least {type: ...}");
            require(KEYWORDS.containsAll(schema.keySet()), "param '" + name + "' may use only " + KEYWORDS);
            JsonNode type = schema.get("type");
            require(type != null && TYPES.contains(type.asText()), "param '" + name + "' needs a type, one of " + TYPES);
        });
        require(resources.gpus() == 0 || resources.gpus() == 1, "resources.gpus must be 0 (a CPU slot) or 1 (a GPU slot)");
        require(timeout != null, "timeout is required, e.g. 30m or 6h");
        try {
            timeoutDuration();
        } catch (RuntimeException e) {
            require(false, "timeout must be a duration such as 90s, 30m or 6h, but was '" + timeout + "'");
        }
        require(maxAttempts >= 1, "max_attempts must be 1 or more");
        require(memoryMb >= 16, "memory_mb must be 16 or more");
        require(maxProcesses >= 1, "max_processes must be 1 or more");
        require(readOnlyBinds.stream().allMatch(bind -> bind != null && bind.startsWith("/")),
                "read_only_binds must be absolute paths");
    }

    private void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalStateException("task '" + Objects.toString(id, "?") + "': " + message);
        }
    }
}
