package dev.caravan.sandbox;

import dev.caravan.config.SettingsReader;
import java.nio.file.Path;

/**
 * Everything the engine needs from configuration, as plain values, read by {@link #read} from the same
 * properties as every other setting (defaults in application.properties).
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

    /** Reads the {@code caravan.sandbox.*}, {@code caravan.compile.*} and {@code caravan.languages.file} keys. */
    public static EngineSettings read(SettingsReader reader) {
        String workDir = reader.textOrEmpty("caravan.sandbox.work-dir");
        return new EngineSettings(
                Path.of(reader.text("caravan.languages.file")),
                reader.oneOf("caravan.sandbox", SandboxMode.class),
                reader.intAtLeast("caravan.sandbox.uid", 1),
                reader.intAtLeast("caravan.sandbox.gid", 1),
                Path.of(workDir.isEmpty() ? System.getProperty("java.io.tmpdir") : workDir),
                reader.intAtLeast("caravan.sandbox.file-size-kb", 1),
                reader.intAtLeast("caravan.sandbox.tmp-size-mb", 1),
                reader.intAtLeast("caravan.sandbox.open-files", 16),
                reader.intAtLeast("caravan.sandbox.nproc-backstop", 16),
                new CompileLimits(
                        reader.intAtLeast("caravan.compile.cpu-time-ms", 100),
                        reader.intAtLeast("caravan.compile.wall-time-ms", 100),
                        reader.intAtLeast("caravan.compile.memory-mb", 64),
                        reader.intAtLeast("caravan.compile.output-kb", 1),
                        reader.intAtLeast("caravan.compile.max-processes", 4)),
                reader.bool("caravan.compile.warm-javac"),
                reader.bool("caravan.sandbox.native-launcher"));
    }
}
