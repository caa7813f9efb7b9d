package dev.caravan.sandbox;

/**
 * Names of Linux signals. bwrap and the JVM both report a child killed by signal N as exit status 128+N, so a
 * program that itself exits with such a status is indistinguishable from one killed by that signal.
 */
final class Signals {

    static final int SIGKILL = 9;
    static final int SIGXCPU = 24;

    private static final String[] NAMES = {null, "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT",
        "SIGBUS", "SIGFPE", "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM",
        "SIGSTKFLT", "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU",
        "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS"};

    private Signals() {
    }

    /** The signal number an exit status stands for, or 0 if it is an ordinary exit code. */
    static int fromExitStatus(int status) {
        int signal = status - 128;
        return signal > 0 && signal < NAMES.length ? signal : 0;
    }

    static String name(int signal) {
        return signal > 0 && signal < NAMES.length ? NAMES[signal] : "SIG" + signal;
    }
}
