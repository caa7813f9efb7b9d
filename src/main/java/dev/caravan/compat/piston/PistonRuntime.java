package dev.caravan.compat.piston;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;

/**
 * One entry of Piston's {@code GET /api/v2/runtimes}: {@code {language, version, aliases}} (engineer-man/piston
 * {@code api/src/api/v2.js}, {@code docs/api-v2.md}). Piston's optional {@code runtime} field is left out: it names
 * an alternative runtime of a language, and Caravan has one runtime per language.
 *
 * @param caravanLanguage the id of the Caravan language it runs as
 */
public record PistonRuntime(String language, String version, List<String> aliases,
                            @JsonIgnore String caravanLanguage) {

    /** True when {@code name} is the runtime's language or one of its aliases, as Piston's runtime.js compares them. */
    boolean answersTo(String name) {
        return language.equals(name) || aliases.contains(name);
    }
}
