package dev.caravan.sandbox;

import static dev.caravan.sandbox.SharedEngine.expect;
import static dev.caravan.sandbox.SharedEngine.input;
import static dev.caravan.sandbox.SharedEngine.source;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caravan.contract.ExecuteResult;
import dev.caravan.contract.Status;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * A compile bomb holds the warm javac up to the compile time limit (10 s in these tests): it must cost its own job
 * and nothing else. Other jobs, Java ones included, run meanwhile as if it were not there; before, a Java job waited
 * for the compiler holding its worker slot, and every job behind it waited for that slot.
 */
class CompileIsolationTest {

    private static final String SEVEN = "public class Main { public static void main(String[] a) { System.out.println(7); } }";
    private static final String FORTY_TWO = "print(6 * 7)";

    private record Timed(ExecuteResult result, long ms) {

        static Timed of(Supplier<ExecuteResult> job) {
            long started = System.nanoTime();
            ExecuteResult result = job.get();
            return new Timed(result, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        }
    }

    @Test
    void aCompileBombDelaysNeitherAPythonJobNorAnotherJavaCompile() {
        WarmJavac warm = SharedEngine.get().warmJavac();
        // a hostile test before this one may have had the server killed: let its restart finish
        await().atMost(Duration.ofSeconds(60)).until(warm::idle);
        Timed pythonAlone = Timed.of(() -> SharedEngine.run("python", FORTY_TWO, expect("", "42\n")));

        CompletableFuture<ExecuteResult> bomb = CompletableFuture.supplyAsync(
                () -> SharedEngine.run("java", source("hostile/InferenceBomb.java"), input("")));
        await().atMost(Duration.ofSeconds(10)).until(() -> !warm.idle());
        // one after the other, so that one more job than the bomb's is running at any time: a worker with two slots
        // runs them beside the bomb just like this
        Timed pythonBesideTheBomb = Timed.of(() -> SharedEngine.run("python", FORTY_TWO, expect("", "42\n")));
        assertEquals(Status.ACCEPTED, pythonBesideTheBomb.result().status(), pythonBesideTheBomb::toString);
        assertTrue(pythonBesideTheBomb.ms() - pythonAlone.ms() < 1000,
                () -> "python took " + pythonBesideTheBomb.ms() + " ms beside the bomb, " + pythonAlone.ms() + " ms alone");
        Timed javaBesideTheBomb = Timed.of(() -> SharedEngine.run("java", SEVEN, expect("", "7\n")));
        assertEquals(Status.ACCEPTED, javaBesideTheBomb.result().status(), javaBesideTheBomb::toString);
        assertFalse(bomb.isDone(), () -> "the Java job waited for the bomb: " + javaBesideTheBomb.ms() + " ms");

        ExecuteResult bombed = bomb.orTimeout(60, TimeUnit.SECONDS).join();
        assertEquals(Status.COMPILATION_ERROR, bombed.status(), bombed::toString);
        assertTrue(bombed.compile().output().startsWith("compile time limit exceeded"), bombed.compile()::output);
        // the killed server comes back by itself, so the next Java job is warm again
        await().atMost(Duration.ofSeconds(60)).until(warm::idle);
    }
}
