package dev.caravan.sandbox;

import static dev.caravan.sandbox.SharedEngine.expect;
import static dev.caravan.sandbox.SharedEngine.source;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.caravan.contract.ExecuteResult;
import dev.caravan.contract.Job;
import dev.caravan.contract.Status;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A pooled slot runs job after job in one sandbox: nothing one job leaves there — files in /tmp or the job
 * directory, SysV and POSIX IPC objects, environment, processes — can be seen by the next. One slot, so that the
 * second job surely gets the first one's sandbox.
 */
class SlotReuseTest {

    private static SandboxedEngine oneSlot;

    @BeforeAll
    static void start() {
        oneSlot = SandboxedEngine.create(SharedEngine.settings("caravan.worker.concurrency", "1",
                "caravan.compile.warm-javac", "false"));
    }

    @AfterAll
    static void stop() {
        oneSlot.close();
    }

    @Test
    void nothingOfOneJobReachesTheNextInTheSameSlot() {
        for (int round = 0; round < 2; round++) {
            assertEquals(Status.ACCEPTED, run(source("hostile/leave_traces.py"), "left: 4 of 4\n").status());
            ExecuteResult next = run(source("hostile/find_traces.py"), "found: nothing\n");
            assertEquals(Status.ACCEPTED, next.status(), next::toString);
        }
    }

    /** Within one job, a test's leftover processes are gone before the next test starts. */
    @Test
    void aTestsProcessesEndWithIt() {
        String code = "import os, sys\nif sys.stdin.readline().strip() == 'first':\n"
                + "    if os.fork() == 0:\n        os.setsid(); os.execvp('sleep', ['sleep', '600'])\n"
                + "    print('forked')\n"
                + "else:\n    print('processes:', len([p for p in os.listdir('/proc') if p.isdigit()]))\n";
        ExecuteResult result = oneSlot.execute(new Job(UUID.randomUUID().toString(), "python", code,
                List.of(expect("first\n", "forked\n"), expect("second\n", "processes: 1\n")), SharedEngine.LIMITS),
                SharedEngine.noHurry());
        assertEquals(Status.ACCEPTED, result.status(), result::toString);
    }

    private static ExecuteResult run(String code, String expected) {
        return oneSlot.execute(new Job(UUID.randomUUID().toString(), "python", code, List.of(expect("", expected)),
                SharedEngine.LIMITS), SharedEngine.noHurry());
    }
}
