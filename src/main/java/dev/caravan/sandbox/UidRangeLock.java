package dev.caravan.sandbox;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Holds a worker index (and so its range of sandbox uids) for this engine's lifetime, with a lock file per index in
 * {@code /run/lock} (else the temp folder): two workers on one host never run as the same uids, since each kills
 * every process of its slots' uids after a job. With {@code caravan.worker.index=auto} the first free index is
 * taken; an explicit index already held by another worker (or engine) refuses start-up.
 */
final class UidRangeLock implements AutoCloseable {

    private static final int MAX_AUTO_INDEX = 1000;
    /**
     * Lock files this JVM holds. A second channel must never be opened on one: POSIX record locks belong to the
     * process, and closing any descriptor of the file drops them all (FileChannel's documentation warns of it), which
     * would hand this engine's uids to another worker while its jobs still run.
     */
    private static final Set<Path> HELD_HERE = ConcurrentHashMap.newKeySet();

    private final int index;
    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private UidRangeLock(int index, Path file, FileChannel channel, FileLock lock) {
        this.index = index;
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * @param uidBase   {@code caravan.sandbox.uid-base}
     * @param requested the configured index, or -1 for the first free one
     * @throws IllegalStateException when the requested index is held by another worker, or none is free
     */
    static UidRangeLock acquire(int uidBase, int requested) {
        if (requested >= 0) {
            UidRangeLock lock = tryAcquire(uidBase, requested);
            if (lock == null) {
                throw new IllegalStateException("caravan.worker.index " + requested + " (sandbox uids from "
                        + (uidBase + requested * EngineSettings.UIDS_PER_WORKER) + ") is held by another worker on this host");
            }
            return lock;
        }
        for (int index = 0; index < MAX_AUTO_INDEX; index++) {
            UidRangeLock lock = tryAcquire(uidBase, index);
            if (lock != null) {
                return lock;
            }
        }
        throw new IllegalStateException("no free worker index below " + MAX_AUTO_INDEX + " for sandbox uids from " + uidBase);
    }

    private static UidRangeLock tryAcquire(int uidBase, int index) {
        Path file = directory().resolve("caravan-uids-" + uidBase + "-" + index + ".lock");
        if (!HELD_HERE.add(file)) {
            return null;   // another engine of this process holds it
        }
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock != null) {
                return new UidRangeLock(index, file, channel, lock);
            }
        } catch (IOException e) {
            closeQuietly(channel);
            HELD_HERE.remove(file);
            throw new IllegalStateException("cannot lock " + file + ": " + e.getMessage(), e);
        }
        closeQuietly(channel);   // held by another process; this process holds no lock on it to lose
        HELD_HERE.remove(file);
        return null;
    }

    private static Path directory() {
        Path runLock = Path.of("/run/lock");
        return Files.isDirectory(runLock) && Files.isWritable(runLock) ? runLock : Path.of(System.getProperty("java.io.tmpdir"));
    }

    int index() {
        return index;
    }

    /** The lock file, for tests that try it from another process. */
    Path file() {
        return file;
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel releases it as well
        }
        closeQuietly(channel);
        HELD_HERE.remove(file);
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing held on a closed channel
            }
        }
    }
}
