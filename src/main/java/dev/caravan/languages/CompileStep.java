package dev.caravan.languages;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * How a language is compiled. {@code command} runs in the sandbox like any program; {@code warmJavac} asks the
 * engine to use its long-lived sandboxed javac instead, which skips the JVM start-up of every compile.
 */
public record CompileStep(List<String> command, @JsonProperty("warm_javac") boolean warmJavac) {

    void validate(String languageId) {
        if (command == null || command.isEmpty()) {
            throw new IllegalStateException("language '" + languageId + "': compile.command is required"
                    + " (it is also the fallback when the warm compiler is off)");
        }
    }
}
