package dev.caravan.engine;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * A language as {@code GET /languages} lists it.
 *
 * @param sourceFile   the name the main file of a program is written under (another file may not take it)
 * @param pistonNames  the language's name then its aliases in the Piston-compatible API; empty: not offered there
 * @param maxProcesses processes and threads a program may have at once (not listed; the Judge0 API reports it)
 * @param judge0Id     its id in the Judge0-compatible API, null when it has none (not listed by {@code /languages})
 */
public record Language(String id, String name, String version, boolean compiled,
                       @JsonProperty("source_file") String sourceFile,
                       @JsonIgnore List<String> pistonNames,
                       @JsonIgnore int maxProcesses, @JsonIgnore Integer judge0Id) {

    public Language {
        pistonNames = pistonNames == null ? List.of() : List.copyOf(pistonNames);
    }
}
