package dev.caravan.sandbox;

import dev.caravan.contract.CompileResult;
import dev.caravan.contract.ExecuteResult;
import dev.caravan.contract.Job;
import dev.caravan.contract.TestCase;
import dev.caravan.contract.TestResult;
import dev.caravan.contract.Verdicts;
import dev.caravan.engine.EngineFailure;
import dev.caravan.engine.ExecutionEngine;
import dev.caravan.engine.JobBudget;
import dev.caravan.engine.JobOutOfTimeException;
import dev.caravan.engine.Language;
import dev.caravan.languages.InstalledLanguage;
import dev.caravan.languages.LanguageCatalog;
import dev.caravan.languages.LanguageDefinition;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The execution engine: one job directory per job, one compile per job, every test in the bubblewrap sandbox with
 * the job's limits, verdicts by the contract's rules, all within the job's {@link JobBudget}. Thread-safe: jobs may
 * run in parallel, each in its own directory and cgroups; Java compiles share the warm javac without waiting for it.
 */
public final class SandboxedEngine implements ExecutionEngine, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SandboxedEngine.class);
    private static final AtomicInteger ENGINES = new AtomicInteger();

    private final EngineSettings settings;
    private final LanguageCatalog catalog;
    private final SandboxRunner runner;
    private final Path workRoot;
    private final CgroupSupport cgroups;
    private final ProgramCompiler commandCompiler;
    private final WarmJavac warmJavac;

    private SandboxedEngine(EngineSettings settings, LanguageCatalog catalog, SandboxRunner runner, Path workRoot,
                            CgroupSupport cgroups, WarmJavac warmJavac) {
        this.settings = settings;
        this.catalog = catalog;
        this.runner = runner;
        this.workRoot = workRoot;
        this.cgroups = cgroups;
        this.commandCompiler = new CommandCompiler(runner, settings.compile());
        this.warmJavac = warmJavac;
    }

    /**
     * Loads the languages, detects cgroups, and proves the sandbox works by running a program in it.
     *
     * @throws IllegalStateException with a message naming the cause when the engine cannot run jobs safely
     */
    public static SandboxedEngine create(EngineSettings settings) {
        LanguageCatalog catalog = LanguageCatalog.load(settings.languagesFile());
        // unique per engine, not just per process: tests and a reconfigured worker may hold two engines at once
        String workerName = "caravan-" + ProcessHandle.current().pid() + "-" + ENGINES.incrementAndGet();
        CgroupSupport cgroups = CgroupDetection.detect(workerName);
        LOG.info("sandbox: {}; {}", settings.mode(), cgroups.describe());
        Path workRoot = JobDirectory.createRoot(settings.workRoot());
        Path nativeLauncher = settings.nativeLauncher() ? NativeLauncher.build(workRoot.resolve("launcher")).orElse(null) : null;
        SandboxRunner runner = new SandboxRunner(new SandboxLauncher(settings, nativeLauncher), cgroups,
                JobDirectory.createPrivate(workRoot.resolve("reports")));
        WarmJavac warmJavac;
        try {
            SandboxProbe.verify(settings, runner, workRoot);
            warmJavac = startWarmJavac(settings, catalog, runner, cgroups, workRoot);
        } catch (RuntimeException e) {
            runner.shutdown();
            JobDirectory.deleteTree(workRoot);
            cgroups.close();
            throw e;
        }
        if (settings.mode() == SandboxMode.NONE) {
            LOG.warn("!!! caravan.sandbox=none: user programs run WITHOUT the sandbox, as the worker's user. Development only. !!!");
        }
        return new SandboxedEngine(settings, catalog, runner, workRoot, cgroups, warmJavac);
    }

    /** The warm compiler for the first language that asks for it, when enabled; it needs that language's JDK. */
    private static WarmJavac startWarmJavac(EngineSettings settings, LanguageCatalog catalog, SandboxRunner runner,
                                            CgroupSupport cgroups, Path workRoot) {
        if (!settings.warmJavac()) {
            return null;
        }
        return catalog.all().stream().map(InstalledLanguage::definition)
                .filter(definition -> definition.compiled() && definition.compile().warmJavac())
                .findFirst()
                .map(java -> WarmJavac.start(settings, runner, cgroups, workRoot, java.compile().command().get(0),
                        java.readOnlyBinds(), new CommandCompiler(runner, settings.compile())))
                .orElse(null);
    }

    @Override
    public List<Language> languages() {
        return catalog.describe();
    }

    @Override
    public ExecuteResult execute(Job job, JobBudget budget) {
        InstalledLanguage language = catalog.find(job.language())
                .orElseThrow(() -> new EngineFailure("job " + job.id() + ": this worker has no language '" + job.language() + "'"));
        if (settings.mode() == SandboxMode.NONE) {
            LOG.warn("!!! job {} runs WITHOUT the sandbox (caravan.sandbox=none) !!!", job.id());
        }
        LanguageDefinition definition = language.definition();
        try (JobDirectory dir = JobDirectory.create(workRoot, settings.uid(), settings.gid())) {
            dir.write(definition.sourceFile(), job.code());
            CompileResult compile = definition.compiled() ? compilerFor(definition).compile(language, dir, budget) : null;
            List<TestResult> results = new ArrayList<>();
            if (compile != null && compile.failed()) {
                // a compile the budget cut short is no verdict on the program
                requireTimeLeft(job, budget, compile, results);
            } else {
                for (TestCase test : job.tests()) {
                    requireTimeLeft(job, budget, compile, results);
                    long wallTimeMs = budget.cut(job.limits().wallTimeMs());
                    RunObservation run = runner.run(TestExecution.request(definition, job.limits(), wallTimeMs, test, dir));
                    if (run.wallKilled() && wallTimeMs < job.limits().wallTimeMs()) {
                        // killed at what the budget had left, not at the test's own limit: no verdict on this test either
                        throw new JobOutOfTimeException(job.id(), budget, compile, results, job.tests().size());
                    }
                    results.add(Verdicts.result(test, TestExecution.outcome(definition, job.limits(), run)));
                }
            }
            return new ExecuteResult(job.id(), Verdicts.overall(compile, job.tests(), results), job.language(), compile, results);
        }
    }

    private static void requireTimeLeft(Job job, JobBudget budget, CompileResult compile, List<TestResult> results) {
        if (budget.spent()) {
            throw new JobOutOfTimeException(job.id(), budget, compile, results, job.tests().size());
        }
    }

    private ProgramCompiler compilerFor(LanguageDefinition definition) {
        return definition.compile().warmJavac() && warmJavac != null ? warmJavac : commandCompiler;
    }

    /** The warm javac, or null when off (for tests: they must know which compiler a job will get). */
    WarmJavac warmJavac() {
        return warmJavac;
    }

    /** Where this engine's job directories live (for tests: it must hold nothing but the warm javac between jobs). */
    Path workRoot() {
        return workRoot;
    }

    /** Stops the warm compiler and removes this engine's work directory and parent cgroups. */
    @Override
    public void close() {
        if (warmJavac != null) {
            warmJavac.close();
        }
        runner.shutdown();
        JobDirectory.deleteTree(workRoot);
        cgroups.close();
    }
}
