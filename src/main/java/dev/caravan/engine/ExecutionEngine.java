package dev.caravan.engine;

import dev.caravan.contract.ExecuteResult;
import dev.caravan.contract.Job;
import java.util.List;

/**
 * Runs a job's program against its tests. A user program's failure (compile error, crash, limit) is a verdict
 * inside the result; only a fault of the machine itself is thrown, as {@link EngineFailure}, so that it goes
 * through redelivery and the dead-letter channel.
 */
public interface ExecutionEngine {

    /** The languages this engine runs, each with the version its runtime reports. */
    List<Language> languages();

    /**
     * Compiles the job's program if its language needs it and runs it against every test, in order.
     *
     * @param budget how long this attempt may take; when it runs out the engine stops before the next test, and a run
     *               is never given more wall time than the budget has left
     * @throws JobOutOfTimeException when the budget ran out before the last test, with what had been run
     * @throws EngineFailure         when the machine, not the program, failed
     */
    ExecuteResult execute(Job job, JobBudget budget);
}
