package dev.caravan.contract;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * An operator-defined task as it travels in a {@link Job}: the command already built from the task type and the
 * caller's validated params, so a worker runs it without knowing the type's file (see {@code config/tasks.yaml}).
 *
 * @param type          the task type's id, e.g. {@code train}
 * @param params        the params as validated, defaults filled in (for the record)
 * @param command       argv, each param substituted as one whole element; never given to a shell
 * @param gpus          GPUs the task needs: 0 runs in a CPU slot, 1 in a GPU slot (one GPU per slot)
 * @param timeoutMs     wall-clock time after which the task is killed and answered TIMEOUT
 * @param sandbox       run in the sandbox (false only for trusted operator code)
 * @param readOnlyBinds host paths the task's command needs inside the sandbox besides /usr (its script, its data)
 * @param memoryMb      memory limit of the task's process tree
 * @param maxProcesses  processes and threads the task may have at once
 * @param maxAttempts   runs of a task that FAILED before its FAILED verdict is final
 */
public record TaskRun(String type, Map<String, Object> params, List<String> command, int gpus,
                      @JsonProperty("timeout_ms") long timeoutMs, boolean sandbox,
                      @JsonProperty("read_only_binds") List<String> readOnlyBinds,
                      @JsonProperty("memory_mb") int memoryMb,
                      @JsonProperty("max_processes") int maxProcesses,
                      @JsonProperty("max_attempts") int maxAttempts) {

    private static final String RECORDED_LANGUAGE_PREFIX = "task:";

    public TaskRun {
        params = params == null ? Map.of() : Map.copyOf(params);
        command = List.copyOf(command);
        readOnlyBinds = readOnlyBinds == null ? List.of() : List.copyOf(readOnlyBinds);
    }

    /** The language a task job is recorded under, so records and metrics tell tasks from programs: {@code task:TYPE}. */
    public static String languageOf(String type) {
        return RECORDED_LANGUAGE_PREFIX + type;
    }

    /** Whether a record's language is a task's ({@link #languageOf}) rather than a program's. */
    public static boolean isTaskLanguage(String language) {
        return language != null && language.startsWith(RECORDED_LANGUAGE_PREFIX);
    }
}
