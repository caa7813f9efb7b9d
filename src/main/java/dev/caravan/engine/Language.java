package dev.caravan.engine;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * A language as {@code GET /languages} lists it.
 *
 * @param maxProcesses processes and threads a program may have at once (not listed; the Judge0 API reports it)
 * @param judge0Id     its id in the Judge0-compatible API, null when it has none (not listed by {@code /languages})
 */
public record Language(String id, String name, String version, boolean compiled,
                       @JsonIgnore int maxProcesses, @JsonIgnore Integer judge0Id) {
}
