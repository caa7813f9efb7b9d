package dev.caravan.sandbox;

import java.util.List;

/** Fills the placeholders of a language's command line; only {@code {memory_mb}} exists. */
final class CommandTemplate {

    private CommandTemplate() {
    }

    static List<String> expand(List<String> command, long memoryMb) {
        String memory = Long.toString(memoryMb);
        return command.stream().map(arg -> arg.replace("{memory_mb}", memory)).toList();
    }
}
