package dev.caravan.sandbox;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Builds the command line that starts a program in the sandbox. Three stages, each doing what only it can:
 * <ol>
 *   <li>still root: join the run's cgroups (before anything can fork out of them) and set the rlimits;</li>
 *   <li>drop to the unprivileged uid with no groups and no-new-privs, so that RLIMIT_NPROC holds (it is ignored for
 *       root) and no setuid binary can regain privileges;</li>
 *   <li>{@code bwrap}: new user, PID, network, IPC and UTS namespaces; read-only /usr, the job directory as the only
 *       writable place, a size-capped /tmp, a fixed minimal environment, the {@link SeccompFilter}; it dies with the
 *       worker, and its PID namespace dies with it, taking every process the program started.</li>
 * </ol>
 * The {@link NativeLauncher} does the first two in one exec; without it, {@code sh} and {@code setpriv} do them.
 * In {@link SandboxMode#NONE} only the first stage runs.
 */
final class SandboxLauncher {

    /** Exit status of the first stage when the limits could not be applied: a fault of the machine, not the program. */
    static final int SETUP_FAILED_STATUS = 125;
    static final String SETUP_FAILED_MARKER = "caravan-sandbox: set-up failed";
    static final String SANDBOX_HOME = "/box";
    static final String PATH = "/usr/bin:/bin";

    private static final String SHELL = "/bin/sh";
    private static final String SETPRIV = "/usr/bin/setpriv";
    private static final String BWRAP = "/usr/bin/bwrap";
    private static final String LOADER_CACHE = "/etc/ld.so.cache";
    /** Where a slot's supervisor is inside its sandbox, and the descriptor it gets the cgroup root as. */
    private static final String SUPERVISOR = "/caravan-supervisor";
    private static final int SUPERVISOR_CGROUP_FD = 5;

    private final EngineSettings settings;
    private final Path nativeLauncher;
    private final Path syscallFilter;

    /**
     * @param nativeLauncher the built {@link NativeLauncher}, or null to launch with sh + setpriv
     * @param syscallFilter  the {@link SeccompFilter} file every sandboxed program runs under, or null for none
     */
    SandboxLauncher(EngineSettings settings, Path nativeLauncher, Path syscallFilter) {
        this.settings = settings;
        this.nativeLauncher = nativeLauncher;
        this.syscallFilter = syscallFilter;
    }

    /** The same launcher for trusted operator code: limits and cgroup accounting, but no bwrap, uid or seccomp filter. */
    SandboxLauncher unsandboxed() {
        return new SandboxLauncher(settings.unsandboxed(), nativeLauncher, null);
    }

    /** Whether runs get a usage report (see {@link NativeLauncher}). */
    boolean reportsUsage() {
        return nativeLauncher != null;
    }

    /** @param usageReport where the native launcher reports CPU time and max RSS; ignored by the sh fallback, may be null */
    List<String> command(RunRequest request, RunCgroup cgroup, Path usageReport) {
        List<Rlimit> limits = limits(request, cgroup);
        boolean sandboxed = settings.mode() == SandboxMode.BWRAP;
        List<String> command = new ArrayList<>();
        if (nativeLauncher != null) {
            command.addAll(NativeLauncher.command(nativeLauncher, sandboxed ? request.user().uid() : -1,
                    sandboxed ? request.user().gid() : -1, cgroup.procsFiles(), limits, usageReport, sandboxed,
                    sandboxed && syscallFilter != null ? Map.of(NativeLauncher.FILTER_FD, syscallFilter) : Map.of()));
        } else {
            command.addAll(List.of(SHELL, "-c", limitsScript(cgroup, limits, sandboxed ? request.user().toString() : null,
                    sandboxed ? syscallFilter : null), "caravan-launch"));
            if (sandboxed) {
                command.addAll(List.of(SETPRIV, "--reuid=" + request.user().uid(), "--regid=" + request.user().gid(),
                        "--clear-groups", "--no-new-privs", "--"));
            }
        }
        if (sandboxed) {
            command.addAll(bwrap(request));
            if (syscallFilter != null) {
                command.addAll(command.size() - 1, List.of("--seccomp", Integer.toString(NativeLauncher.FILTER_FD)));
            }
            if (nativeLauncher != null) {
                // after "--": bwrap(...) ends with it, so put the option before
                command.addAll(command.size() - 1, List.of("--json-status-fd", Integer.toString(NativeLauncher.STATUS_FD)));
            }
        }
        command.addAll(request.command());
        return command;
    }

    /** The rlimits of one run: set by the launcher here, by the slot's supervisor in a pooled sandbox. */
    List<Rlimit> limits(RunRequest request, RunCgroup cgroup) {
        List<Rlimit> limits = new ArrayList<>();
        // RLIMIT_CPU is a backstop, not the verdict: the kernel's per-process accounting behind it and the figures the
        // verdict reads (cgroup cpuacct, rusage) differ by a few percent on virtual machines (measured here: SIGXCPU at
        // 1,915-1,970 ms of cpuacct under a 2 s rlimit), and it sees one process, not the tree. Set a quarter above
        // the limit, whatever it stops has used more than the limit by every measure, so the verdict can come from
        // the measurement alone (RunObservation#cpuExceeded) whichever process of the tree the kernel stopped.
        long cpuSeconds = Math.max(1, (request.cpuTimeMs() * 5 / 4 + 999) / 1000);
        // SIGXCPU at the soft limit, SIGKILL one second later for a program that ignores it
        limits.add(new Rlimit(Rlimit.Resource.CPU, cpuSeconds, cpuSeconds + 1));
        limits.add(Rlimit.of(Rlimit.Resource.CORE, 0));
        limits.add(Rlimit.of(Rlimit.Resource.FSIZE, settings.fileSizeKb() * 1024));
        limits.add(Rlimit.of(Rlimit.Resource.NOFILE, settings.openFiles()));
        // RLIMIT_NPROC counts every process of the uid, including the previous run's, which the kernel releases a
        // few milliseconds after the run ends: alone, it needs headroom over the language's own limit
        limits.add(Rlimit.of(Rlimit.Resource.NPROC,
                cgroup.limitsProcesses() ? settings.nprocBackstop() : request.maxProcesses() * 4L));
        // deep recursion is legitimate in contest code: the stack may use the whole memory limit, up to 1 GiB
        limits.add(Rlimit.of(Rlimit.Resource.STACK, Math.min(request.memoryBytes(), 1L << 30)));
        if (!cgroup.limitsMemory() && request.addressSpaceLimit()) {
            limits.add(Rlimit.of(Rlimit.Resource.AS, request.memoryBytes()));
        }
        return limits;
    }

    /**
     * The sh fallback's first stage; {@code syscallFilter} (or null) is opened as bwrap's --seccomp descriptor. {@code stdioOwner} ("uid:gid", or null outside the sandbox): the worker (root) made
     * the stdio pipes, and reopening one by path ({@code /dev/stdin}, {@code /proc/self/fd/1}) checks the pipe's owner,
     * so the three pipes, and nothing else, go to the program's uid (the native launcher does the same with fchown).
     */
    private static String limitsScript(RunCgroup cgroup, List<Rlimit> limits, String stdioOwner, Path syscallFilter) {
        List<String> steps = new ArrayList<>();
        for (String procs : cgroup.procsFiles()) {
            steps.add("echo $$ > '" + procs + "'");
        }
        if (stdioOwner != null) {
            for (int fd = 0; fd <= 2; fd++) {
                steps.add("{ [ ! -p /proc/self/fd/" + fd + " ] || chown " + stdioOwner + " /proc/self/fd/" + fd + "; }");
            }
        }
        limits.forEach(limit -> steps.add(limit.asUlimit()));
        return "{ " + String.join(" && ", steps) + "; } || { echo '" + SETUP_FAILED_MARKER + "' >&2; exit "
                + SETUP_FAILED_STATUS + "; }; exec \"$@\"" + (syscallFilter == null ? ""
                : " " + NativeLauncher.FILTER_FD + "<'" + syscallFilter + "'");
    }

    private List<String> bwrap(RunRequest request) {
        List<String> args = new ArrayList<>(List.of(BWRAP, "--unshare-all", "--unshare-user"));
        args.addAll(view(request.readOnlyBinds()));
        args.addAll(List.of(
                "--size", Long.toString(settings.tmpSizeMb() * 1024L * 1024L), "--tmpfs", "/tmp",
                "--bind", request.jobDir().toString(), SANDBOX_HOME,
                // --dev is a writable tmpfs of its own; nothing but the job directory and /tmp may be written
                "--remount-ro", "/dev",
                "--remount-ro", "/",
                "--chdir", SANDBOX_HOME,
                "--clearenv",
                "--setenv", "PATH", PATH,
                "--setenv", "HOME", SANDBOX_HOME,
                "--setenv", "LANG", "C.UTF-8"));
        request.task().environment().forEach((name, value) -> args.addAll(List.of("--setenv", name, value)));
        // after --dev: the node is bound onto the sandbox's own /dev; -try, as a declared GPU may have no node here
        request.task().devices().forEach(device -> args.addAll(args.indexOf("--remount-ro"), List.of("--dev-bind-try", device, device)));
        args.add("--");
        return args;
    }

    /**
     * The command that starts a slot's pooled sandbox: the native launcher stays root and hands over the cgroup root
     * and the syscall filter as descriptors; bwrap, as real root and so without a user namespace, makes the slot's
     * PID, mount, network, IPC and UTS namespaces with the same view of the host as a single run gets, the slot's job
     * directory at /box, and starts {@code supervisor} as PID 1 with its capabilities, which it needs to make each
     * run's process and to replace /tmp; every program it starts runs as the slot's unprivileged uid.
     *
     * @param readOnlyBinds every host path any language of the worker needs besides /usr
     */
    List<String> slotCommand(Path supervisor, Path jobDir, List<String> readOnlyBinds) {
        Map<Integer, Path> descriptors = new TreeMap<>(Map.of(SUPERVISOR_CGROUP_FD, CgroupDetection.ROOT));
        if (syscallFilter != null) {
            descriptors.put(NativeLauncher.FILTER_FD, syscallFilter);
        }
        List<String> command = new ArrayList<>(NativeLauncher.command(nativeLauncher, -1, -1, List.of(), List.of(), null,
                false, descriptors));
        command.addAll(List.of(BWRAP, "--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts",
                "--as-pid-1", "--cap-add", "ALL"));
        command.addAll(view(readOnlyBinds));
        command.addAll(List.of(
                "--dir", "/tmp",
                "--bind", jobDir.toString(), SANDBOX_HOME,
                "--ro-bind", supervisor.toString(), SUPERVISOR,
                "--remount-ro", "/dev",
                "--remount-ro", "/",
                "--chdir", "/",
                "--clearenv",
                "--", SUPERVISOR, Integer.toString(SUPERVISOR_CGROUP_FD),
                Integer.toString(syscallFilter == null ? -1 : NativeLauncher.FILTER_FD),
                Long.toString(settings.tmpSizeMb() * 1024L * 1024L)));
        return command;
    }

    /** Whether a slot can have a pooled sandbox: its supervisor needs the native launcher to receive descriptors. */
    boolean canPool() {
        return nativeLauncher != null && settings.mode() == SandboxMode.BWRAP;
    }

    /** What every sandboxed program sees of the host: /usr read-only, its own /proc and a minimal /dev. */
    private static List<String> view(List<String> readOnlyBinds) {
        List<String> args = new ArrayList<>(List.of(
                "--die-with-parent", "--new-session",
                "--hostname", "caravan",
                "--ro-bind", "/usr", "/usr",
                "--symlink", "usr/bin", "/bin",
                "--symlink", "usr/sbin", "/sbin",
                "--symlink", "usr/lib", "/lib",
                "--symlink", "usr/lib64", "/lib64"));
        // bwrap run as root makes the folders above a mount point 0700, which the program's uid could not cross
        Set<Path> folders = new TreeSet<>();
        for (String bind : Stream.concat(Stream.of(LOADER_CACHE), readOnlyBinds.stream()).toList()) {
            for (Path folder = Path.of(bind).getParent(); folder != null && folder.getNameCount() > 0; folder = folder.getParent()) {
                if (!folder.startsWith("/usr")) {
                    folders.add(folder);
                }
            }
        }
        for (Path folder : folders) {
            args.addAll(List.of("--perms", "0755", "--dir", folder.toString()));
        }
        args.addAll(List.of("--ro-bind-try", LOADER_CACHE, LOADER_CACHE));
        for (String bind : readOnlyBinds) {
            args.addAll(List.of("--ro-bind", bind, bind));
        }
        args.addAll(List.of("--proc", "/proc", "--dev", "/dev"));
        return args;
    }
}
