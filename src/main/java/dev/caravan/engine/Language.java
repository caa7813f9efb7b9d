package dev.caravan.engine;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * A language as {@code GET /languages} lists it.
 *
 * @param sourceFile  the name the main file of a program is written under (another file may not take it)
 * @param pistonNames the language's name then its aliases in the Piston-compatible API; empty: not offered there
 */
public record Language(String id, String name, String version, boolean compiled,
                       @JsonProperty("source_file") String sourceFile,
                       @JsonIgnore List<String> pistonNames) {

    public Language {
        pistonNames = pistonNames == null ? List.of() : List.copyOf(pistonNames);
    }
}
