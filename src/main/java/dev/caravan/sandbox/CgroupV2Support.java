package dev.caravan.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * cgroup v2 (the unified hierarchy of most current hosts): one child group per run under a parent group of this
 * worker, with memory, pids and cpu controllers enabled for it.
 *
 * <p>v2 forbids enabling controllers for children of a group that itself holds processes, so when the worker's
 * own group is such a group (a container's root group, a systemd service), the worker first moves its own
 * processes into a leaf {@code worker} group. That is the delegation pattern systemd documents.
 */
final class CgroupV2Support implements CgroupSupport {

    private static final String CONTROLLERS = "+memory +pids +cpu";

    private final Path parent;
    private final AtomicLong runs = new AtomicLong();

    private CgroupV2Support(Path parent) {
        this.parent = parent;
    }

    /** Sets up this worker's parent group under {@code ownDir}; null, with nothing changed, when v2 is not usable. */
    static CgroupV2Support open(Path ownDir, String workerName) {
        if (ownDir == null || !controllers(ownDir).contains("memory") || !Files.isWritable(ownDir.resolve("cgroup.subtree_control"))) {
            return null;
        }
        try {
            if (!CgroupFiles.tryWrite(ownDir.resolve("cgroup.subtree_control"), CONTROLLERS)) {
                Path leaf = ownDir.resolve("worker");
                Files.createDirectories(leaf);
                for (Long pid : CgroupFiles.pids(ownDir.resolve("cgroup.procs"))) {
                    CgroupFiles.tryWrite(leaf.resolve("cgroup.procs"), pid.toString());
                }
                CgroupFiles.write(ownDir.resolve("cgroup.subtree_control"), CONTROLLERS);
            }
            CgroupFiles.removeStale(ownDir);
            Path parent = ownDir.resolve(workerName);
            Files.createDirectories(parent);
            CgroupFiles.write(parent.resolve("cgroup.subtree_control"), CONTROLLERS);
            return new CgroupV2Support(parent);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String controllers(Path dir) {
        try {
            return Files.readString(dir.resolve("cgroup.controllers"));
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public RunCgroup create(long memoryLimitBytes, int maxProcesses) {
        Path dir = parent.resolve("run-" + runs.incrementAndGet());
        try {
            Files.createDirectory(dir);
            CgroupFiles.write(dir.resolve("memory.max"), Long.toString(memoryLimitBytes));
            CgroupFiles.tryWrite(dir.resolve("memory.swap.max"), "0");
            CgroupFiles.write(dir.resolve("pids.max"), Integer.toString(maxProcesses));
            return new V2RunCgroup(dir);
        } catch (IOException | RuntimeException e) {
            CgroupFiles.remove(dir);
            throw new IllegalStateException("cannot create cgroup " + dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String describe() {
        return "cgroup v2: " + parent + " (memory, pids, cpu)";
    }

    @Override
    public boolean limitsMemory() {
        return true;
    }

    @Override
    public void close() {
        CgroupFiles.remove(parent);
    }

    private record V2RunCgroup(Path dir) implements RunCgroup {

        @Override
        public List<String> procsFiles() {
            return List.of(dir.resolve("cgroup.procs").toString());
        }

        @Override
        public boolean limitsMemory() {
            return true;
        }

        @Override
        public boolean limitsProcesses() {
            return true;
        }

        @Override
        public CgroupUsage usage() {
            // memory.peak exists from Linux 5.19; older kernels give no peak figure
            return new CgroupUsage(CgroupFiles.keyed(dir.resolve("cpu.stat"), "usage_usec") / 1000,
                    CgroupFiles.number(dir.resolve("memory.peak")) / 1024,
                    CgroupFiles.keyed(dir.resolve("memory.events"), "oom_kill"));
        }

        @Override
        public void killAll() {
            // cgroup.kill (Linux 5.14+) kills atomically, even a group that forks while we look; else kill pid by pid
            if (!CgroupFiles.tryWrite(dir.resolve("cgroup.kill"), "1")) {
                CgroupFiles.killAll(dir.resolve("cgroup.procs"));
            }
        }

        @Override
        public void close() {
            killAll();
            CgroupFiles.remove(dir);
        }
    }
}
