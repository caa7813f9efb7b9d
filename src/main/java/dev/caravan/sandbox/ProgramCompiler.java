package dev.caravan.sandbox;

import dev.caravan.contract.CompileResult;
import dev.caravan.engine.JobBudget;
import dev.caravan.languages.InstalledLanguage;

/**
 * Compiles a job's source in its job directory, once per job, within the engine's compile limits and never for
 * longer than the job's budget has left.
 */
interface ProgramCompiler {

    /** @param slotRunner where the job's slot runs programs, for a compile that runs as one */
    CompileResult compile(InstalledLanguage language, JobDirectory dir, JobBudget budget, ProgramRunner slotRunner);
}
