package dev.caravan.compat.piston;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The answer of Piston's {@code POST /api/v2/execute}: {@code {language, version, run, compile?}}
 * (engineer-man/piston {@code docs/api-v2.md}); {@code compile} only for a compiled language.
 */
public record PistonResult(String language, String version, PistonStage run,
                           @JsonInclude(JsonInclude.Include.NON_NULL) PistonStage compile) {
}
