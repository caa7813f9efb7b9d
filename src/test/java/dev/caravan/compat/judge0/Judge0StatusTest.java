package dev.caravan.compat.judge0;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.caravan.contract.JobState;
import dev.caravan.contract.Status;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class Judge0StatusTest {

    @ParameterizedTest
    @CsvSource({
        "OK,,3", "ACCEPTED,,3", "WRONG_ANSWER,,4", "TIME_LIMIT_EXCEEDED,,5", "COMPILATION_ERROR,,6",
        "RUNTIME_ERROR,SIGSEGV,7", "OUTPUT_LIMIT_EXCEEDED,,8", "RUNTIME_ERROR,SIGXFSZ,8", "RUNTIME_ERROR,SIGFPE,9",
        "RUNTIME_ERROR,SIGABRT,10", "RUNTIME_ERROR,,11", "RUNTIME_ERROR,SIGKILL,12", "RUNTIME_ERROR,SIGBUS,12",
        "MEMORY_LIMIT_EXCEEDED,,12", "INTERNAL_ERROR,,13"})
    void verdictsGetJudge0sIds(Status verdict, String signal, int id) {
        assertEquals(id, Judge0Status.ofVerdict(verdict, signal).id());
    }

    @ParameterizedTest
    @CsvSource({"QUEUED,1", "RUNNING,2", "DEAD_LETTERED,13", "EXPIRED,13", "CANCELLED,13"})
    void statesWithoutAResult(JobState state, int id) {
        assertEquals(id, Judge0Status.ofState(state).id());
    }

    @Test
    void statusesAreListedAsJudge0ListsThem() {
        List<java.util.Map<String, Object>> all = Judge0Status.all();
        assertEquals(14, all.size());
        assertEquals(1, all.get(0).get("id"));
        assertEquals("Runtime Error (NZEC)", all.get(10).get("description"));
        assertEquals("Exec Format Error", all.get(13).get("description"));
    }
}
