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

    ExecuteResult execute(Job job);
}
