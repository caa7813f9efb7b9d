package dev.caravan.sandbox;

import static dev.caravan.sandbox.SharedEngine.expect;
import static dev.caravan.sandbox.SharedEngine.input;
import static dev.caravan.sandbox.SharedEngine.source;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caravan.contract.ExecuteResult;
import dev.caravan.contract.Limits;
import dev.caravan.contract.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Two jobs at once on one worker, one attacking what the kernel counts per host uid: each slot has its own uid, so
 * the attacker exhausts only its own slot's share and the neighbour's answer is right and on time.
 */
class NeighbourJobsTest {

    private static final String INOTIFY = "anon_inode:inotify";

    @Test
    void inotifyInstancesTakenByOneJobLeaveTheNeighboursIntact() {
        assertTrue(SharedEngine.get().slotCount() >= 2, "needs two slots");
        CompletableFuture<ExecuteResult> hog = CompletableFuture.supplyAsync(() -> SharedEngine.run("python",
                source("hostile/inotify_hog.py"), new Limits(30_000, 30_000, 128, 64), input("")));
        // the hog holds its uid's every instance: some process now has dozens of inotify descriptors
        await().atMost(Duration.ofSeconds(20)).until(() -> mostInotifyInstancesOfOneProcess() >= 30);

        long started = System.nanoTime();
        ExecuteResult neighbour = SharedEngine.run("python",
                "import ctypes\nfd = ctypes.CDLL(None).inotify_init1(0)\nprint('inotify ok' if fd >= 0 else 'refused')\n",
                expect("", "inotify ok\n"));
        long tookMs = (System.nanoTime() - started) / 1_000_000;
        assertEquals(Status.ACCEPTED, neighbour.status(), neighbour::toString);
        assertTrue(tookMs < 5000, () -> "the neighbour took " + tookMs + " ms");

        ExecuteResult attack = hog.join();
        String stdout = attack.tests().get(0).stdout();
        assertTrue(stdout.contains("refused"), () -> "the hog never reached its uid's limit: " + stdout);
    }

    private static long mostInotifyInstancesOfOneProcess() throws IOException {
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            return processes.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .mapToLong(NeighbourJobsTest::inotifyInstances).max().orElse(0);
        }
    }

    private static long inotifyInstances(Path process) {
        try (Stream<Path> fds = Files.list(process.resolve("fd"))) {
            return fds.filter(fd -> {
                try {
                    return INOTIFY.equals(Files.readSymbolicLink(fd).toString());
                } catch (IOException gone) {
                    return false;
                }
            }).count();
        } catch (IOException | java.io.UncheckedIOException gone) {
            return 0;
        }
    }
}
