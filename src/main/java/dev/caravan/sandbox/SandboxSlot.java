package dev.caravan.sandbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One of a worker's slots: a job runs in one at a time, every compile and test of it as the slot's own host user,
 * in the slot's job directory (its home, /box in the sandbox), through the slot's pooled {@link SlotSandbox} when it
 * has one, else through a sandbox made per run. The home is a tmpfs of its own when the worker may mount one (root with
 * CAP_SYS_ADMIN), which gives each job a size and inode quota ({@code caravan.sandbox.job-dir-size-mb},
 * {@code caravan.sandbox.job-dir-inodes}) and a clean-up that cannot fail open: when removing a job directory fails,
 * the whole tmpfs is unmounted and a fresh one mounted. Without that right the home is a plain folder, without quota
 * (each file is still capped by RLIMIT_FSIZE), and the worker says so at start-up.
 *
 * <p>After each job, {@link #reset} resets the pooled sandbox, kills every process of the slot's uid anywhere on the
 * host (nothing should be left: the supervisor ends them, and this proves it) and empties the job directory. A
 * sandbox that broke is replaced by a new one; a slot that cannot be made clean is taken out of service by the engine.
 */
final class SandboxSlot {

    private static final Logger LOG = LoggerFactory.getLogger(SandboxSlot.class);
    private static final long MOUNT_TIMEOUT_SECONDS = 30;
    /** A work root as {@link JobDirectory#createRoot} names it: caravan-PID-random. */
    private static final Pattern DEAD_WORKER_ROOT = Pattern.compile("caravan-(\\d+)-\\d+");

    private final int index;
    private final SandboxUser user;
    private final Path home;
    private final String mountOptions;
    private final boolean quota;
    private final SandboxFactory sandboxes;
    private final ProgramRunner perRun;
    private SlotSandbox sandbox;

    /** Makes a slot's pooled sandbox around its job directory. */
    @FunctionalInterface
    interface SandboxFactory {
        /** @throws dev.caravan.engine.EngineFailure when it cannot be made */
        SlotSandbox start(String name, Path jobDir);
    }

    private SandboxSlot(int index, SandboxUser user, Path home, String mountOptions, boolean quota,
                        SandboxFactory sandboxes, ProgramRunner perRun) {
        this.index = index;
        this.user = user;
        this.home = home;
        this.mountOptions = mountOptions;
        this.quota = quota;
        this.sandboxes = sandboxes;
        this.perRun = perRun;
    }

    /**
     * Makes slot {@code index}'s home under {@code workRoot}, a quota-bound tmpfs when possible, and its pooled
     * sandbox when {@code sandboxes} is given.
     *
     * @param sandboxes makes the slot's pooled sandbox; null for none, every run then going to {@code perRun}
     * @throws IllegalStateException when even a plain folder cannot be made
     * @throws dev.caravan.engine.EngineFailure when the pooled sandbox cannot be made
     */
    static SandboxSlot open(int index, EngineSettings settings, Path workRoot, SandboxFactory sandboxes,
                            ProgramRunner perRun) {
        Path home = workRoot.resolve("slot-" + index);
        try {
            Files.createDirectories(home);
            Files.setAttribute(home, "unix:mode", 0711);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the home of slot " + index + " at " + home + ": " + e.getMessage(), e);
        }
        String options = "size=" + settings.jobDirSizeMb() + "m,nr_inodes=" + settings.jobDirInodes()
                + ",mode=0711,nosuid,nodev";
        String failure = mount(home, options);
        if (failure != null) {
            LOG.warn("slot {}: job directories have no size or inode quota (cannot mount a tmpfs: {})", index, failure);
        }
        SandboxSlot slot = new SandboxSlot(index, settings.slotUser(index), home, options, failure == null, sandboxes, perRun);
        if (sandboxes != null) {
            try {
                slot.sandbox = sandboxes.start(slot.name(), home);
            } catch (RuntimeException e) {
                slot.close();
                throw e;
            }
        }
        return slot;
    }

    private String name() {
        return "slot " + index + " (uid " + user.uid() + ")";
    }

    /** Where this slot's runs go: its pooled sandbox, or a sandbox made per run. */
    ProgramRunner runner() {
        return sandbox != null ? sandbox : perRun;
    }

    int index() {
        return index;
    }

    SandboxUser user() {
        return user;
    }

    /** Whether job directories have a size and inode quota (the home is a tmpfs of its own). */
    boolean hasQuota() {
        return quota;
    }

    /** The slot's job directory for the next job, owned by the slot's user, group {@code compilerGroup}. */
    JobDirectory newJobDirectory(int compilerGroup) {
        return JobDirectory.prepare(home, user, compilerGroup);
    }

    /**
     * Makes the slot fit for the next job: its sandbox reset (or replaced, if it broke), no process of its uid left,
     * the job directory empty (on a fresh tmpfs if emptying failed, with a new sandbox around it).
     *
     * @return false when the slot cannot be trusted with another job
     */
    boolean reset(JobDirectory finished) {
        boolean sandboxClean = sandbox == null || sandbox.reset();
        boolean noProcessLeft = UserProcesses.killAll(user.uid());
        if (!noProcessLeft) {
            LOG.error("slot {}: a process of uid {} survived SIGKILL", index, user.uid());
        }
        boolean emptied = finished.empty();
        if (!emptied && quota) {
            LOG.warn("slot {}: emptying the job directory failed; replacing the slot's tmpfs", index);
            emptied = unmount(home) && mount(home, mountOptions) == null;
            sandboxClean = false;   // the sandbox still sees the old tmpfs
        }
        if (!sandboxClean && sandbox != null) {
            sandboxClean = replaceSandbox();
        }
        return noProcessLeft && emptied && sandboxClean;
    }

    private boolean replaceSandbox() {
        LOG.warn("{}: replacing its sandbox", name());
        sandbox.close();
        sandbox = null;
        try {
            sandbox = sandboxes.start(name(), home);
            return true;
        } catch (RuntimeException e) {
            LOG.error("{}: cannot make a new sandbox: {}", name(), e.getMessage());
            return false;
        }
    }

    /**
     * Clears what workers that died without closing their engine (SIGKILL, a crash) left under {@code workBase}:
     * their slots' tmpfs mounts, whose pages are memory until unmounted, and their work folders. A folder is a dead
     * worker's when the pid in its name ({@code caravan-PID-...}) is no longer running; one whose pid is running (or
     * was reused) is left alone.
     */
    static void removeStale(Path workBase) {
        List<String> mounts;
        try {
            mounts = Files.readAllLines(Path.of("/proc/self/mounts"));
        } catch (IOException e) {
            LOG.warn("cannot read /proc/self/mounts to clear dead workers' slots: {}", e.getMessage());
            return;
        }
        for (String line : mounts) {
            String[] fields = line.split(" ");
            if (fields.length > 2 && fields[0].equals("caravan-slot") && fields[2].equals("tmpfs")) {
                Path mountPoint = Path.of(fields[1]);
                if (mountPoint.startsWith(workBase) && ownerIsDead(mountPoint.getParent())) {
                    unmount(mountPoint);
                }
            }
        }
        try (var roots = Files.list(workBase)) {
            roots.filter(SandboxSlot::ownerIsDead).forEach(JobDirectory::deleteTree);
        } catch (IOException e) {
            LOG.warn("cannot list {} to clear dead workers' folders: {}", workBase, e.getMessage());
        }
    }

    private static boolean ownerIsDead(Path workRoot) {
        Matcher name = DEAD_WORKER_ROOT.matcher(workRoot.getFileName().toString());
        return name.matches() && ProcessHandle.of(Long.parseLong(name.group(1))).isEmpty();
    }

    /** Ends the pooled sandbox, unmounts the home (if it is a tmpfs) and removes it. */
    void close() {
        if (sandbox != null) {
            sandbox.close();
        }
        if (quota) {
            unmount(home);
        }
        JobDirectory.deleteTree(home);
    }

    /** @return null when mounted, else why not */
    private static String mount(Path home, String options) {
        return run(List.of("/bin/mount", "-t", "tmpfs", "-o", options, "caravan-slot", home.toString()));
    }

    /** Lazy: a process still holding the old tmpfs cannot keep the slot from a fresh one. */
    private static boolean unmount(Path home) {
        String failure = run(List.of("/bin/umount", "-l", home.toString()));
        if (failure != null) {
            LOG.error("cannot unmount {}: {}", home, failure);
        }
        return failure == null;
    }

    private static String run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!process.waitFor(MOUNT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return String.join(" ", command) + " did not finish";
            }
            return process.exitValue() == 0 ? null : output.isEmpty() ? "exit " + process.exitValue() : output;
        } catch (IOException e) {
            return e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
