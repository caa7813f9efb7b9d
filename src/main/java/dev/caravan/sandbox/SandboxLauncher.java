package dev.caravan.sandbox;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds the command line that starts a program in the sandbox. Three stages, each doing what only it can:
 * <ol>
 *   <li>{@code sh}, still root: joins the run's cgroups (before anything can fork out of them) and sets the
 *       rlimits, then execs — no extra process stays around;</li>
 *   <li>{@code setpriv}: drops to the unprivileged uid with no groups and no-new-privs, so that RLIMIT_NPROC
 *       holds (it is ignored for root) and no setuid binary can regain privileges;</li>
 *   <li>{@code bwrap}: new user, PID, network, IPC and UTS namespaces; read-only /usr, the job directory as the only
 *       writable place, a size-capped /tmp, a fixed minimal environment; it dies with the worker, and its PID
 *       namespace dies with it, taking every process the program started.</li>
 * </ol>
 * In {@link SandboxMode#NONE} only the first stage runs.
 */
final class SandboxLauncher {

    /** Exit status of the first stage when the limits could not be applied: a fault of the machine, not the program. */
    static final int SETUP_FAILED_STATUS = 125;
    static final String SETUP_FAILED_MARKER = "caravan-sandbox: cannot join cgroup or set limits";
    static final String SANDBOX_HOME = "/box";
    static final String PATH = "/usr/bin:/bin";

    private static final String SHELL = "/bin/sh";
    private static final String SETPRIV = "/usr/bin/setpriv";
    private static final String BWRAP = "/usr/bin/bwrap";

    private final EngineSettings settings;

    SandboxLauncher(EngineSettings settings) {
        this.settings = settings;
    }

    List<String> command(RunRequest request, RunCgroup cgroup) {
        List<String> command = new ArrayList<>(List.of(SHELL, "-c", limitsScript(request, cgroup), "caravan-launch"));
        if (settings.mode() == SandboxMode.BWRAP) {
            command.addAll(List.of(SETPRIV, "--reuid=" + settings.uid(), "--regid=" + settings.gid(),
                    "--clear-groups", "--no-new-privs", "--"));
            command.addAll(bwrap(request));
        }
        command.addAll(request.command());
        return command;
    }

    private String limitsScript(RunRequest request, RunCgroup cgroup) {
        List<String> steps = new ArrayList<>();
        for (String procs : cgroup.procsFiles()) {
            steps.add("echo $$ > '" + procs + "'");
        }
        long cpuSeconds = Math.max(1, (request.cpuTimeMs() + 999) / 1000);
        // SIGXCPU at the soft limit, SIGKILL one second later for a program that ignores it
        steps.add("ulimit -S -t " + cpuSeconds);   // soft first: a hard limit below the current soft one is refused
        steps.add("ulimit -H -t " + (cpuSeconds + 1));
        steps.add("ulimit -c 0");
        steps.add("ulimit -f " + Math.max(1, settings.fileSizeKb() * 2));   // in 512-byte blocks
        steps.add("ulimit -n " + settings.openFiles());
        steps.add("ulimit -p " + (cgroup.limitsProcesses() ? settings.nprocBackstop() : request.maxProcesses()));
        long memoryKb = request.memoryBytes() / 1024;
        // deep recursion is legitimate in contest code: the stack may use the whole memory limit, up to 1 GiB
        steps.add("ulimit -s " + Math.min(memoryKb, 1024 * 1024));
        if (!cgroup.limitsMemory() && request.addressSpaceLimit()) {
            steps.add("ulimit -v " + memoryKb);
        }
        return "{ " + String.join(" && ", steps) + "; } || { echo '" + SETUP_FAILED_MARKER + "' >&2; exit "
                + SETUP_FAILED_STATUS + "; }; exec \"$@\"";
    }

    private List<String> bwrap(RunRequest request) {
        List<String> args = new ArrayList<>(List.of(BWRAP,
                "--unshare-all", "--unshare-user", "--die-with-parent", "--new-session",
                "--hostname", "caravan",
                "--ro-bind", "/usr", "/usr",
                "--symlink", "usr/bin", "/bin",
                "--symlink", "usr/sbin", "/sbin",
                "--symlink", "usr/lib", "/lib",
                "--symlink", "usr/lib64", "/lib64",
                "--ro-bind-try", "/etc/ld.so.cache", "/etc/ld.so.cache"));
        for (String bind : request.readOnlyBinds()) {
            args.addAll(List.of("--ro-bind", bind, bind));
        }
        args.addAll(List.of(
                "--proc", "/proc",
                "--dev", "/dev",
                "--size", Long.toString(settings.tmpSizeMb() * 1024L * 1024L), "--tmpfs", "/tmp",
                "--bind", request.jobDir().toString(), SANDBOX_HOME,
                // --dev is a writable tmpfs of its own; nothing but the job directory and /tmp may be written
                "--remount-ro", "/dev",
                "--remount-ro", "/",
                "--chdir", SANDBOX_HOME,
                "--clearenv",
                "--setenv", "PATH", PATH,
                "--setenv", "HOME", SANDBOX_HOME,
                "--setenv", "LANG", "C.UTF-8",
                "--"));
        return args;
    }
}
