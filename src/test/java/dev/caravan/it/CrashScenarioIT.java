package dev.caravan.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.caravan.load.JobLoad;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The classic crash scenario under the real supervisord: workers halt in the middle of 5% of their jobs and
 * supervisord restarts them; every job is still answered.
 */
class CrashScenarioIT {

    private static final int JOBS = 150;
    /** Jobs take a while, so a restarted worker rarely crashes inside supervisord's start window (startsecs). */
    private static final String JOB = "{\"language\":\"python\",\"code\":\"import time; time.sleep(0.1); print(1)\"}";
    private static final Pattern CRASH = Pattern.compile("Injected crash");

    @TempDir
    Path runDir;

    @Test
    void everyJobIsAnsweredWhileWorkersCrashAndAreRestarted() {
        try (TestTopology topology = new TestTopology()) {
            LocalDeployment deployment = new LocalDeployment(runDir, topology, 2, Map.of(
                    "caravan.chaos.crash-rate", "0.05", "caravan.worker.concurrency", "1",
                    "caravan.execute.wait-timeout", "90s"));
            try {
                deployment.start();
                JobLoad.Tally tally = JobLoad.run("http://localhost:" + deployment.apiPort(), JOBS, 2, JOB, done -> { });
                Matcher crashes = CRASH.matcher(deployment.workerLogs());
                int crashed = 0;
                while (crashes.find()) {
                    crashed++;
                }
                System.out.println("crash scenario: " + tally.line() + " worker_crashes=" + crashed);
                assertEquals(JOBS, tally.answered(), tally.line());
            } finally {
                deployment.stop();
            }
        }
    }
}
