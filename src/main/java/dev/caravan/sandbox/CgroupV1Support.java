package dev.caravan.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicLong;

/**
 * cgroup v1, as on hosts with separate controller hierarchies: each run in a child group of the worker's own group
 * in the memory hierarchy (required) and, when writable, the pids and cpuacct hierarchies. One run at a time per
 * group; emptied groups are reused.
 */
final class CgroupV1Support implements CgroupSupport {

    /**
     * Groups kept ready. A run in a group that is new costs ~8 ms more than one in a group that has been used
     * (measured here: 15 ms instead of 7 for a C hello world), and the previous run's group comes back only after
     * its clean-up in the background, so a few must be ready before the first run and between runs.
     */
    private static final int PREPARED = 4;
    private static final int MAX_IDLE = 16;
    /**
     * A group that still holds more than this after its run is not reused. Its memory is what the run left charged
     * to it: page cache, and the job folder's tmpfs pages, which stay charged while the job lasts and cannot be
     * reclaimed. In a reused group they would count against the next run's limit and hide its peak (a 208 MB
     * program was reported as 178 MB); a fresh group costs ~8 ms, paid only after runs that leave such pages.
     */
    private static final long REUSABLE_USAGE_BYTES = 4L << 20;

    private final Path memoryParent;
    private final Path pidsParent;
    private final Path cpuParent;
    private final AtomicLong runs = new AtomicLong();
    /** Last in, first out: the group used most recently is the cheapest to start the next run in. */
    private final Deque<Groups> idle = new ConcurrentLinkedDeque<>();
    private volatile boolean closed;

    private CgroupV1Support(Path memoryParent, Path pidsParent, Path cpuParent) {
        this.memoryParent = memoryParent;
        this.pidsParent = pidsParent;
        this.cpuParent = cpuParent;
    }

    /** Creates this worker's parent group in each usable hierarchy; null when the memory hierarchy is not writable. */
    static CgroupV1Support open(CgroupDetection.OwnCgroups own, String workerName) {
        Path memory = makeParent(own.v1Dir("memory"), workerName);
        if (memory == null) {
            return null;
        }
        CgroupV1Support support = new CgroupV1Support(memory, makeParent(own.v1Dir("pids"), workerName),
                makeParent(own.v1Dir("cpuacct"), workerName));
        for (int i = 0; i < PREPARED; i++) {
            support.idle.push(support.newGroups());
        }
        return support;
    }

    private static Path makeParent(Path ownDir, String workerName) {
        if (ownDir == null) {
            return null;
        }
        Path parent = ownDir.resolve(workerName);
        try {
            CgroupFiles.removeStale(ownDir);
            Files.createDirectories(parent);
            return Files.isWritable(parent.resolve("cgroup.procs")) ? parent : null;
        } catch (IOException | SecurityException e) {
            return null;
        }
    }

    @Override
    public RunCgroup create(long memoryLimitBytes, int maxProcesses) {
        Groups groups = idle.pollFirst();
        if (groups == null) {
            groups = newGroups();
        }
        try {
            // the memory+swap limit may never be below the memory limit: raise it first, lower it last
            CgroupFiles.tryWrite(groups.memory.resolve("memory.memsw.limit_in_bytes"), Long.toString(memoryLimitBytes));
            CgroupFiles.write(groups.memory.resolve("memory.limit_in_bytes"), Long.toString(memoryLimitBytes));
            // with swap, this keeps the program from paging out past its limit; absent without swap accounting
            CgroupFiles.tryWrite(groups.memory.resolve("memory.memsw.limit_in_bytes"), Long.toString(memoryLimitBytes));
            if (groups.pids != null) {
                CgroupFiles.write(groups.pids.resolve("pids.max"), Integer.toString(maxProcesses));
            }
            CgroupFiles.tryWrite(groups.memory.resolve("memory.max_usage_in_bytes"), "0");
            return new V1RunCgroup(groups, CgroupFiles.keyed(groups.memory.resolve("memory.oom_control"), "oom_kill"),
                    CgroupFiles.number(groups.memory.resolve("memory.usage_in_bytes")));
        } catch (RuntimeException e) {
            groups.remove();
            throw e;
        }
    }

    private Groups newGroups() {
        String name = "run-" + runs.incrementAndGet();
        List<Path> dirs = new ArrayList<>();
        try {
            Path memory = mkdir(memoryParent, name, dirs);
            Path pids = pidsParent == null ? null : mkdir(pidsParent, name, dirs);
            Path cpu = cpuParent == null ? null : mkdir(cpuParent, name, dirs);
            return new Groups(memory, pids, cpu, List.copyOf(dirs));
        } catch (RuntimeException e) {
            dirs.forEach(CgroupFiles::remove);
            throw e;
        }
    }

    /**
     * Takes back the groups of a finished run. Creating and removing a memory cgroup per run costs the kernel more
     * than the rest of the launch, so empty groups are reused. Their page cache stays charged to them (emptying it
     * would evict the runtime's files from the cache, and the next run would read them from disk again): the next
     * run's peak is counted above the usage it started with, and cache is reclaimed before anything is OOM-killed.
     */
    private void release(Groups groups) {
        // a zombie has left cgroup.procs but still counts in pids.current until it is reaped (late, for the sh
        // fallback's orphaned namespace init): such a group would refuse the next run's processes
        boolean empty = CgroupFiles.pids(groups.memory.resolve("cgroup.procs")).isEmpty()
                && (groups.pids == null || CgroupFiles.number(groups.pids.resolve("pids.current")) == 0);
        boolean light = CgroupFiles.number(groups.memory.resolve("memory.usage_in_bytes")) <= REUSABLE_USAGE_BYTES;
        if (closed || idle.size() >= MAX_IDLE || !empty || !light) {
            groups.remove();
            return;
        }
        if (groups.cpu == null || CgroupFiles.tryWrite(groups.cpu.resolve("cpuacct.usage"), "0")) {
            idle.push(groups);
        } else {
            groups.remove();
        }
    }

    private static Path mkdir(Path parent, String name, List<Path> created) {
        Path dir = parent.resolve(name);
        try {
            Files.createDirectory(dir);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create cgroup " + dir + ": " + e.getMessage(), e);
        }
        created.add(dir);
        return dir;
    }

    @Override
    public String describe() {
        return "cgroup v1: memory " + memoryParent + ", pids " + (pidsParent == null ? "unavailable (RLIMIT_NPROC)" : pidsParent)
                + ", cpuacct " + (cpuParent == null ? "unavailable" : cpuParent);
    }

    @Override
    public boolean limitsMemory() {
        return true;
    }

    @Override
    public void close() {
        closed = true;
        for (Groups groups = idle.poll(); groups != null; groups = idle.poll()) {
            groups.remove();
        }
        for (Path parent : new Path[] {memoryParent, pidsParent, cpuParent}) {
            if (parent != null) {
                CgroupFiles.remove(parent);
            }
        }
    }

    /** The directories of one run's groups, one per hierarchy (pids and cpu may be absent). */
    private record Groups(Path memory, Path pids, Path cpu, List<Path> dirs) {

        void remove() {
            CgroupFiles.killAll(memory.resolve("cgroup.procs"));
            dirs.forEach(CgroupFiles::remove);
        }
    }

    /** One run in (possibly reused) groups: OOM kills and memory count from where they stood when the run began. */
    private final class V1RunCgroup implements RunCgroup {

        private final Groups groups;
        private final long oomKillsBefore;
        private final long memoryBefore;

        V1RunCgroup(Groups groups, long oomKillsBefore, long memoryBefore) {
            this.groups = groups;
            this.oomKillsBefore = oomKillsBefore;
            this.memoryBefore = memoryBefore;
        }

        @Override
        public List<String> procsFiles() {
            return groups.dirs.stream().map(dir -> dir.resolve("cgroup.procs").toString()).toList();
        }

        @Override
        public boolean limitsMemory() {
            return true;
        }

        @Override
        public boolean limitsProcesses() {
            return groups.pids != null;
        }

        @Override
        public CgroupUsage usage() {
            long cpuMs = groups.cpu == null ? -1 : CgroupFiles.number(groups.cpu.resolve("cpuacct.usage")) / 1_000_000;
            long peak = CgroupFiles.number(groups.memory.resolve("memory.max_usage_in_bytes"));
            return new CgroupUsage(cpuMs, Math.max(0, peak - memoryBefore) / 1024,
                    CgroupFiles.keyed(groups.memory.resolve("memory.oom_control"), "oom_kill") - oomKillsBefore);
        }

        @Override
        public void killAll() {
            CgroupFiles.killAll(groups.memory.resolve("cgroup.procs"));
        }

        @Override
        public void close() {
            killAll();
            release(groups);
        }
    }
}
