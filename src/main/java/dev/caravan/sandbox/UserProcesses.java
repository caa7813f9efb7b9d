package dev.caravan.sandbox;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The processes of one host uid, seen through {@code /proc/PID/status} (the real uid, the first field of
 * {@code Uid:}), and their removal: what makes sure nothing of a slot's job outlives it, whatever escaped its PID
 * namespace and cgroup.
 */
final class UserProcesses {

    private static final Path PROC = Path.of("/proc");
    private static final long GONE_WITHIN_MS = 2000;

    private UserProcesses() {
    }

    /** Pids whose real uid is {@code uid}; a process that ends while it is read is left out. */
    static List<Long> of(int uid) {
        List<Long> pids = new ArrayList<>();
        String wanted = "Uid:\t" + uid + "\t";
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC, entry -> isPid(entry.getFileName().toString()))) {
            for (Path entry : entries) {
                try {
                    for (String line : Files.readAllLines(entry.resolve("status"))) {
                        if (line.startsWith("Uid:")) {
                            if (line.startsWith(wanted)) {
                                pids.add(Long.parseLong(entry.getFileName().toString()));
                            }
                            break;
                        }
                    }
                } catch (IOException gone) {
                    // the process ended between listing and reading: not there, which is what we want
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list processes in /proc: " + e.getMessage(), e);
        }
        return pids;
    }

    /**
     * SIGKILLs every process of {@code uid} and waits up to 2 s for them to be gone.
     *
     * @return true when none is left; false when one survived (a process stuck in the kernel)
     */
    static boolean killAll(int uid) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(GONE_WITHIN_MS);
        for (List<Long> left = of(uid); !left.isEmpty(); left = of(uid)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            // again on each pass: one forked before the kill reached its parent is killed too
            left.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        return true;
    }

    private static boolean isPid(String name) {
        return !name.isEmpty() && name.chars().allMatch(Character::isDigit);
    }
}
