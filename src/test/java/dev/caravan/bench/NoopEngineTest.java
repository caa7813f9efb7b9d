package dev.caravan.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.caravan.contract.ExecuteResult;
import dev.caravan.contract.Job;
import dev.caravan.contract.Limits;
import dev.caravan.contract.Status;
import dev.caravan.contract.TestCase;
import dev.caravan.engine.JobBudget;
import dev.caravan.engine.Language;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class NoopEngineTest {

    private final NoopEngine engine = new NoopEngine(List.of(new Language("python", "Python", "3", false, "main.py", List.of(), 16, null),
            new Language("c", "C", "12", true, "main.c", List.of(), 16, null)));

    private ExecuteResult run(String language, List<TestCase> tests) {
        return engine.execute(new Job("job-1", language, "x", tests, new Limits(1000, 1000, 64, 8)),
                JobBudget.startingNow(Duration.ofMinutes(1), null));
    }

    @Test
    void everyTestIsAcceptedWithItsExpectedOutputAndNothingIsCompiledForAnInterpretedLanguage() {
        ExecuteResult result = run("python", List.of(new TestCase("1", "1\n"), new TestCase("2", null)));
        assertEquals(Status.ACCEPTED, result.status());
        assertEquals("job-1", result.id());
        assertNull(result.compile());
        assertEquals(List.of(Status.ACCEPTED, Status.ACCEPTED), result.tests().stream().map(t -> t.status()).toList());
        assertEquals("1\n", result.tests().get(0).stdout());
        assertEquals("", result.tests().get(1).stdout());
        assertEquals(0, result.tests().get(0).exitCode());
    }

    @Test
    void aCompiledLanguageGetsACompileStepThatSucceeded() {
        assertEquals(Status.OK, run("c", List.of(new TestCase("", null))).compile().status());
    }
}
