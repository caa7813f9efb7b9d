package dev.caravan.sandbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds one of the sandbox's small C helpers ({@link NativeLauncher}, the slot supervisor of {@link SlotSandbox})
 * with the host's gcc when the engine starts: built where it runs, it needs no per-platform binary in the jar.
 */
final class GccBuild {

    private static final Logger LOG = LoggerFactory.getLogger(GccBuild.class);
    private static final Path GCC = Path.of("/usr/bin/gcc");

    private GccBuild() {
    }

    /**
     * @param otherwise what the engine does without the binary, for the warning
     * @return the executable {@code dir/name}; empty (with a warning naming {@code otherwise}) when it cannot be built
     */
    static Optional<Path> build(Path dir, String name, String source, String otherwise) {
        if (!Files.isExecutable(GCC)) {
            LOG.warn("no /usr/bin/gcc to build {}: {}", name, otherwise);
            return Optional.empty();
        }
        try {
            Files.createDirectories(dir);
            Path sourceFile = dir.resolve(name + ".c");
            Path binary = dir.resolve(name);
            Files.writeString(sourceFile, source, StandardCharsets.UTF_8);
            Process gcc = new ProcessBuilder(GCC.toString(), "-O2", "-Wall", "-o", binary.toString(), sourceFile.toString())
                    .redirectErrorStream(true).start();
            String output = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!gcc.waitFor(60, TimeUnit.SECONDS) || gcc.exitValue() != 0) {
                LOG.warn("cannot build {}, {}: {}", name, otherwise, output);
                return Optional.empty();
            }
            Files.setPosixFilePermissions(binary, PosixFilePermissions.fromString("rwxr-xr-x"));
            return Optional.of(binary);
        } catch (IOException e) {
            LOG.warn("cannot build {}, {}: {}", name, otherwise, e.getMessage());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
