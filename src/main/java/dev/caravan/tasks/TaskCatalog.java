package dev.caravan.tasks;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.caravan.contract.TaskRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The task types of {@code config/tasks.yaml} ({@code caravan.tasks.file}). An operator adds or changes a type by
 * editing the file: it is read again when its modification time changes (checked at most once per
 * {@link #RECHECK_MS}), and a file that fails to load keeps the types of the last good one and logs a WARN, as a
 * broken route file does. A missing file means no task types.
 */
public final class TaskCatalog {

    /** How often a lookup may look at the file's modification time. */
    static final long RECHECK_MS = 1000;
    private static final Logger LOG = LoggerFactory.getLogger(TaskCatalog.class);
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    private final Path file;
    private volatile Loaded loaded;
    private volatile long checkedAtMs;

    /** The types of one reading of the file, each with its compiled params schema. */
    private record Loaded(FileTime modified, Map<String, TaskParams> byId) {
    }

    private TaskCatalog(Path file, Loaded loaded) {
        this.file = file;
        this.loaded = loaded;
        this.checkedAtMs = System.currentTimeMillis();
    }

    /**
     * Reads the file now; at start-up a broken one stops the process.
     *
     * @throws IllegalStateException naming the type and field that are wrong
     */
    public static TaskCatalog load(Path file) {
        return new TaskCatalog(file, read(file));
    }

    private static Loaded read(Path file) {
        if (!Files.exists(file)) {
            return new Loaded(null, Map.of());
        }
        try {
            FileTime modified = Files.getLastModifiedTime(file);
            TasksFile parsed = YAML.readValue(file.toFile(), TasksFile.class);
            Map<String, TaskParams> byId = new LinkedHashMap<>();
            for (TaskType type : parsed == null || parsed.tasks() == null ? List.<TaskType>of() : parsed.tasks()) {
                type.validate();
                if (byId.putIfAbsent(type.id(), new TaskParams(type)) != null) {
                    throw new IllegalStateException("task '" + type.id() + "' is defined twice");
                }
            }
            return new Loaded(modified, Collections.unmodifiableMap(byId));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read task types file " + file + ": " + e.getMessage(), e);
        }
    }

    /** The types now, after reading the file again if it changed. */
    private Map<String, TaskParams> current() {
        long now = System.currentTimeMillis();
        if (now - checkedAtMs < RECHECK_MS) {
            return loaded.byId();
        }
        checkedAtMs = now;
        try {
            FileTime modified = Files.exists(file) ? Files.getLastModifiedTime(file) : null;
            if (!Objects.equals(modified, loaded.modified())) {
                synchronized (this) {
                    Loaded again = read(file);
                    loaded = again;
                    LOG.info("Task types reloaded from {}: {}", file, again.byId().keySet());
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("Task types file {} was not reloaded, the previous types stay: {}", file, e.getMessage());
        }
        return loaded.byId();
    }

    /** What {@code GET /tasks} lists: each type with its params' schemas, resources and timeout. */
    public List<TaskType> types() {
        return current().values().stream().map(TaskParams::type).toList();
    }

    public Optional<TaskType> find(String id) {
        return Optional.ofNullable(current().get(id)).map(TaskParams::type);
    }

    /**
     * A task of this type with these params, ready to queue.
     *
     * @param params the request's {@code params} object, or null
     * @throws UnknownTaskTypeException when no type has this id
     * @throws InvalidParamException naming the param that is invalid
     */
    public TaskRun task(String typeId, JsonNode params) throws InvalidParamException {
        TaskParams schema = current().get(typeId);
        if (schema == null) {
            throw new UnknownTaskTypeException(typeId);
        }
        TaskType type = schema.type();
        Map<String, JsonNode> values = schema.validate(params);
        Map<String, Object> recorded = new LinkedHashMap<>();
        values.forEach((name, value) -> recorded.put(name, YAML.convertValue(value, Object.class)));
        return new TaskRun(type.id(), recorded, schema.command(values), type.resources().gpus(),
                type.timeoutDuration().toMillis(), type.sandbox(), type.readOnlyBinds(), type.memoryMb(), type.maxProcesses(),
                type.maxAttempts());
    }

    /** No task type has the id a request named. */
    public static final class UnknownTaskTypeException extends RuntimeException {
        UnknownTaskTypeException(String id) {
            super("no task type '" + id + "' (GET /tasks lists them)");
        }
    }

    /** The root of the YAML file. */
    record TasksFile(List<TaskType> tasks) {
    }
}
