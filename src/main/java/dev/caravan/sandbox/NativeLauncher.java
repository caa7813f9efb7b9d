package dev.caravan.sandbox;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A 70-line C program, built with the host's gcc when the engine starts, that does the first two launch stages in
 * one exec: join the run's cgroups, set the rlimits, drop to the unprivileged uid with no groups and no-new-privs,
 * start bwrap, reap the whole run as its subreaper and report its CPU time and largest RSS (the figures where no
 * cgroup gives them). With {@code sh} and {@code setpriv} instead, every run pays
 * one more exec (~1 ms of a ~6 ms C hello world), and the namespace's init is left as a zombie for the host's init
 * to reap (until then the run's cgroup cannot be removed). It also hands the stdio pipes to the program's uid, so
 * that a program can open its own stdin/stdout/stderr by path. Without gcc the engine falls back to sh + setpriv.
 */
final class NativeLauncher {

    /**
     * Arguments: UID GID (-1 -1 keeps the worker's; else fds 0-2, when pipes, are chowned to them), then -c FILE (join cgroup), -r RESOURCE:SOFT:HARD, -u FILE
     * (where to report "CPU-microseconds max-RSS-KB" of the whole run) and -s FD (bwrap's --json-status-fd, checked
     * for the exit code that proves the sandbox was set up) and -f FD:FILE, repeatable (a file or folder opened while
     * root and passed to the command as descriptor FD: the syscall filter for bwrap's --seccomp, the cgroup root for a
     * slot's supervisor), then -- argv. The report file is opened while still
     * root, in a directory only root can enter, so the program cannot forge it.
     */
    private static final String SOURCE = """
            #define _GNU_SOURCE
            #include <fcntl.h>
            #include <grp.h>
            #include <stdio.h>
            #include <stdlib.h>
            #include <string.h>
            #include <sys/prctl.h>
            #include <errno.h>
            #include <sys/resource.h>
            #include <sys/stat.h>
            #include <sys/wait.h>
            #include <unistd.h>

            static int fail(const char *what, const char *detail) {
                fprintf(stderr, "%s: %s %s\\n", MARKER, what, detail);
                return 125;
            }

            int main(int argc, char **argv) {
                if (argc < 4) return fail("usage:", "UID GID [-c cgroup.procs]... [-r res:soft:hard]... -- command");
                long uid = strtol(argv[1], NULL, 10), gid = strtol(argv[2], NULL, 10);
                int i = 3, usage = -1, status_fd = -1, status_pipe[2] = {-1, -1}, passed = 0, opened_fds[8], passed_fds[8];
                for (; i < argc && strcmp(argv[i], "--") != 0; i += 2) {
                    if (i + 1 >= argc) return fail("missing value after", argv[i]);
                    if (strcmp(argv[i], "-c") == 0) {
                        int fd = open(argv[i + 1], O_WRONLY | O_CLOEXEC);
                        /* "0" is "the writing process" in cgroup v1 and v2 */
                        if (fd < 0 || write(fd, "0", 1) != 1) return fail("cannot join cgroup", argv[i + 1]);
                        close(fd);
                    } else if (strcmp(argv[i], "-r") == 0) {
                        int resource;
                        unsigned long long soft, hard;
                        if (sscanf(argv[i + 1], "%d:%llu:%llu", &resource, &soft, &hard) != 3) return fail("bad limit", argv[i + 1]);
                        struct rlimit limit = {soft, hard};
                        if (setrlimit(resource, &limit) != 0) return fail("cannot set limit", argv[i + 1]);
                    } else if (strcmp(argv[i], "-s") == 0) {
                        status_fd = atoi(argv[i + 1]);
                        if (status_fd < 3 || pipe2(status_pipe, O_CLOEXEC) != 0) return fail("cannot make status pipe", argv[i + 1]);
                    } else if (strcmp(argv[i], "-f") == 0) {
                        /* a file or folder the command gets as descriptor FD (the syscall filter for bwrap's --seccomp,
                           the cgroup root for a slot's supervisor), opened while root and kept clear of fds 0-9 */
                        int opened = open(argv[i + 1] + strcspn(argv[i + 1], ":") + 1, O_RDONLY | O_CLOEXEC);
                        if (passed == 8 || opened < 0 || (passed_fds[passed] = atoi(argv[i + 1])) < 3
                                || (opened_fds[passed] = fcntl(opened, F_DUPFD_CLOEXEC, 10)) < 0)
                            return fail("cannot open", argv[i + 1]);
                        passed++;
                        close(opened);
                    } else if (strcmp(argv[i], "-u") == 0) {
                        usage = open(argv[i + 1], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
                        if (usage < 0) return fail("cannot open usage report", argv[i + 1]);
                    } else {
                        return fail("unknown option", argv[i]);
                    }
                }
                if (i + 1 >= argc) return fail("no command", "");
                if (uid >= 0) {
                    /* The worker (root) made the stdio pipes, and reopening one by path (/dev/stdin, /proc/self/fd/0)
                       checks the pipe's owner: hand the three pipes, and nothing else, to the program's uid. */
                    for (int fd = 0; fd <= 2; fd++) {
                        struct stat st;
                        if (fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode) && fchown(fd, uid, gid) != 0)
                            return fail("cannot hand over standard stream", fd == 0 ? "stdin" : fd == 1 ? "stdout" : "stderr");
                    }
                    if (setgroups(0, NULL) != 0 || setresgid(gid, gid, gid) != 0 || setresuid(uid, uid, uid) != 0)
                        return fail("cannot drop privileges to", argv[1]);
                }
                if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return fail("cannot set", "no_new_privs");
                /* bwrap reports its namespace's exit before the namespace's init is reaped; orphaned, that init would
                   wait as a zombie (in the run's cgroup, counting against RLIMIT_NPROC) until the host's init gets to
                   it. As their subreaper we reap every process of the run before reporting bwrap's status. */
                if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0) return fail("cannot become", "subreaper");
                pid_t child = fork();
                if (child < 0) return fail("cannot fork", argv[i + 1]);
                if (child == 0) {
                    if (status_fd >= 0 && dup2(status_pipe[1], status_fd) < 0) _exit(fail("cannot pass", "status pipe"));
                    for (int p = 0; p < passed; p++)
                        if (dup2(opened_fds[p], passed_fds[p]) < 0) _exit(fail("cannot pass", "a descriptor"));
                    execv(argv[i + 1], argv + i + 1);
                    _exit(fail("cannot execute", argv[i + 1]));
                }
                int status, result = 125;
                for (;;) {
                    pid_t done = waitpid(-1, &status, 0);
                    if (done < 0) {
                        if (errno == EINTR) continue;
                        break;  /* ECHILD: the whole run is reaped */
                    }
                    if (done == child) result = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
                }
                if (status_fd >= 0) {
                    /* bwrap reports an exit code only if the sandbox was set up and the command started; without it,
                       bwrap itself failed (its reason is on stderr) and the program never ran: the machine's fault */
                    char report[4096];
                    ssize_t n, total = 0;
                    close(status_pipe[1]);
                    while (total < (ssize_t) sizeof report - 1 && (n = read(status_pipe[0], report + total, sizeof report - 1 - total)) > 0) total += n;
                    report[total] = 0;
                    if (strstr(report, "exit-code") == NULL) return fail("sandbox set-up failed", "");
                }
                if (usage >= 0) {
                    /* every process of the run has been waited for, by us or by its own parent */
                    struct rusage ru;
                    getrusage(RUSAGE_CHILDREN, &ru);
                    long long cpu = (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000LL + ru.ru_utime.tv_usec + ru.ru_stime.tv_usec;
                    dprintf(usage, "%lld %ld\\n", cpu, ru.ru_maxrss);
                }
                return result;
            }
            """;

    private NativeLauncher() {
    }

    /** Builds the launcher into {@code dir}; empty (with a warning) when it cannot, so that sh + setpriv take over. */
    static Optional<Path> build(Path dir) {
        return GccBuild.build(dir, "caravan-launch",
                SOURCE.replace("MARKER", '"' + SandboxLauncher.SETUP_FAILED_MARKER + '"'), "launching with sh + setpriv");
    }

    /** The descriptor bwrap writes its JSON status to (--json-status-fd), a pipe the launcher reads. */
    static final int STATUS_FD = 3;

    /** The descriptor bwrap reads the syscall filter from (--seccomp). */
    static final int FILTER_FD = 4;

    /**
     * @param uid         the user to switch to, or -1 to stay root (a slot's supervisor, which switches per run)
     * @param descriptors files or folders the command gets open as these descriptor numbers (3 or more)
     */
    static List<String> command(Path binary, int uid, int gid, List<String> procsFiles, List<Rlimit> limits,
                                Path usageReport, boolean checkSandboxStatus, Map<Integer, Path> descriptors) {
        List<String> command = new java.util.ArrayList<>(List.of(binary.toString(), Integer.toString(uid), Integer.toString(gid)));
        for (String procs : procsFiles) {
            command.add("-c");
            command.add(procs);
        }
        for (Rlimit limit : limits) {
            command.add("-r");
            command.add(limit.resource().number + ":" + limit.soft() + ":" + limit.hard());
        }
        if (usageReport != null) {
            command.add("-u");
            command.add(usageReport.toString());
        }
        if (checkSandboxStatus) {
            command.add("-s");
            command.add(Integer.toString(STATUS_FD));
        }
        descriptors.forEach((fd, file) -> {
            command.add("-f");
            command.add(fd + ":" + file);
        });
        command.add("--");
        return command;
    }
}
