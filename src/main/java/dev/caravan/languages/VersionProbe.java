package dev.caravan.languages;

import java.util.List;

/** The command that prints a runtime's version and the pattern whose first group is the version itself. */
public record VersionProbe(List<String> command, String pattern) {
}
