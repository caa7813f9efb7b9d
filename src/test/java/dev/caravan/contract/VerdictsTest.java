package dev.caravan.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class VerdictsTest {

    private static final TestCase CHECKED = new TestCase("1 2\n", "3\n");
    private static final TestCase UNCHECKED = new TestCase("1 2\n", null);

    private static RunOutcome exited(int code, String stdout) {
        return new RunOutcome(stdout, "", code, null, 1, 1, 1, false, false, false);
    }

    private static RunOutcome limited(boolean time, boolean memory, boolean output) {
        return new RunOutcome("", "", null, "SIGKILL", 1, 1, 1, time, memory, output);
    }

    @Test
    void cleanExitWithoutExpectedOutputIsOk() {
        assertEquals(Status.OK, Verdicts.judge(UNCHECKED, exited(0, "anything")));
    }

    @Test
    void matchingOutputIsAcceptedAndOtherOutputIsWrong() {
        assertEquals(Status.ACCEPTED, Verdicts.judge(CHECKED, exited(0, "3\n")));
        assertEquals(Status.WRONG_ANSWER, Verdicts.judge(CHECKED, exited(0, "4\n")));
    }

    @Test
    void nonZeroExitOrSignalIsRuntimeErrorEvenWithTheRightOutput() {
        assertEquals(Status.RUNTIME_ERROR, Verdicts.judge(CHECKED, exited(1, "3\n")));
        assertEquals(Status.RUNTIME_ERROR,
                Verdicts.judge(CHECKED, new RunOutcome("3\n", "", null, "SIGSEGV", 1, 1, 1, false, false, false)));
    }

    @Test
    void limitsOutrankEachOtherInTheContractOrder() {
        assertEquals(Status.OUTPUT_LIMIT_EXCEEDED, Verdicts.judge(CHECKED, limited(true, true, true)));
        assertEquals(Status.TIME_LIMIT_EXCEEDED, Verdicts.judge(CHECKED, limited(true, true, false)));
        assertEquals(Status.MEMORY_LIMIT_EXCEEDED, Verdicts.judge(CHECKED, limited(false, true, false)));
    }

    @Test
    void compilationErrorWinsOverEverything() {
        CompileResult failed = CompileResult.failed("error", 10);
        assertEquals(Status.COMPILATION_ERROR, Verdicts.overall(failed, List.of(CHECKED), List.of()));
    }

    @Test
    void firstFailingTestDecidesTheJob() {
        List<TestResult> results = List.of(
                Verdicts.result(CHECKED, exited(0, "3\n")),
                Verdicts.result(CHECKED, limited(true, false, false)),
                Verdicts.result(CHECKED, exited(0, "9\n")));
        assertEquals(Status.TIME_LIMIT_EXCEEDED, Verdicts.overall(CompileResult.ok("", 1), List.of(CHECKED, CHECKED, CHECKED), results));
    }

    @Test
    void jobIsAcceptedOnlyWhenEveryTestWasChecked() {
        List<TestResult> passed = List.of(Verdicts.result(CHECKED, exited(0, "3\n")), Verdicts.result(UNCHECKED, exited(0, "")));
        assertEquals(Status.OK, Verdicts.overall(null, List.of(CHECKED, UNCHECKED), passed));
        assertEquals(Status.ACCEPTED, Verdicts.overall(null, List.of(CHECKED, CHECKED), List.of(passed.get(0), passed.get(0))));
    }
}
