package dev.caravan.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caravan.load.TaskScenario;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The training-queue scenarios of the system Caravan replaces, at its scale: 100 tasks sent 0.1 s apart to one worker
 * with 4 declared GPU slots, under the real supervisord, (1) plain, (2) with 20% of runs failing, (3) with the worker
 * halting in 5% of runs and supervisord restarting it. Printed and checked by arithmetic (see {@link TaskScenario}).
 */
class TaskScenariosIT {

    private static final int TASKS = 100;
    private static final Path TYPES = Path.of("scripts", "scenarios", "stand-in-tasks.yaml").toAbsolutePath();

    @TempDir
    Path plainRunDir;

    @TempDir
    Path crashRunDir;

    private static Map<String, String> settings(String crashRate) {
        return Map.of("caravan.tasks.file", TYPES.toString(), "caravan.worker.gpus", "0,1,2,3",
                "caravan.worker.cpu-tasks", "0", "caravan.worker.judge-jobs", "false", "caravan.worker.concurrency", "1",
                "caravan.chaos.crash-rate", crashRate);
    }

    private static TaskScenario.Arithmetic scenario(String name, LocalDeployment deployment, double failRate) throws Exception {
        TaskScenario.Arithmetic result = TaskScenario.run("http://localhost:" + deployment.apiPort(), TASKS, failRate,
                Duration.ofMinutes(3), () -> List.of(deployment.workerLogs().split("\n")));
        System.out.println("task scenario " + name + ": " + result.line());
        assertEquals(TASKS, result.sent(), result.line());
        assertEquals(0, result.lost(), result.line());
        assertEquals(TASKS, result.completed() + result.deadLettered(), result.line());
        assertEquals(0, result.onTwoGpusAtOnce(), result.line());
        assertEquals(1, result.mostAtOncePerGpu(), result.line());
        return result;
    }

    @Test
    void plainAndFailingTasks() throws Exception {
        try (TestTopology topology = new TestTopology()) {
            LocalDeployment deployment = new LocalDeployment(plainRunDir, topology, 1, settings("0"));
            try {
                deployment.start();
                TaskScenario.Arithmetic plain = scenario("1 plain", deployment, 0);
                assertEquals(TASKS, plain.done(), plain.line());
                TaskScenario.Arithmetic failing = scenario("2 20% fail", deployment, 0.2);
                assertTrue(failing.retried() > 0, failing.line());
            } finally {
                deployment.stop();
            }
        }
    }

    @Test
    void tasksThatKillTheirWorker() throws Exception {
        try (TestTopology topology = new TestTopology()) {
            LocalDeployment deployment = new LocalDeployment(crashRunDir, topology, 1, settings("0.05"));
            try {
                deployment.start();
                TaskScenario.Arithmetic crashing = scenario("3 5% kill their worker", deployment, 0);
                assertTrue(crashing.crashes() > 0, crashing.line());
            } finally {
                deployment.stop();
            }
        }
    }
}
