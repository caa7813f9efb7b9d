package dev.caravan.contract;

import java.util.List;

/**
 * A validated request as it travels over the queue: an id, at least one test and complete limits.
 * This is the message body the workers consume.
 */
public record Job(String id, String language, String code, List<TestCase> tests, Limits limits) {
}
