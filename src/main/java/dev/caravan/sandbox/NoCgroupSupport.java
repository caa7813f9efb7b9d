package dev.caravan.sandbox;

import java.util.List;

/**
 * Hosts where no cgroup is writable (a container without a delegated cgroup, for one): memory falls back to RLIMIT_AS
 * (for runtimes that tolerate it; the JVM and V8 keep only their heap flag), processes to RLIMIT_NPROC, and CPU time
 * and peak memory come from the launcher's rusage of the reaped run.
 */
record NoCgroupSupport(String reason) implements CgroupSupport {

    @Override
    public RunCgroup create(long memoryLimitBytes, int maxProcesses) {
        return new RunCgroup() {
            @Override
            public List<String> procsFiles() {
                return List.of();
            }

            @Override
            public boolean limitsMemory() {
                return false;
            }

            @Override
            public boolean limitsProcesses() {
                return false;
            }

            @Override
            public CgroupUsage usage() {
                return new CgroupUsage(-1, 0, 0);
            }

            @Override
            public void killAll() {
                // nothing to enumerate: the sandbox's PID namespace dies with its init
            }

            @Override
            public void close() {
                // nothing was created
            }
        };
    }

    @Override
    public String describe() {
        return "rlimits only, no writable cgroup (" + reason + "): memory by RLIMIT_AS, processes by RLIMIT_NPROC, "
                + "CPU time and peak memory from the launcher's rusage";
    }

    @Override
    public boolean limitsMemory() {
        return false;
    }

    @Override
    public void close() {
        // nothing was created
    }
}
