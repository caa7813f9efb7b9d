package dev.caravan.sandbox;

import dev.caravan.contract.SourceFile;
import dev.caravan.engine.EngineFailure;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one writable directory of a job, mounted as /box in the sandbox and owned by its slot's user. Closing it
 * removes it with everything the program left there, at any depth; the walk never follows symbolic links, so a link
 * the program planted to a worker file removes the link, not the file.
 */
final class JobDirectory implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(JobDirectory.class);
    private static final AtomicLong JOBS = new AtomicLong();

    private final Path path;
    private final SandboxUser user;

    private JobDirectory(Path path, SandboxUser user) {
        this.path = path;
        this.user = user;
    }

    /**
     * The parent of this worker's job directories: mode 0711, so that the sandbox uid can reach its own job
     * directory by name but cannot list the others.
     */
    static Path createRoot(Path workRoot) {
        try {
            Files.createDirectories(workRoot);
            // the worker's pid in the name lets a later worker recognise and clear what a dead one left behind
            Path root = Files.createTempDirectory(workRoot, "caravan-" + ProcessHandle.current().pid() + "-",
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

    /**
     * A new job directory under {@code root}, removed when closed (the start-up probe's).
     *
     * @see #prepare
     */
    static JobDirectory create(Path root, SandboxUser user, int compilerGroup) {
        Path dir = root.resolve("job-" + JOBS.incrementAndGet() + "-" + Long.toHexString(System.nanoTime()));
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            throw new EngineFailure("cannot create job directory " + dir + ": " + e.getMessage(), e);
        }
        return prepare(dir, user, compilerGroup);
    }

    /**
     * Makes the existing folder {@code dir} a job directory: owned by {@code user}, group {@code compilerGroup} (the
     * warm compiler's gid, which compiles there), mode 2770 so that what either writes keeps that group. Nobody else,
     * other slots' users included, can enter it. A slot's job directory is always the same folder (its sandbox has it
     * at /box), emptied between jobs; the program owns it and may have changed its mode, which this puts back.
     *
     * @throws EngineFailure when the owner or mode cannot be set
     */
    static JobDirectory prepare(Path dir, SandboxUser user, int compilerGroup) {
        try {
            Files.setAttribute(dir, "unix:uid", user.uid(), LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(dir, "unix:gid", compilerGroup, LinkOption.NOFOLLOW_LINKS);
            // setgid (02000) is beyond PosixFilePermissions: set the whole mode
            Files.setAttribute(dir, "unix:mode", 02770, LinkOption.NOFOLLOW_LINKS);
            return new JobDirectory(dir, user);
        } catch (IOException | UnsupportedOperationException e) {
            throw new EngineFailure("cannot prepare job directory " + dir + ": " + e.getMessage(), e);
        }
    }

    Path path() {
        return path;
    }

    /** The user the job's programs run as, who owns the directory. */
    SandboxUser user() {
        return user;
    }

    /** Writes the submitted source, readable by the sandbox uid. */
    void write(String fileName, String content) {
        try {
            Files.writeString(path.resolve(fileName), content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new EngineFailure("cannot write " + fileName + " into " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes the files of a multi-file program beside the main one, readable by the sandbox uid. Their names were
     * checked at the edge (plain names, none the main file's); CREATE_NEW still keeps any from replacing a file here.
     */
    void writeBeside(List<SourceFile> files) {
        for (SourceFile file : files) {
            try {
                Files.write(path.resolve(file.name()), file.bytes(), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            } catch (IOException | IllegalArgumentException e) {
                throw new EngineFailure("cannot write " + file.name() + " into " + path + ": " + e.getMessage(), e);
            }
        }
    }

    @Override
    public void close() {
        remove();
    }

    /** Removes the directory and all in it; false (logged) when something is left. */
    boolean remove() {
        return deleteTree(path);
    }

    /**
     * Removes everything in the directory, at any depth, and keeps the directory itself, in the same way as
     * {@link #deleteTree}.
     *
     * @return true when it is empty; false (logged) when something could not be removed
     */
    boolean empty() {
        try (DirectoryStream<Path> parent = Files.newDirectoryStream(path.getParent())) {
            deleteContents(secure(parent), path.getFileName());
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.error("could not empty job directory {}: {}", path, e.toString());
            return false;
        }
    }

    private static SecureDirectoryStream<Path> secure(DirectoryStream<Path> stream) throws IOException {
        if (!(stream instanceof SecureDirectoryStream<Path> secureStream)) {
            throw new IOException("this platform has no descriptor-relative directory access");
        }
        return secureStream;
    }

    /**
     * Removes {@code dir} and everything in it with descriptor-relative calls (openat/unlinkat through a
     * {@link SecureDirectoryStream}): no path is ever resolved from the root, so a tree deeper than PATH_MAX, folders of
     * mode 000, FIFOs, sockets and symbolic-link loops are all removed, and no link is followed out of the tree. The
     * walk is iterative (one open descriptor per level), so depth costs no stack.
     *
     * @return true when nothing of {@code dir} is left; false (logged) when something could not be removed
     */
    static boolean deleteTree(Path dir) {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return true;
        }
        try (DirectoryStream<Path> parent = Files.newDirectoryStream(dir.getParent())) {
            SecureDirectoryStream<Path> secureParent = secure(parent);
            Path name = dir.getFileName();
            if (isDirectory(secureParent, name)) {
                deleteContents(secureParent, name);
                secureParent.deleteDirectory(name);
            } else {
                secureParent.deleteFile(name);
            }
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.error("could not remove job directory {}: {}", dir, e.toString());
            return false;
        }
    }

    /** One open directory of the walk, the names it held when opened, and its own name in its parent. */
    private record Level(SecureDirectoryStream<Path> stream, Iterator<Path> names, Path nameInParent) {
    }

    private static void deleteContents(SecureDirectoryStream<Path> parent, Path name) throws IOException {
        Deque<Level> levels = new ArrayDeque<>();
        try {
            levels.push(open(parent, name, null));
            while (!levels.isEmpty()) {
                Level level = levels.peek();
                if (level.names().hasNext()) {
                    Path entry = level.names().next();
                    if (isDirectory(level.stream(), entry)) {
                        levels.push(open(level.stream(), entry, entry));
                    } else {
                        level.stream().deleteFile(entry);
                    }
                } else {
                    levels.pop().stream().close();
                    if (level.nameInParent() != null) {
                        levels.peek().stream().deleteDirectory(level.nameInParent());
                    }
                }
            }
        } finally {
            for (Level level : levels) {
                level.stream().close();
            }
        }
    }

    private static Level open(SecureDirectoryStream<Path> parent, Path name, Path nameInParent) throws IOException {
        SecureDirectoryStream<Path> stream = parent.newDirectoryStream(name, LinkOption.NOFOLLOW_LINKS);
        // names first, removal after: unlinking while reading a directory may make readdir skip entries
        List<Path> names = new ArrayList<>();
        for (Path entry : stream) {
            names.add(entry.getFileName());
        }
        return new Level(stream, names.iterator(), nameInParent);
    }

    private static boolean isDirectory(SecureDirectoryStream<Path> parent, Path name) throws IOException {
        return parent.getFileAttributeView(name, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                .readAttributes().isDirectory();
    }
}
