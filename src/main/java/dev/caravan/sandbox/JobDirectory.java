package dev.caravan.sandbox;

import dev.caravan.engine.EngineFailure;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one writable directory of a job, mounted as /box in the sandbox and owned by the sandbox uid. Closing it
 * removes it with everything the program left there; the walk never follows symbolic links, so a link the
 * program planted to a worker file removes the link, not the file.
 */
final class JobDirectory implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(JobDirectory.class);
    private static final AtomicLong JOBS = new AtomicLong();

    private final Path path;

    private JobDirectory(Path path) {
        this.path = path;
    }

    /**
     * The parent of this worker's job directories: mode 0711, so that the sandbox uid can reach its own job
     * directory by name but cannot list the others.
     */
    static Path createRoot(Path workRoot) {
        try {
            Files.createDirectories(workRoot);
            Path root = Files.createTempDirectory(workRoot, "caravan-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx--x--x"));
            return root;
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the work directory under " + workRoot
                    + " (caravan.sandbox.work-dir): " + e.getMessage(), e);
        }
    }

    /** A directory of the worker's own under the root (mode 0700, root's): the sandbox uid cannot enter it. */
    static Path createPrivate(Path dir) {
        try {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            return dir;
        } catch (IOException e) {
            throw new IllegalStateException("cannot create " + dir + ": " + e.getMessage(), e);
        }
    }

    static JobDirectory create(Path root, int uid, int gid) {
        Path dir = root.resolve("job-" + JOBS.incrementAndGet() + "-" + Long.toHexString(System.nanoTime()));
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Files.setAttribute(dir, "unix:uid", uid);
            Files.setAttribute(dir, "unix:gid", gid);
            return new JobDirectory(dir);
        } catch (IOException | UnsupportedOperationException e) {
            deleteTree(dir);
            throw new EngineFailure("cannot create job directory " + dir + ": " + e.getMessage(), e);
        }
    }

    Path path() {
        return path;
    }

    /** Writes the submitted source, readable by the sandbox uid. */
    void write(String fileName, String content) {
        try {
            Files.writeString(path.resolve(fileName), content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new EngineFailure("cannot write " + fileName + " into " + path + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        deleteTree(path);
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path directory, IOException failure) throws IOException {
                    Files.delete(directory);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            LOG.error("could not remove job directory {}: {}", dir, e.getMessage());
        }
    }
}
