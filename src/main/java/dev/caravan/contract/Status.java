package dev.caravan.contract;

/** Verdicts of a test and of a whole job, as named in the API. */
public enum Status {
    OK,
    ACCEPTED,
    WRONG_ANSWER,
    TIME_LIMIT_EXCEEDED,
    MEMORY_LIMIT_EXCEEDED,
    OUTPUT_LIMIT_EXCEEDED,
    RUNTIME_ERROR,
    COMPILATION_ERROR,
    INTERNAL_ERROR;

    /** A test with this status passed: it ran cleanly and, if an output was expected, produced it. */
    public boolean passed() {
        return this == OK || this == ACCEPTED;
    }
}
