package dev.caravan.contract;

import java.util.List;

/** The reply to {@code POST /execute}: the job's verdict, its compile step and every test's result. */
public record ExecuteResult(String id, Status status, String language, CompileResult compile, List<TestResult> tests) {
}
