package dev.caravan.bench;

import dev.caravan.contract.CompileResult;
import dev.caravan.contract.ExecuteResult;
import dev.caravan.contract.Job;
import dev.caravan.contract.Status;
import dev.caravan.contract.TestCase;
import dev.caravan.contract.TestResult;
import dev.caravan.engine.ExecutionEngine;
import dev.caravan.engine.JobBudget;
import dev.caravan.engine.Language;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Runs nothing: answers every job ACCEPTED, each test with its expected output (or none) as stdout, exit code 0 and
 * zero times and memory, and a compiled language's compile as OK in 0 ms. It lets a benchmark measure the whole
 * queue path of {@code POST /execute} (confirms, quorum queue, deadline header, worker route, reply) without a
 * program run. Selected by {@code caravan.engine=noop}, which production deployments refuse
 * ({@link dev.caravan.config.EngineSelection}).
 */
public final class NoopEngine implements ExecutionEngine {

    private final List<Language> languages;
    private final Map<String, Boolean> compiled;

    /** @param languages the languages to accept and list, as the real engine would */
    public NoopEngine(List<Language> languages) {
        this.languages = List.copyOf(languages);
        this.compiled = languages.stream().collect(Collectors.toMap(Language::id, Language::compiled));
    }

    @Override
    public List<Language> languages() {
        return languages;
    }

    @Override
    public ExecuteResult execute(Job job, JobBudget budget) {
        CompileResult compile = compiled.getOrDefault(job.language(), false) ? CompileResult.ok("", 0) : null;
        return new ExecuteResult(job.id(), Status.ACCEPTED, job.language(), compile,
                job.tests().stream().map(NoopEngine::accepted).toList());
    }

    private static TestResult accepted(TestCase test) {
        String stdout = test.hasExpectedOutput() ? test.expectedOutput() : "";
        return new TestResult(Status.ACCEPTED, stdout, "", 0, null, 0, 0, 0);
    }
}
