package dev.caravan.sandbox;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A slot's reset cannot be beaten: what a program shaped to defeat removal left in the job directory goes all the same, a process of
 * the slot's uid left anywhere on the host is killed, and the home is a quota-bound tmpfs.
 */
class SandboxSlotTest {

    @TempDir
    Path temp;

    private UidRangeLock uids;
    private EngineSettings settings;
    private SandboxSlot slot;

    @BeforeEach
    void openSlot() throws IOException {
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwx--x--x"));
        uids = UidRangeLock.acquire(SharedEngine.SETTINGS.uidBase(), -1);
        settings = SharedEngine.settings("caravan.sandbox.job-dir-size-mb", "4", "caravan.sandbox.job-dir-inodes", "200")
                .withWorkerIndex(uids.index());
        slot = SandboxSlot.open(0, settings, temp, null, null);
    }

    @AfterEach
    void closeSlot() {
        slot.close();
        uids.close();
    }

    /** Deeper than PATH_MAX, a mode-000 folder, a FIFO, a socket and a symbolic-link loop: all removed. */
    @Test
    void jobDirectoryShapedToDefeatRemovalIsRemovedAllTheSame() throws IOException, InterruptedException {
        JobDirectory dir = slot.newJobDirectory(settings.compilerUser().gid());
        // 30 x 251 characters: twice PATH_MAX, made as a program would, one relative mkdir and chdir at a time
        Process deep = new ProcessBuilder("/usr/bin/python3", "-c", "import os\nfor _ in range(30):\n"
                + "    os.mkdir('d' * 250)\n    os.chdir('d' * 250)\nopen('file', 'w').write('bottom')\n")
                .directory(dir.path().toFile()).start();
        assertTrue(deep.waitFor(30, TimeUnit.SECONDS) && deep.exitValue() == 0, "could not make the deep tree");
        Path locked = Files.createDirectory(dir.path().resolve("locked"));
        Files.writeString(locked.resolve("inside"), "x");
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
        Process fifo = new ProcessBuilder("mkfifo", dir.path().resolve("fifo").toString()).start();
        assertTrue(fifo.waitFor(10, TimeUnit.SECONDS) && fifo.exitValue() == 0);
        try (var socket = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            socket.bind(java.net.UnixDomainSocketAddress.of(dir.path().resolve("socket")));
        }
        Files.createSymbolicLink(dir.path().resolve("loop-a"), dir.path().resolve("loop-b"));
        Files.createSymbolicLink(dir.path().resolve("loop-b"), dir.path().resolve("loop-a"));
        Files.createSymbolicLink(dir.path().resolve("up"), dir.path().getParent());

        assertTrue(slot.reset(dir));
        try (var left = Files.list(dir.path())) {
            assertEquals(List.of(), left.toList());
        }
        assertTrue(Files.isDirectory(temp.resolve("slot-0")), "the link out of the directory was followed");
    }

    @Test
    void aProcessOfTheSlotsUserLeftOnTheHostIsKilledByTheReset() throws IOException {
        SandboxUser user = slot.user();
        Process straggler = new ProcessBuilder("/usr/bin/setpriv", "--reuid=" + user.uid(), "--regid=" + user.gid(),
                "--clear-groups", "/usr/bin/sleep", "600").start();
        // setpriv switches to the slot's uid a moment after it starts
        await().atMost(Duration.ofSeconds(10)).until(() -> UserProcesses.of(user.uid()).equals(List.of(straggler.pid())));
        assertTrue(slot.reset(slot.newJobDirectory(settings.compilerUser().gid())));
        assertFalse(straggler.isAlive());
    }

    /** A worker killed with SIGKILL leaves its slots' tmpfs mounts (memory) and folders; the next one clears them. */
    @Test
    void whatADeadWorkerLeftIsClearedByTheNextOne() throws Exception {
        Process gone = new ProcessBuilder("/bin/true").start();
        assertTrue(gone.waitFor(10, TimeUnit.SECONDS));
        Path deadRoot = temp.resolve("caravan-" + gone.pid() + "-42");
        Path deadHome = Files.createDirectories(deadRoot.resolve("slot-0"));
        Process mount = new ProcessBuilder("/bin/mount", "-t", "tmpfs", "-o", "size=1m", "caravan-slot", deadHome.toString()).start();
        assertTrue(mount.waitFor(30, TimeUnit.SECONDS) && mount.exitValue() == 0, "cannot mount a tmpfs");
        Files.writeString(deadHome.resolve("left-behind"), "x");
        assertTrue(mounted(deadHome));

        SandboxSlot.removeStale(temp);

        assertFalse(mounted(deadHome), "the dead worker's tmpfs is still mounted");
        assertFalse(Files.exists(deadRoot), "the dead worker's folder is still there");
        assertTrue(mounted(temp.resolve("slot-0")), "the live slot's tmpfs was unmounted");
    }

    private static boolean mounted(Path mountPoint) throws IOException {
        return Files.readAllLines(Path.of("/proc/self/mounts")).stream().anyMatch(line -> line.contains(" " + mountPoint + " "));
    }

    @Test
    void jobDirectoriesHaveASizeAndInodeQuota() throws IOException {
        assertTrue(slot.hasQuota(), "no tmpfs could be mounted for the slot");
        JobDirectory dir = slot.newJobDirectory(settings.compilerUser().gid());
        byte[] megabyte = "x".repeat(1 << 20).getBytes(StandardCharsets.US_ASCII);
        IOException full = org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () -> {
            for (int i = 0; i < 8; i++) {
                Files.write(dir.path().resolve("big-" + i), megabyte);
            }
        });
        assertTrue(full.getMessage().contains("No space left"), full::toString);
        assertTrue(slot.reset(dir));
        JobDirectory next = slot.newJobDirectory(settings.compilerUser().gid());
        IOException noInodes = org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () -> {
            for (int i = 0; i < 400; i++) {
                Files.createFile(next.path().resolve("f-" + i));
            }
        });
        assertTrue(noInodes.getMessage().contains("No space left"), noInodes::toString);
        assertTrue(slot.reset(next));
    }
}
