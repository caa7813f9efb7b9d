package dev.caravan.contract;

import java.util.List;

/** The body of {@code POST /execute} as the client sent it, before validation. */
public record ExecuteRequest(String language, String code, List<TestCase> tests, Limits limits) {
}
