package dev.caravan.sandbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What the {@link NativeLauncher} reports of a whole run after reaping it: CPU time of all its processes and the
 * largest resident set of any one of them. Used where no cgroup gives CPU time or peak memory; absent when the
 * launcher was killed (wall-clock limit) or the sh fallback launched the run.
 */
record LauncherReport(long cpuTimeMs, long maxRssKb) {

    /** Reads and removes the report file; empty if there is none or it is incomplete. */
    static Optional<LauncherReport> consume(Path file) {
        if (file == null) {
            return Optional.empty();
        }
        try {
            String[] fields = Files.readString(file, StandardCharsets.US_ASCII).trim().split(" ");
            Files.deleteIfExists(file);
            if (fields.length != 2) {
                return Optional.empty();
            }
            return Optional.of(new LauncherReport(Long.parseLong(fields[0]) / 1000, Long.parseLong(fields[1])));
        } catch (IOException | NumberFormatException e) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a leftover report in the worker's own directory is harmless
            }
            return Optional.empty();
        }
    }
}
