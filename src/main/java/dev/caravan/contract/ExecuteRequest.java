package dev.caravan.contract;

import java.util.List;

/**
 * The body of {@code POST /execute} as the client sent it, before validation. A program is either {@code code}
 * (one file) or {@code files} (the first is the main file, the others are written beside it); {@code args} are
 * passed to every run of the program.
 */
public record ExecuteRequest(String language, String code, List<SourceFile> files, List<String> args,
                             List<TestCase> tests, Limits limits) {
}
