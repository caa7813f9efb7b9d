package dev.caravan.sandbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.LoggerFactory;

/** Reading and writing the small control files of cgroup v1 and v2, which differ in names, not in handling. */
final class CgroupFiles {

    private static final long REMOVE_PATIENCE_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final long PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private CgroupFiles() {
    }

    static void write(Path file, String value) {
        try {
            Files.writeString(file, value, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write '" + value + "' to " + file + ": " + e.getMessage(), e);
        }
    }

    static boolean tryWrite(Path file, String value) {
        try {
            Files.writeString(file, value, StandardCharsets.US_ASCII);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The file's first number, or 0 if it is missing or unreadable (a figure we cannot give is 0, not a failure). */
    static long number(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
            int end = 0;
            while (end < text.length() && Character.isDigit(text.charAt(end))) {
                end++;
            }
            return end == 0 ? 0 : Long.parseLong(text.substring(0, end));
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** The value of {@code key} in a flat-keyed file such as memory.events or cpu.stat, or 0. */
    static long keyed(Path file, String key) {
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
                String[] parts = line.trim().split("\\s+");
                if (parts.length == 2 && parts[0].equals(key)) {
                    return Long.parseLong(parts[1]);
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // absent on older kernels
        }
        return 0;
    }

    static List<Long> pids(Path procsFile) {
        try {
            return Files.readAllLines(procsFile, StandardCharsets.US_ASCII).stream()
                    .filter(line -> !line.isBlank()).map(line -> Long.parseLong(line.trim())).toList();
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    /**
     * SIGKILLs every process listed until none is left: a fork bomb keeps forking while we kill, so one pass is not
     * enough. Bounded, because a process stuck in the kernel cannot be hurried.
     */
    static void killAll(Path procsFile) {
        long deadline = System.nanoTime() + REMOVE_PATIENCE_NANOS;
        List<Long> pids = pids(procsFile);
        while (!pids.isEmpty() && System.nanoTime() < deadline) {
            pids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
            LockSupport.parkNanos(PAUSE_NANOS);
            pids = pids(procsFile);
        }
    }

    /**
     * Removes the groups a killed worker left under {@code ownDir}: named {@code caravan-<pid>-<n>}, with a pid that no
     * longer runs. Without this, every crash of a worker would leave empty groups behind for good.
     */
    static void removeStale(Path ownDir) {
        try (var children = Files.list(ownDir)) {
            for (Path parent : children.toList()) {
                String[] name = parent.getFileName().toString().split("-");
                if (name.length == 3 && name[0].equals("caravan") && name[1].matches("\\d+")
                        && ProcessHandle.of(Long.parseLong(name[1])).isEmpty()) {
                    try (var runs = Files.list(parent)) {
                        runs.filter(Files::isDirectory).forEach(run -> {
                            killAll(run.resolve("cgroup.procs"));
                            remove(run);
                        });
                    }
                    remove(parent);
                }
            }
        } catch (IOException | RuntimeException e) {
            LoggerFactory.getLogger(CgroupFiles.class).warn("could not clean stale cgroups under {}: {}", ownDir, e.getMessage());
        }
    }

    /** Removes an (emptied) cgroup directory; the kernel refuses while dying processes still count, so retry briefly. */
    static void remove(Path dir) {
        long deadline = System.nanoTime() + REMOVE_PATIENCE_NANOS;
        while (true) {
            try {
                Files.deleteIfExists(dir);
                return;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    LoggerFactory.getLogger(CgroupFiles.class).warn("leaving cgroup {} behind: {}", dir, e.getMessage());
                    return;
                }
                LockSupport.parkNanos(PAUSE_NANOS);
            }
        }
    }
}
