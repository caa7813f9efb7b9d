package dev.caravan.sandbox;

import dev.caravan.config.CaravanSettings;
import dev.caravan.config.InvalidSettingException;
import dev.caravan.config.SettingsReader;
import java.nio.file.Path;

/**
 * Everything the engine needs from configuration, as plain values, read by {@link #read} from the same
 * properties as every other setting (defaults in application.properties).
 *
 * @param languagesFile   {@code caravan.languages.file}: the language definitions
 * @param mode            {@code caravan.sandbox}: bwrap, or none for development only
 * @param uidBase         {@code caravan.sandbox.uid-base}: first host uid of the range the sandbox users are taken
 *                        from ({@link #slotUser}); none of it may belong to anyone else on the host
 * @param workerIndex     {@code caravan.worker.index}: this worker process's number on its host (0, 1, ...), so that
 *                        several workers on one host take disjoint uids; -1 ({@code auto}) until {@link UidRangeLock}
 *                        has picked the first free one
 * @param slots           {@code caravan.worker.concurrency}: jobs run at once, each in a slot of its own uid
 * @param workRoot        {@code caravan.sandbox.work-dir}: where job directories are created
 * @param fileSizeKb      {@code caravan.sandbox.file-size-kb}: largest file a program or compiler may write
 * @param tmpSizeMb       {@code caravan.sandbox.tmp-size-mb}: size of the private /tmp (counts towards memory)
 * @param jobDirSizeMb    {@code caravan.sandbox.job-dir-size-mb}: quota of a job directory (a slot's tmpfs)
 * @param jobDirInodes    {@code caravan.sandbox.job-dir-inodes}: files and folders a job directory may hold
 * @param openFiles       {@code caravan.sandbox.open-files}: RLIMIT_NOFILE
 * @param nprocBackstop   {@code caravan.sandbox.nproc-backstop}: RLIMIT_NPROC when a pids cgroup does the real
 *                        per-run limit; the rlimit counts every process of the uid, so it must cover parallel jobs
 * @param compile         {@code caravan.compile.*}: limits of the compile step
 * @param warmJavac       {@code caravan.compile.warm-javac}: compile Java in a long-lived sandboxed javac
 * @param nativeLauncher  {@code caravan.sandbox.native-launcher}: build the one-exec launcher with gcc at start-up
 *                        (else sh + setpriv, one exec more per run)
 * @param seccomp         {@code caravan.sandbox.seccomp}: run every sandboxed program under {@link SeccompFilter}
 * @param pool            {@code caravan.sandbox.pool}: give each slot a sandbox made ahead and reset between jobs
 *                        ({@link SlotSandbox}); else every run makes a sandbox of its own
 */
public record EngineSettings(
        Path languagesFile,
        SandboxMode mode,
        int uidBase,
        int workerIndex,
        int slots,
        Path workRoot,
        long fileSizeKb,
        int tmpSizeMb,
        int jobDirSizeMb,
        int jobDirInodes,
        int openFiles,
        int nprocBackstop,
        CompileLimits compile,
        boolean warmJavac,
        boolean nativeLauncher,
        boolean seccomp,
        boolean pool) {

    /** Host uids one worker process owns: one per slot (at most {@value #MAX_SLOTS}) and the last for its warm compiler. */
    public static final int UIDS_PER_WORKER = 100;
    static final int MAX_SLOTS = UIDS_PER_WORKER - 1;

    /**
     * The user slot {@code slot} (0 to slots - 1) runs every compile and test as:
     * uid = gid = {@code uidBase + workerIndex * 100 + slot}.
     */
    /**
     * Refuses more slots than a worker's uid range holds; checked by a worker's engine only, so that an API node on a
     * host with more than 99 cores (blank concurrency = one per core) still starts.
     *
     * @throws InvalidSettingException naming {@code caravan.worker.concurrency}
     */
    void requireSlotsFitTheUidRange() {
        if (slots > MAX_SLOTS) {
            throw new InvalidSettingException("caravan.worker.concurrency", "is at most " + MAX_SLOTS
                    + " for a sandboxed worker (one uid each): run more worker processes instead, but was " + slots);
        }
    }

    SandboxUser slotUser(int slot) {
        if (slot < 0 || slot >= slots) {
            throw new IllegalArgumentException("slot " + slot + " of " + slots);
        }
        return user(slot);
    }

    /** The user of the worker's long-lived compiler: the last uid of the worker's range, no slot's. */
    SandboxUser compilerUser() {
        return user(UIDS_PER_WORKER - 1);
    }

    /**
     * The user task slot {@code taskSlot} runs its tasks as: the uids below the warm compiler's, counting down, so
     * that judge slots and task slots share the worker's range without meeting.
     *
     * @throws IllegalArgumentException when the judge slots and the task slots together do not fit the range
     */
    SandboxUser taskUser(int taskSlot) {
        int offset = UIDS_PER_WORKER - 2 - taskSlot;
        if (taskSlot < 0 || offset < slots) {
            throw new IllegalArgumentException("task slot " + taskSlot + " does not fit beside " + slots
                    + " judge slots in a worker's " + MAX_SLOTS + " uids");
        }
        return user(offset);
    }

    /** These settings, but running programs outside bwrap (a task with {@code sandbox: false}). */
    EngineSettings unsandboxed() {
        return new EngineSettings(languagesFile, SandboxMode.NONE, uidBase, workerIndex, slots, workRoot, fileSizeKb,
                tmpSizeMb, jobDirSizeMb, jobDirInodes, openFiles, nprocBackstop, compile, warmJavac, nativeLauncher, seccomp, pool);
    }

    /** These settings with the worker index {@link UidRangeLock} holds. */
    EngineSettings withWorkerIndex(int index) {
        return new EngineSettings(languagesFile, mode, uidBase, index, slots, workRoot, fileSizeKb, tmpSizeMb, jobDirSizeMb,
                jobDirInodes, openFiles, nprocBackstop, compile, warmJavac, nativeLauncher, seccomp, pool);
    }

    private SandboxUser user(int offset) {
        if (workerIndex < 0) {
            throw new IllegalStateException("the worker index is not chosen yet (caravan.worker.index=auto)");
        }
        int uid = uidBase + workerIndex * UIDS_PER_WORKER + offset;
        return new SandboxUser(uid, uid);
    }

    /** Limits of the compile step: a compile over any of them is a COMPILATION_ERROR naming the limit. */
    public record CompileLimits(int cpuTimeMs, int wallTimeMs, int memoryMb, int outputKb, int maxProcesses) {
    }

    /**
     * Reads the {@code caravan.sandbox.*}, {@code caravan.compile.*}, {@code caravan.languages.file},
     * {@code caravan.worker.index} and {@code caravan.worker.concurrency} keys.
     *
     * @throws InvalidSettingException naming the key when a value is out of range
     */
    public static EngineSettings read(SettingsReader reader) {
        String workDir = reader.textOrEmpty("caravan.sandbox.work-dir");
        int slots = CaravanSettings.workerConcurrency(reader);
        int uidBase = reader.intAtLeast("caravan.sandbox.uid-base", 1000);
        int workerIndex = "auto".equals(reader.text("caravan.worker.index")) ? -1 : reader.intAtLeast("caravan.worker.index", 0);
        if ((long) uidBase + (long) (workerIndex + 1) * UIDS_PER_WORKER > Integer.MAX_VALUE - 1) {
            throw new InvalidSettingException("caravan.worker.index", "puts the sandbox uids past the largest uid");
        }
        return new EngineSettings(
                Path.of(reader.text("caravan.languages.file")),
                reader.oneOf("caravan.sandbox", SandboxMode.class),
                uidBase,
                workerIndex,
                slots,
                Path.of(workDir.isEmpty() ? System.getProperty("java.io.tmpdir") : workDir),
                reader.intAtLeast("caravan.sandbox.file-size-kb", 1),
                reader.intAtLeast("caravan.sandbox.tmp-size-mb", 1),
                reader.intAtLeast("caravan.sandbox.job-dir-size-mb", 1),
                reader.intAtLeast("caravan.sandbox.job-dir-inodes", 64),
                reader.intAtLeast("caravan.sandbox.open-files", 16),
                reader.intAtLeast("caravan.sandbox.nproc-backstop", 16),
                new CompileLimits(
                        reader.intAtLeast("caravan.compile.cpu-time-ms", 100),
                        reader.intAtLeast("caravan.compile.wall-time-ms", 100),
                        reader.intAtLeast("caravan.compile.memory-mb", 64),
                        reader.intAtLeast("caravan.compile.output-kb", 1),
                        reader.intAtLeast("caravan.compile.max-processes", 4)),
                reader.bool("caravan.compile.warm-javac"),
                reader.bool("caravan.sandbox.native-launcher"),
                reader.bool("caravan.sandbox.seccomp"),
                reader.bool("caravan.sandbox.pool"));
    }
}
