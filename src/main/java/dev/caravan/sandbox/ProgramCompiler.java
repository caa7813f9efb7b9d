package dev.caravan.sandbox;

import dev.caravan.contract.CompileResult;
import dev.caravan.languages.InstalledLanguage;

/** Compiles a job's source in its job directory, once per job, within the engine's compile limits. */
interface ProgramCompiler {

    CompileResult compile(InstalledLanguage language, JobDirectory dir);
}
