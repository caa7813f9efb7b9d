package dev.caravan.languages;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.regex.Pattern;

/**
 * How a runtime is held to a memory limit so that "over the limit" means the same in every language.
 *
 * @param addressSpaceLimit whether RLIMIT_AS may stand in when no cgroup is writable; false for the JVM and V8,
 *                          which reserve far more address space than they use and fail to start under it
 * @param runtimeOverheadMb added to the cgroup limit for the runtime's own footprint when the heap itself is
 *                          capped by a flag ({@code -Xmx}, {@code --max-old-space-size}), so that the user's
 *                          limit is the heap the program gets
 * @param outOfMemory       patterns of the runtime's own "out of memory" report on stderr; a failed run whose
 *                          stderr matches one is MEMORY_LIMIT_EXCEEDED, as if the kernel had killed it
 */
public record MemoryStrategy(
        @JsonProperty("address_space_limit") boolean addressSpaceLimit,
        @JsonProperty("runtime_overhead_mb") int runtimeOverheadMb,
        @JsonProperty("out_of_memory") List<String> outOfMemory) {

    public static final MemoryStrategy PLAIN = new MemoryStrategy(true, 0, List.of());

    public MemoryStrategy {
        outOfMemory = outOfMemory == null ? List.of() : List.copyOf(outOfMemory);
        outOfMemory.forEach(Pattern::compile);
    }

    public boolean reportsOutOfMemory(String stderr) {
        return outOfMemory.stream().anyMatch(p -> Pattern.compile(p, Pattern.MULTILINE).matcher(stderr).find());
    }
}
