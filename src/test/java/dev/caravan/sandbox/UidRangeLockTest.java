package dev.caravan.sandbox;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Two engines never run as the same uids, in one process or in two. */
class UidRangeLockTest {

    private static final int BASE = SharedEngine.SETTINGS.uidBase();

    @Test
    void aSecondEngineInThisProcessTakesAnotherIndexAndLeavesTheFirstOneHeld() throws Exception {
        try (UidRangeLock first = UidRangeLock.acquire(BASE, -1); UidRangeLock second = UidRangeLock.acquire(BASE, -1)) {
            assertNotEquals(first.index(), second.index());
            assertThrows(IllegalStateException.class, () -> UidRangeLock.acquire(BASE, first.index()).close());
            // still locked against every other process after this one's failed attempt on the same file
            Process other = new ProcessBuilder("/usr/bin/python3", "-c",
                    "import fcntl, sys\nf = open(sys.argv[1], 'w')\nfcntl.lockf(f, fcntl.LOCK_EX | fcntl.LOCK_NB)",
                    first.file().toString()).start();
            assertTrue(other.waitFor(30, TimeUnit.SECONDS));
            assertNotEquals(0, other.exitValue(), "another process could take the first engine's uids");
        }
    }
}
