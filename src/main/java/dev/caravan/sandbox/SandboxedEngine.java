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
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The execution engine: one job directory per job, one compile per job, every test in the bubblewrap sandbox with
 * the job's limits, verdicts by the contract's rules, all within the job's {@link JobBudget}. Thread-safe: jobs run in
 * parallel, each in a {@link SandboxSlot} of its own (its own host uid and job-directory quota), as many at once as
 * the worker has slots ({@code caravan.worker.concurrency}); a caller beyond that waits for a slot, within its
 * budget. A slot whose reset after a job fails is taken out of service ({@link #slotsOutOfService()}), never reused.
 * Java compiles share the warm javac without waiting for it.
 */
public final class SandboxedEngine implements ExecutionEngine, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SandboxedEngine.class);
    private static final AtomicInteger ENGINES = new AtomicInteger();

    private final EngineSettings settings;
    private final LanguageCatalog catalog;
    private final SandboxRunner perRunSandboxes;
    private final Path workRoot;
    private final CgroupSupport cgroups;
    private final ProgramCompiler commandCompiler;
    private final WarmJavac warmJavac;
    private final List<SandboxSlot> slots;
    private final BlockingQueue<SandboxSlot> idleSlots;
    private final AtomicInteger slotsOutOfService = new AtomicInteger();
    private final UidRangeLock uids;
    private final SandboxLauncher launcher;

    private SandboxedEngine(EngineSettings settings, LanguageCatalog catalog, SandboxRunner runner, Path workRoot,
                            CgroupSupport cgroups, ProgramCompiler commandCompiler, WarmJavac warmJavac,
                            List<SandboxSlot> slots, UidRangeLock uids, SandboxLauncher launcher) {
        this.settings = settings;
        this.catalog = catalog;
        this.perRunSandboxes = runner;
        this.workRoot = workRoot;
        this.cgroups = cgroups;
        this.commandCompiler = commandCompiler;
        this.warmJavac = warmJavac;
        this.slots = slots;
        this.uids = uids;
        this.launcher = launcher;
        this.idleSlots = new LinkedBlockingQueue<>(slots);
    }

    /**
     * Loads the languages, detects cgroups, and proves the sandbox works by running a program in it.
     *
     * @throws IllegalStateException with a message naming the cause when the engine cannot run jobs safely
     * @throws dev.caravan.config.InvalidSettingException when {@code caravan.worker.concurrency} is over 99 slots
     */
    public static SandboxedEngine create(EngineSettings configured) {
        configured.requireSlotsFitTheUidRange();
        LanguageCatalog catalog = LanguageCatalog.load(configured.languagesFile());
        UidRangeLock uids = UidRangeLock.acquire(configured.uidBase(), configured.workerIndex());
        try {
            return create(configured.withWorkerIndex(uids.index()), catalog, uids);
        } catch (RuntimeException e) {
            uids.close();
            throw e;
        }
    }

    private static SandboxedEngine create(EngineSettings settings, LanguageCatalog catalog, UidRangeLock uids) {
        // unique per engine, not just per process: tests and a reconfigured worker may hold two engines at once
        String workerName = "caravan-" + ProcessHandle.current().pid() + "-" + ENGINES.incrementAndGet();
        CgroupSupport cgroups = CgroupDetection.detect(workerName);
        LOG.info("sandbox: {}; {}", settings.mode(), cgroups.describe());
        if (!cgroups.limitsMemory()) {
            LOG.warn("memory limits without a cgroup: {}", memoryWithoutCgroup(catalog));
        }
        SandboxSlot.removeStale(settings.workRoot());
        Path workRoot = JobDirectory.createRoot(settings.workRoot());
        Path nativeLauncher = settings.nativeLauncher() ? NativeLauncher.build(workRoot.resolve("launcher")).orElse(null) : null;
        Path privateDir = JobDirectory.createPrivate(workRoot.resolve("reports"));
        SandboxRunner runner = null;
        SandboxLauncher launcher;
        ProgramCompiler commandCompiler;
        WarmJavac warmJavac;
        List<SandboxSlot> slots = new ArrayList<>();
        try {
            Path syscallFilter = settings.seccomp() && settings.mode() == SandboxMode.BWRAP
                    ? SeccompFilter.write(privateDir.resolve("seccomp.bpf")) : null;
            launcher = new SandboxLauncher(settings, nativeLauncher, syscallFilter);
            runner = new SandboxRunner(launcher, cgroups, privateDir);
            commandCompiler = new CommandCompiler(settings.compile());
            SandboxProbe.verify(settings, runner, workRoot);
            openSlots(settings, catalog, workRoot, launcher, cgroups, runner, slots);
            warmJavac = startWarmJavac(settings, catalog, runner, cgroups, workRoot, commandCompiler);
        } catch (RuntimeException e) {
            if (runner != null) {
                runner.shutdown();
            }
            slots.forEach(SandboxSlot::close);
            JobDirectory.deleteTree(workRoot);
            cgroups.close();
            throw e;
        }
        LOG.info("sandbox users: slots run as uids {}-{}, the warm compiler as {}; job directories {}",
                settings.slotUser(0).uid(), settings.slotUser(settings.slots() - 1).uid(), settings.compilerUser().uid(),
                slots.get(0).hasQuota() ? "on a tmpfs per slot (" + settings.jobDirSizeMb() + " MB, "
                        + settings.jobDirInodes() + " inodes)" : "WITHOUT quota (no tmpfs could be mounted)");
        if (settings.mode() == SandboxMode.NONE) {
            LOG.warn("!!! caravan.sandbox=none: user programs run WITHOUT the sandbox, as the worker's user. Development only. !!!");
        }
        return new SandboxedEngine(settings, catalog, runner, workRoot, cgroups, commandCompiler, warmJavac,
                List.copyOf(slots), uids, launcher);
    }

    /**
     * What holds each language's memory limit when no cgroup does, for the start-up log: RLIMIT_AS where the language
     * allows it (a refused allocation is the program's own failure: MEMORY_LIMIT_EXCEEDED where the runtime reports it
     * as out of memory, else RUNTIME_ERROR), else only the runtime's heap flag ({@code {memory_mb}} in its run command).
     */
    static String memoryWithoutCgroup(LanguageCatalog catalog) {
        Map<Boolean, List<String>> byRlimit = catalog.all().stream().map(InstalledLanguage::definition)
                .collect(Collectors.partitioningBy(definition -> definition.memory().addressSpaceLimit(),
                        Collectors.mapping(LanguageDefinition::id, Collectors.toList())));
        return "RLIMIT_AS for " + byRlimit.get(true) + " (an allocation over it fails: MEMORY_LIMIT_EXCEEDED where the "
                + "runtime reports out of memory, else RUNTIME_ERROR); the runtime's heap flag only for "
                + byRlimit.get(false) + " (memory outside the heap is not limited)";
    }

    /**
     * Opens every slot, each with a pooled sandbox when {@code caravan.sandbox.pool} is on and the host allows one;
     * when the first cannot be made, every slot makes a sandbox per run instead, and the worker says why.
     */
    private static void openSlots(EngineSettings settings, LanguageCatalog catalog, Path workRoot,
                                  SandboxLauncher launcher, CgroupSupport cgroups, SandboxRunner runner,
                                  List<SandboxSlot> slots) {
        Path supervisor = settings.pool() && launcher.canPool()
                ? SlotSandbox.buildSupervisor(workRoot.resolve("launcher")).orElse(null) : null;
        List<String> binds = catalog.all().stream().flatMap(language -> language.definition().readOnlyBinds().stream())
                .distinct().toList();
        SandboxSlot.SandboxFactory pool = supervisor == null ? null
                : (name, jobDir) -> SlotSandbox.start(name, launcher, supervisor, jobDir, binds, cgroups, runner);
        for (int slot = 0; slot < settings.slots(); slot++) {
            try {
                slots.add(SandboxSlot.open(slot, settings, workRoot, pool, runner));
            } catch (EngineFailure e) {
                if (slot > 0) {
                    throw e;
                }
                LOG.warn("no pooled sandbox on this host ({}): every run makes a sandbox of its own", e.getMessage());
                pool = null;
                slots.add(SandboxSlot.open(slot, settings, workRoot, null, runner));
            }
        }
        LOG.info("sandbox slots: {}", pool != null ? "pooled (one sandbox per slot, made ahead, reset between jobs)"
                : "a sandbox per run" + (settings.pool() ? " (caravan.sandbox.pool is on, but the host does not allow a pool)" : ""));
    }

    /**
     * The warm compiler for the first language that asks for it, when enabled; it needs that language's JDK.
     * {@code commandCompiler} takes the compiles that find it busy.
     */
    private static WarmJavac startWarmJavac(EngineSettings settings, LanguageCatalog catalog, SandboxRunner runner,
                                            CgroupSupport cgroups, Path workRoot, ProgramCompiler commandCompiler) {
        if (!settings.warmJavac()) {
            return null;
        }
        return catalog.all().stream().map(InstalledLanguage::definition)
                .filter(definition -> definition.compiled() && definition.compile().warmJavac())
                .findFirst()
                .map(java -> WarmJavac.start(settings, runner, cgroups, workRoot, java.compile().command().get(0),
                        java.readOnlyBinds(), commandCompiler))
                .orElse(null);
    }

    /**
     * What runs this worker's operator-defined tasks, in the same work folder, cgroups and uid range as its jobs; its
     * sandboxes are made per run, and stop with this engine.
     *
     * @param taskSlots    how many task slots it serves, each with its own uid
     * @param tailBytes    how much of the end of a task's stdout and of its stderr comes back
     * @param outputsBytes how much of the files a task writes to {@code out/} comes back, in all
     * @throws IllegalArgumentException when the task slots do not fit beside the judge slots in the worker's uid range
     */
    public TaskExecutor taskExecutor(int taskSlots, long tailBytes, long outputsBytes) {
        settings.taskUser(taskSlots - 1);
        return new TaskExecutor(settings, perRunSandboxes,
                new SandboxRunner(launcher.unsandboxed(), cgroups, workRoot.resolve("reports")), workRoot, tailBytes, outputsBytes);
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
        SandboxSlot slot = takeSlot(job, budget);
        JobDirectory dir = null;
        try {
            dir = slot.newJobDirectory(settings.compilerUser().gid());
            dir.write(definition.sourceFile(), job.code());
            dir.writeBeside(job.files());
            ProgramRunner runner = slot.runner();
            CompileResult compile = definition.compiled() ? compilerFor(definition).compile(language, dir, budget, runner) : null;
            List<TestResult> results = new ArrayList<>();
            if (compile != null && compile.failed()) {
                // a compile the budget cut short is no verdict on the program
                requireTimeLeft(job, budget, compile, results);
            } else {
                for (TestCase test : job.tests()) {
                    requireTimeLeft(job, budget, compile, results);
                    long wallTimeMs = budget.cut(job.limits().wallTimeMs());
                    RunObservation run = runner.run(TestExecution.request(definition, job.limits(), job.args(), wallTimeMs, test,
                            dir));
                    if (run.wallKilled() && wallTimeMs < job.limits().wallTimeMs()) {
                        // killed at what the budget had left, not at the test's own limit: no verdict on this test either
                        throw new JobOutOfTimeException(job.id(), budget, compile, results, job.tests().size());
                    }
                    results.add(Verdicts.result(test, TestExecution.outcome(definition, job.limits(), run)));
                }
            }
            return new ExecuteResult(job.id(), Verdicts.overall(compile, job.tests(), results), job.language(), compile, results);
        } finally {
            releaseInBackground(slot, dir);
        }
    }

    /**
     * Resets the slot off the job's path, so that the reply goes out while the slot is made ready for the next job;
     * a job that comes meanwhile waits for a slot as it would for a busy one.
     */
    private void releaseInBackground(SandboxSlot slot, JobDirectory dir) {
        try {
            perRunSandboxes.io().execute(() -> release(slot, dir));
        } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
            release(slot, dir);
        }
    }

    /** A free slot, waited for no longer than the job's budget allows. */
    private SandboxSlot takeSlot(Job job, JobBudget budget) {
        try {
            SandboxSlot slot = idleSlots.poll(Math.max(0, budget.remainingMs()), TimeUnit.MILLISECONDS);
            if (slot == null) {
                throw new JobOutOfTimeException(job.id(), budget, null, List.of(), job.tests().size());
            }
            return slot;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineFailure("job " + job.id() + ": interrupted while waiting for a slot", e);
        }
    }

    /** Resets the slot for the next job, or takes it out of service if the reset fails (see {@link SandboxSlot#reset}). */
    private void release(SandboxSlot slot, JobDirectory dir) {
        boolean clean = dir == null ? UserProcesses.killAll(slot.user().uid()) : slot.reset(dir);
        if (clean) {
            idleSlots.add(slot);
        } else {
            int out = slotsOutOfService.incrementAndGet();
            LOG.error("slot {} (uid {}) is OUT OF SERVICE: its reset failed; {} of {} slots left", slot.index(),
                    slot.user().uid(), slots.size() - out, slots.size());
        }
    }

    /** Slots taken out of service because their reset failed; each one is a job this worker can no longer run at once. */
    public int slotsOutOfService() {
        return slotsOutOfService.get();
    }

    /** Slots this engine was made with ({@code caravan.worker.concurrency}). */
    public int slotCount() {
        return slots.size();
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
        perRunSandboxes.shutdown();   // lets the resets of the last jobs finish first
        slots.forEach(SandboxSlot::close);
        JobDirectory.deleteTree(workRoot);
        cgroups.close();
        uids.close();
    }
}
