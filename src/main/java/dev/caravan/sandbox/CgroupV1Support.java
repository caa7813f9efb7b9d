package dev.caravan.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * cgroup v1, as on hosts with separate controller hierarchies: one child group per run under the worker's own group
 * in the memory hierarchy (required) and, when writable, the pids and cpuacct hierarchies.
 */
final class CgroupV1Support implements CgroupSupport {

    private final Path memoryParent;
    private final Path pidsParent;
    private final Path cpuParent;
    private final AtomicLong runs = new AtomicLong();

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
        return new CgroupV1Support(memory, makeParent(own.v1Dir("pids"), workerName),
                makeParent(own.v1Dir("cpuacct"), workerName));
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
        String name = "run-" + runs.incrementAndGet();
        List<Path> dirs = new ArrayList<>();
        try {
            Path memory = mkdir(memoryParent, name, dirs);
            CgroupFiles.write(memory.resolve("memory.limit_in_bytes"), Long.toString(memoryLimitBytes));
            // with swap, the memory+swap limit keeps the program from paging out past its limit; absent without swap accounting
            CgroupFiles.tryWrite(memory.resolve("memory.memsw.limit_in_bytes"), Long.toString(memoryLimitBytes));
            Path pids = pidsParent == null ? null : mkdir(pidsParent, name, dirs);
            if (pids != null) {
                CgroupFiles.write(pids.resolve("pids.max"), Integer.toString(maxProcesses));
            }
            Path cpu = cpuParent == null ? null : mkdir(cpuParent, name, dirs);
            return new V1RunCgroup(memory, pids, cpu, List.copyOf(dirs));
        } catch (RuntimeException e) {
            dirs.forEach(CgroupFiles::remove);
            throw e;
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
        for (Path parent : new Path[] {memoryParent, pidsParent, cpuParent}) {
            if (parent != null) {
                CgroupFiles.remove(parent);
            }
        }
    }

    private record V1RunCgroup(Path memory, Path pids, Path cpu, List<Path> dirs) implements RunCgroup {

        @Override
        public List<String> procsFiles() {
            return dirs.stream().map(dir -> dir.resolve("cgroup.procs").toString()).toList();
        }

        @Override
        public boolean limitsMemory() {
            return true;
        }

        @Override
        public boolean limitsProcesses() {
            return pids != null;
        }

        @Override
        public CgroupUsage usage() {
            long cpuMs = cpu == null ? -1 : CgroupFiles.number(cpu.resolve("cpuacct.usage")) / 1_000_000;
            return new CgroupUsage(cpuMs, CgroupFiles.number(memory.resolve("memory.max_usage_in_bytes")) / 1024,
                    CgroupFiles.keyed(memory.resolve("memory.oom_control"), "oom_kill"));
        }

        @Override
        public void killAll() {
            CgroupFiles.killAll(memory.resolve("cgroup.procs"));
        }

        @Override
        public void close() {
            killAll();
            dirs.forEach(CgroupFiles::remove);
        }
    }
}
