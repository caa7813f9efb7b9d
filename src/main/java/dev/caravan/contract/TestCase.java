package dev.caravan.contract;

import com.fasterxml.jackson.annotation.JsonProperty;

/** One input to run the program on; {@code expectedOutput} is null when the caller only wants the output. */
public record TestCase(String input, @JsonProperty("expected_output") String expectedOutput) {

    public TestCase {
        input = input == null ? "" : input;
    }

    public boolean hasExpectedOutput() {
        return expectedOutput != null;
    }
}
