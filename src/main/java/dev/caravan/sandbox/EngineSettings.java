package dev.caravan.sandbox;

import java.nio.file.Path;
import java.util.function.Function;

/**
 * Everything the engine needs from configuration, as plain values. {@link #fromProperties} reads the documented
 * {@code caravan.*} keys with their defaults and names the key of any bad value.
 *
 * @param languagesFile   {@code caravan.languages.file}: the language definitions
 * @param mode            {@code caravan.sandbox}: bwrap, or none for development only
 * @param uid             {@code caravan.sandbox.uid}: unprivileged uid programs run as (RLIMIT_NPROC is ignored for root)
 * @param gid             {@code caravan.sandbox.gid}: its gid
 * @param workRoot        {@code caravan.sandbox.work-dir}: where job directories are created
 * @param fileSizeKb      {@code caravan.sandbox.file-size-kb}: largest file a program or compiler may write
 * @param tmpSizeMb       {@code caravan.sandbox.tmp-size-mb}: size of the private /tmp (counts towards memory)
 * @param openFiles       {@code caravan.sandbox.open-files}: RLIMIT_NOFILE
 * @param nprocBackstop   {@code caravan.sandbox.nproc-backstop}: RLIMIT_NPROC when a pids cgroup does the real
 *                        per-run limit; the rlimit counts every process of the uid, so it must cover parallel jobs
 * @param compile         {@code caravan.compile.*}: limits of the compile step
 * @param warmJavac       {@code caravan.compile.warm-javac}: compile Java in a long-lived sandboxed javac
 * @param nativeLauncher  {@code caravan.sandbox.native-launcher}: build the one-exec launcher with gcc at start-up
 *                        (else sh + setpriv, one exec more per run)
 */
public record EngineSettings(
        Path languagesFile,
        SandboxMode mode,
        int uid,
        int gid,
        Path workRoot,
        long fileSizeKb,
        int tmpSizeMb,
        int openFiles,
        int nprocBackstop,
        CompileLimits compile,
        boolean warmJavac,
        boolean nativeLauncher) {

    /** Limits of the compile step: a compile over any of them is a COMPILATION_ERROR naming the limit. */
    public record CompileLimits(int cpuTimeMs, int wallTimeMs, int memoryMb, int outputKb, int maxProcesses) {
    }

    public static EngineSettings defaults() {
        return fromProperties(key -> null);
    }

    /** Reads the {@code caravan.*} keys through {@code lookup} (null = not set, use the default). */
    public static EngineSettings fromProperties(Function<String, String> lookup) {
        Reader r = new Reader(lookup);
        return new EngineSettings(
                Path.of(r.text("caravan.languages.file", "config/languages.yaml")),
                SandboxMode.parse(r.text("caravan.sandbox", "bwrap")),
                r.integer("caravan.sandbox.uid", 65534, 1),
                r.integer("caravan.sandbox.gid", 65534, 1),
                Path.of(r.text("caravan.sandbox.work-dir", System.getProperty("java.io.tmpdir"))),
                r.integer("caravan.sandbox.file-size-kb", 64 * 1024, 1),
                r.integer("caravan.sandbox.tmp-size-mb", 64, 1),
                r.integer("caravan.sandbox.open-files", 64, 16),
                r.integer("caravan.sandbox.nproc-backstop", 1024, 16),
                new CompileLimits(
                        r.integer("caravan.compile.cpu-time-ms", 10_000, 100),
                        r.integer("caravan.compile.wall-time-ms", 20_000, 100),
                        r.integer("caravan.compile.memory-mb", 512, 64),
                        r.integer("caravan.compile.output-kb", 64, 1),
                        r.integer("caravan.compile.max-processes", 32, 4)),
                r.bool("caravan.compile.warm-javac", true),
                r.bool("caravan.sandbox.native-launcher", true));
    }

    private record Reader(Function<String, String> lookup) {

        String text(String key, String fallback) {
            String value = lookup.apply(key);
            return value == null || value.isBlank() ? fallback : value.trim();
        }

        boolean bool(String key, boolean fallback) {
            String value = text(key, Boolean.toString(fallback));
            if (!value.equals("true") && !value.equals("false")) {
                throw new IllegalStateException(key + " must be true or false, not '" + value + "'");
            }
            return Boolean.parseBoolean(value);
        }

        int integer(String key, int fallback, int minimum) {
            String value = text(key, Integer.toString(fallback));
            try {
                int parsed = Integer.parseInt(value);
                if (parsed < minimum) {
                    throw new IllegalStateException(key + " must be at least " + minimum + ", not " + parsed);
                }
                return parsed;
            } catch (NumberFormatException e) {
                throw new IllegalStateException(key + " must be a whole number, not '" + value + "'");
            }
        }
    }
}
