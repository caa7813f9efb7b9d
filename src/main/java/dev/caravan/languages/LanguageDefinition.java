package dev.caravan.languages;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Objects;

/**
 * One language as {@code config/languages.yaml} describes it: how its source is named, compiled, run and
 * how its runtime behaves under a memory limit. Commands run inside the job directory of the sandbox;
 * {@code {memory_mb}} in a command is replaced by the job's memory limit. {@code piston} is the language's name then
 * its aliases in the Piston-compatible API (compat/piston); absent, the language is not offered there.
 *
 * @param judge0Id the id the Judge0-compatible API lists it under ({@code language_id}), or null to leave it out
 */
public record LanguageDefinition(
        String id,
        String name,
        @JsonProperty("source_file") String sourceFile,
        CompileStep compile,
        List<String> run,
        VersionProbe version,
        MemoryStrategy memory,
        @JsonProperty("max_processes") int maxProcesses,
        @JsonProperty("read_only_binds") List<String> readOnlyBinds,
        List<String> piston,
        @JsonProperty("judge0_id") Integer judge0Id) {

    public LanguageDefinition {
        piston = piston == null ? List.of() : List.copyOf(piston);
        readOnlyBinds = readOnlyBinds == null ? List.of() : List.copyOf(readOnlyBinds);
        memory = memory == null ? MemoryStrategy.PLAIN : memory;
        maxProcesses = maxProcesses <= 0 ? 16 : maxProcesses;
    }

    public boolean compiled() {
        return compile != null;
    }

    /** Fails with a message naming the language and the field, so that a broken file stops the worker early. */
    void validate() {
        require(id != null && id.matches("[a-z0-9_+-]+"), "id must be lower-case letters, digits, '_', '+' or '-'");
        require(name != null && !name.isBlank(), "name is required");
        require(sourceFile != null && sourceFile.matches("[A-Za-z0-9_.-]+"), "source_file must be a plain file name");
        require(run != null && !run.isEmpty(), "run command is required");
        require(version != null, "version probe is required");
        require(piston.stream().allMatch(n -> n != null && n.matches("[a-z0-9_.+#-]+")),
                "piston names must be lower-case names without spaces");
        require(judge0Id == null || judge0Id > 0, "judge0_id must be a positive number");
        if (compile != null) {
            compile.validate(id);
        }
    }

    private void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalStateException("language '" + Objects.toString(id, "?") + "': " + message);
        }
    }
}
