/*
 * caravan-supervisor: the small supervisor inside one sandbox slot (see dev.caravan.sandbox.SlotSandbox).
 *
 * bwrap starts it as PID 1 of the slot's own PID, mount, network, IPC and UTS namespaces, still root and with its
 * capabilities, with a read-only view of /usr and the slot's job directory at /box. It then serves requests from
 * the worker, one at a time, on stdin/stdout (big-endian frames, see SlotSandbox.java):
 *
 *   RUN    fork a fresh child that joins the run's cgroups (through the cgroup root descriptor it inherited), takes
 *          its rlimits, its own session, the slot's uid with no groups, no-new-privs and the syscall filter, and
 *          execs the program with a fixed environment; feed its stdin, read its stdout and stderr up to a cap, kill
 *          it at the wall-clock limit or the output cap, and, once it has exited, SIGKILL every process left in the
 *          namespace and reap them all; answer with how it ended, wall and CPU time, largest RSS and the output.
 *   RESET  between jobs: kill and reap whatever is left, give /tmp a fresh tmpfs and the next jobs a fresh IPC
 *          namespace (SysV and POSIX message queues of the last job are gone with the old one).
 *
 * End of file on stdin (the worker closed the slot or died) ends the supervisor, and with it, as PID 1, the
 * namespace and every process in it. Arguments: CGROUP_ROOT_FD FILTER_FD TMP_SIZE_BYTES (-1 for no descriptor).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define REQUEST_RUN 1
#define REQUEST_RESET 2
#define ANSWER_OK 0
#define ANSWER_FAILED 1
#define FLAG_WALL_KILLED 1
#define FLAG_STDOUT_OVER 2
#define FLAG_STDERR_OVER 4
#define MAX_ITEMS 4096
#define MAX_STRING (1 << 20)
#define MAX_STDIN (1 << 30)

static int cgroup_root = -1;
static struct sock_fprog filter = {0, NULL};
static long long tmp_size = 0;

/* ---- framing ---- */

static int read_fully(int fd, void *buffer, size_t size) {
    char *at = buffer;
    while (size > 0) {
        ssize_t n = read(fd, at, size);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return -1;
        at += n;
        size -= (size_t) n;
    }
    return 0;
}

static int write_fully(int fd, const void *buffer, size_t size) {
    const char *at = buffer;
    while (size > 0) {
        ssize_t n = write(fd, at, size);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return -1;
        at += n;
        size -= (size_t) n;
    }
    return 0;
}

static int32_t read_i32(void) {
    uint32_t v;
    if (read_fully(0, &v, 4) != 0) exit(0);  /* the worker is gone: end the namespace */
    return (int32_t) __builtin_bswap32(v);
}

static int64_t read_i64(void) {
    uint64_t v;
    if (read_fully(0, &v, 8) != 0) exit(0);
    return (int64_t) __builtin_bswap64(v);
}

static char *read_bytes(int32_t size, int32_t max) {
    if (size < 0 || size > max) {
        fprintf(stderr, "caravan-supervisor: bad frame (size %d)\n", size);
        exit(2);
    }
    char *s = malloc((size_t) size + 1);
    if (s == NULL) exit(3);
    if (size > 0 && read_fully(0, s, (size_t) size) != 0) exit(0);
    s[size] = 0;
    return s;
}

static char *read_string(void) {
    return read_bytes(read_i32(), MAX_STRING);
}

static char **read_strings(void) {
    int32_t count = read_i32();
    if (count < 0 || count > MAX_ITEMS) exit(2);
    char **list = calloc((size_t) count + 1, sizeof(char *));
    if (list == NULL) exit(3);
    for (int32_t i = 0; i < count; i++) list[i] = read_string();
    return list;
}

static void free_strings(char **list) {
    for (char **s = list; *s != NULL; s++) free(*s);
    free(list);
}

/* answers are built in memory and written in one go */
struct answer {
    char *data;
    size_t size, capacity;
};

static void put(struct answer *a, const void *bytes, size_t size) {
    if (a->size + size > a->capacity) {
        size_t capacity = a->capacity == 0 ? 4096 : a->capacity;
        while (capacity < a->size + size) capacity *= 2;
        a->data = realloc(a->data, capacity);
        if (a->data == NULL) exit(3);
        a->capacity = capacity;
    }
    memcpy(a->data + a->size, bytes, size);
    a->size += size;
}

static void put_i32(struct answer *a, int32_t v) {
    uint32_t big = __builtin_bswap32((uint32_t) v);
    put(a, &big, 4);
}

static void put_i64(struct answer *a, int64_t v) {
    uint64_t big = __builtin_bswap64((uint64_t) v);
    put(a, &big, 8);
}

static void put_bytes(struct answer *a, const char *bytes, size_t size) {
    put_i32(a, (int32_t) size);
    put(a, bytes, size);
}

static void send_answer(struct answer *a) {
    if (write_fully(1, a->data, a->size) != 0) exit(0);
    free(a->data);
}

static void send_failure(const char *what, int error) {
    struct answer a = {0};
    char message[512];
    snprintf(message, sizeof message, "%s: %s", what, strerror(error));
    put_i32(&a, ANSWER_FAILED);
    put_bytes(&a, message, strlen(message));
    send_answer(&a);
}

/* ---- the namespace's processes ---- */

static int64_t now_us(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t) t.tv_sec * 1000000 + t.tv_nsec / 1000;
}

static int64_t cpu_us(const struct rusage *ru) {
    return (int64_t) (ru->ru_utime.tv_sec + ru->ru_stime.tv_sec) * 1000000 + ru->ru_utime.tv_usec + ru->ru_stime.tv_usec;
}

/* As PID 1, kill(-1) reaches every other process of the namespace; then every one of them is reaped here, since
   orphans are re-parented to PID 1. Their CPU time and RSS are added to the run's. */
static void kill_and_reap_all(int64_t *cpu, int64_t *max_rss) {
    kill(-1, SIGKILL);
    for (;;) {
        struct rusage ru;
        int status;
        pid_t done = wait4(-1, &status, 0, &ru);
        if (done < 0) {
            if (errno == EINTR) continue;
            return;  /* ECHILD: nothing is left */
        }
        if (cpu != NULL) *cpu += cpu_us(&ru);
        if (max_rss != NULL && ru.ru_maxrss > *max_rss) *max_rss = ru.ru_maxrss;
    }
}

static int fresh_tmp(void) {
    char options[64];
    umount2("/tmp", MNT_DETACH);  /* nothing mounted yet at start-up: EINVAL is fine */
    snprintf(options, sizeof options, "size=%lld,mode=1777", tmp_size);
    return mount("caravan-tmp", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, options);
}

/* ---- one run ---- */

struct run {
    int64_t wall_ms, output_cap;
    int32_t limit_count, uid, gid;
    int64_t soft[64], hard[64];
    int32_t resources[64];
    char **cgroups, *cwd, **argv, **envp;
    char *stdin_bytes;
    int32_t stdin_size;
};

/* In the child, between fork and exec; on failure the reason goes to the error pipe and the child exits. */
static void start_program(struct run *r, int in, int out, int err, int error_pipe) {
    const char *step = "setsid";
    if (setsid() < 0) goto failed;
    step = "join the run's cgroup";
    for (char **group = r->cgroups; *group != NULL; group++) {
        int fd = openat(cgroup_root, *group, O_WRONLY | O_CLOEXEC);
        /* "0" is "the writing process" in cgroup v1 and v2 */
        if (fd < 0 || write(fd, "0", 1) != 1) goto failed;
        close(fd);
    }
    step = "set up standard streams";
    if (dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0) goto failed;
    step = "set a resource limit";
    for (int i = 0; i < r->limit_count; i++) {
        struct rlimit limit = {(rlim_t) r->soft[i], (rlim_t) r->hard[i]};
        if (setrlimit(r->resources[i], &limit) != 0) goto failed;
    }
    step = "enter the working directory";
    if (chdir(r->cwd) != 0) goto failed;
    step = "drop privileges";
    if (setgroups(0, NULL) != 0 || setresgid(r->gid, r->gid, r->gid) != 0 || setresuid(r->uid, r->uid, r->uid) != 0)
        goto failed;
    step = "set no_new_privs";
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) goto failed;
    step = "set the parent-death signal";
    if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0) goto failed;
    step = "load the syscall filter";
    if (filter.len > 0 && prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &filter, 0, 0) != 0) goto failed;
    signal(SIGPIPE, SIG_DFL);
    environ = r->envp;
    step = "execute the program";
    execvp(r->argv[0], r->argv);
failed:;
    char message[512];
    int error = errno;
    int n = snprintf(message, sizeof message, "cannot %s (%s): %s", step, r->argv[0], strerror(error));
    if (write(error_pipe, message, (size_t) n) < 0) _exit(126);
    _exit(125);
}

static void keep(char **kept, size_t *size, int64_t cap, const char *chunk, size_t n, int *over) {
    size_t room = *size >= (size_t) cap ? 0 : (size_t) cap - *size;
    size_t taken = n < room ? n : room;
    memcpy(*kept + *size, chunk, taken);
    *size += taken;
    if (taken < n) *over = 1;
}

static void run_program(void) {
    struct run r = {0};
    r.wall_ms = read_i64();
    r.output_cap = read_i64();
    r.limit_count = read_i32();
    if (r.limit_count < 0 || r.limit_count > 64) exit(2);
    for (int i = 0; i < r.limit_count; i++) {
        r.resources[i] = read_i32();
        r.soft[i] = read_i64();
        r.hard[i] = read_i64();
    }
    r.uid = read_i32();
    r.gid = read_i32();
    r.cgroups = read_strings();
    r.cwd = read_string();
    r.argv = read_strings();
    r.envp = read_strings();
    r.stdin_size = read_i32();
    r.stdin_bytes = read_bytes(r.stdin_size, MAX_STDIN);
    if (r.argv[0] == NULL || r.output_cap < 0 || r.output_cap > (1LL << 30)) exit(2);

    int in[2], out[2], err[2], error_pipe[2];
    if (pipe2(in, O_CLOEXEC) != 0 || pipe2(out, O_CLOEXEC) != 0 || pipe2(err, O_CLOEXEC) != 0
            || pipe2(error_pipe, O_CLOEXEC) != 0) {
        send_failure("cannot make pipes", errno);
        exit(3);
    }
    /* a program may reopen its own streams by path (/dev/stdin, /proc/self/fd/1), which checks the pipe's owner */
    if (fchown(in[0], r.uid, r.gid) != 0 || fchown(out[1], r.uid, r.gid) != 0 || fchown(err[1], r.uid, r.gid) != 0) {
        send_failure("cannot hand over the standard streams", errno);
        exit(3);
    }
    int64_t started = now_us();
    pid_t child = fork();
    if (child < 0) {
        send_failure("cannot fork", errno);
        close(in[0]); close(in[1]); close(out[0]); close(out[1]); close(err[0]); close(err[1]);
        close(error_pipe[0]); close(error_pipe[1]);
        goto done;
    }
    if (child == 0) start_program(&r, in[0], out[1], err[1], error_pipe[1]);
    close(in[0]);
    close(out[1]);
    close(err[1]);
    close(error_pipe[1]);
    int child_fd = (int) syscall(SYS_pidfd_open, child, 0);
    fcntl(in[1], F_SETFL, O_NONBLOCK);
    fcntl(out[0], F_SETFL, O_NONBLOCK);
    fcntl(err[0], F_SETFL, O_NONBLOCK);

    char *kept_out = malloc((size_t) r.output_cap + 1), *kept_err = malloc((size_t) r.output_cap + 1);
    if (kept_out == NULL || kept_err == NULL) exit(3);
    size_t out_size = 0, err_size = 0, fed = 0;
    int flags = 0, exited = 0, status = 0, stdin_open = 1, out_open = 1, err_open = 1, over_out = 0, over_err = 0;
    int64_t deadline = started + r.wall_ms * 1000, ended = 0, cpu = 0, max_rss = 0;
    char chunk[65536];
    if (r.stdin_size == 0) {
        close(in[1]);
        stdin_open = 0;
    }
    while (!exited || out_open || err_open) {
        struct pollfd fds[4];
        int n = 0, i_in = -1, i_out = -1, i_err = -1, i_child = -1;
        if (stdin_open) { i_in = n; fds[n++] = (struct pollfd) {in[1], POLLOUT, 0}; }
        if (out_open) { i_out = n; fds[n++] = (struct pollfd) {out[0], POLLIN, 0}; }
        if (err_open) { i_err = n; fds[n++] = (struct pollfd) {err[0], POLLIN, 0}; }
        if (!exited) { i_child = n; fds[n++] = (struct pollfd) {child_fd, POLLIN, 0}; }
        int64_t left_ms = (deadline - now_us() + 999) / 1000;
        int timeout = exited ? -1 : left_ms <= 0 ? 0 : left_ms > 1000000 ? 1000000 : (int) left_ms;
        int ready = poll(fds, (nfds_t) n, timeout);
        if (ready < 0 && errno != EINTR) exit(3);
        if (!exited && ready == 0 && now_us() >= deadline && !(flags & FLAG_WALL_KILLED)) {
            flags |= FLAG_WALL_KILLED;
            kill(-1, SIGKILL);
            continue;
        }
        if (ready <= 0) continue;
        if (i_in >= 0 && fds[i_in].revents) {
            ssize_t w = write(in[1], r.stdin_bytes + fed, (size_t) (r.stdin_size - fed));
            if (w > 0) fed += (size_t) w;
            if ((w < 0 && errno != EAGAIN && errno != EINTR) || fed == (size_t) r.stdin_size) {
                close(in[1]);  /* the program closed its stdin or has read everything: both are its right */
                stdin_open = 0;
            }
        }
        int streams[2] = {i_out, i_err};
        for (int s = 0; s < 2; s++) {
            if (streams[s] < 0 || !fds[streams[s]].revents) continue;
            int fd = s == 0 ? out[0] : err[0];
            ssize_t got = read(fd, chunk, sizeof chunk);
            if (got < 0 && (errno == EAGAIN || errno == EINTR)) continue;
            int *over = s == 0 ? &over_out : &over_err;
            if (got > 0) keep(s == 0 ? &kept_out : &kept_err, s == 0 ? &out_size : &err_size, r.output_cap, chunk,
                              (size_t) got, over);
            if (got <= 0 || *over) {
                /* end of file, or past the cap: RLIMIT_FSIZE does not limit pipes, so the cap ends the run */
                if (*over) kill(-1, SIGKILL);
                close(fd);
                if (s == 0) out_open = 0; else err_open = 0;
            }
        }
        if (i_child >= 0 && fds[i_child].revents) {
            struct rusage ru;
            if (wait4(child, &status, WNOHANG, &ru) == child) {
                exited = 1;
                ended = now_us();
                cpu = cpu_us(&ru);
                max_rss = ru.ru_maxrss;
                /* what the program left running dies with it, as it would with its own PID namespace; the pipes
                   those processes held close, so the reads above see end of file */
                kill_and_reap_all(&cpu, &max_rss);
            }
        }
    }
    if (stdin_open) close(in[1]);
    close(child_fd);
    if (over_out) flags |= FLAG_STDOUT_OVER;
    if (over_err) flags |= FLAG_STDERR_OVER;

    char setup_error[512];
    ssize_t setup_size = read(error_pipe[0], setup_error, sizeof setup_error - 1);
    close(error_pipe[0]);
    struct answer a = {0};
    if (setup_size > 0) {
        put_i32(&a, ANSWER_FAILED);
        put_bytes(&a, setup_error, (size_t) setup_size);
    } else {
        put_i32(&a, ANSWER_OK);
        put_i32(&a, WIFEXITED(status) ? 1 : 0);
        put_i32(&a, WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
        put_i32(&a, flags);
        put_i64(&a, ended - started);
        put_i64(&a, cpu);
        put_i64(&a, max_rss);
        put_bytes(&a, kept_out, out_size);
        put_bytes(&a, kept_err, err_size);
    }
    send_answer(&a);
    free(kept_out);
    free(kept_err);
done:
    free_strings(r.cgroups);
    free_strings(r.argv);
    free_strings(r.envp);
    free(r.cwd);
    free(r.stdin_bytes);
}

static void reset(void) {
    kill_and_reap_all(NULL, NULL);
    if (fresh_tmp() != 0) {
        send_failure("cannot mount a fresh /tmp", errno);
        return;
    }
    if (unshare(CLONE_NEWIPC) != 0) {
        send_failure("cannot make a fresh IPC namespace", errno);
        return;
    }
    struct answer a = {0};
    put_i32(&a, ANSWER_OK);
    send_answer(&a);
}

static void load_filter(int fd) {
    size_t size = 0, capacity = 4096;
    char *bytes = malloc(capacity);
    ssize_t n;
    while (bytes != NULL && (n = read(fd, bytes + size, capacity - size)) > 0) {
        size += (size_t) n;
        if (size == capacity) bytes = realloc(bytes, capacity *= 2);
    }
    if (bytes == NULL || size == 0 || size % sizeof(struct sock_filter) != 0) {
        fprintf(stderr, "caravan-supervisor: bad syscall filter (%zu bytes)\n", size);
        exit(4);
    }
    close(fd);
    filter.len = (unsigned short) (size / sizeof(struct sock_filter));
    filter.filter = (struct sock_filter *) bytes;
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: caravan-supervisor CGROUP_ROOT_FD FILTER_FD TMP_SIZE_BYTES\n");
        return 2;
    }
    cgroup_root = atoi(argv[1]);
    int filter_fd = atoi(argv[2]);
    tmp_size = atoll(argv[3]);
    if (filter_fd >= 0) load_filter(filter_fd);
    if (cgroup_root >= 0 && fcntl(cgroup_root, F_SETFD, FD_CLOEXEC) != 0) {
        perror("caravan-supervisor: cgroup root descriptor");
        return 4;
    }
    /* a program must inherit nothing but its three streams */
    close_range(3, ~0U, CLOSE_RANGE_CLOEXEC);
    signal(SIGPIPE, SIG_IGN);
    struct answer ready = {0};
    if (fresh_tmp() != 0) {
        send_failure("cannot mount /tmp", errno);
        return 4;
    }
    /* hidepid=2: a program sees only its own uid's processes, not this supervisor (root) nor its command line */
    umount2("/proc", MNT_DETACH);
    if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, "hidepid=2") != 0) {
        send_failure("cannot mount /proc", errno);
        return 4;
    }
    put_i32(&ready, ANSWER_OK);
    send_answer(&ready);
    for (;;) {
        int32_t request = read_i32();
        if (request == REQUEST_RUN) run_program();
        else if (request == REQUEST_RESET) reset();
        else {
            fprintf(stderr, "caravan-supervisor: unknown request %d\n", request);
            return 2;
        }
    }
}
