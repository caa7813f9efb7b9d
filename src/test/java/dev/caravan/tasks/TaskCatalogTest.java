package dev.caravan.tasks;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.caravan.contract.TaskRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Task types as data: the schema subset, whole-argument substitution, defaults, and reloading the file. */
class TaskCatalogTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TRAIN = """
            tasks:
              - id: train
                command: [/usr/bin/python3, /srv/train.py, --epochs, "{epochs}", --lr, "{lr}", --name, "{name}"]
                params:
                  epochs: {type: integer, minimum: 1, maximum: 1000, default: 10}
                  lr: {type: number, minimum: 0, maximum: 1, default: 0.001}
                  name: {type: string, pattern: "^[a-z ;-]+$", default: run}
                resources: {gpus: 1}
                timeout: 6h
                max_attempts: 3
            """;

    @TempDir
    Path dir;

    private TaskCatalog catalog(String yaml) throws IOException {
        Path file = dir.resolve("tasks.yaml");
        Files.writeString(file, yaml);
        return TaskCatalog.load(file);
    }

    private static JsonNode params(String json) throws IOException {
        return JSON.readTree(json);
    }

    @Test
    void defaultsFillTheCommandAndEachParamIsOneWholeArgument() throws Exception {
        TaskRun task = catalog(TRAIN).task("train", params("{\"epochs\":3,\"name\":\"a b; rm -rf --x\"}"));
        assertEquals(List.of("/usr/bin/python3", "/srv/train.py", "--epochs", "3", "--lr", "0.001", "--name",
                "a b; rm -rf --x"), task.command());
        assertEquals(1, task.gpus());
        assertEquals(6 * 3600_000L, task.timeoutMs());
        assertEquals(3, task.maxAttempts());
        assertTrue(task.sandbox());
        assertEquals(catalog(TRAIN).task("train", null).command().get(3), "10");
    }

    @Test
    void anInvalidParamIsNamed() throws Exception {
        TaskCatalog catalog = catalog(TRAIN);
        assertEquals("epochs", assertThrows(InvalidParamException.class,
                () -> catalog.task("train", params("{\"epochs\":0}"))).param());
        assertEquals("epochs", assertThrows(InvalidParamException.class,
                () -> catalog.task("train", params("{\"epochs\":1.5}"))).param());
        assertEquals("lr", assertThrows(InvalidParamException.class,
                () -> catalog.task("train", params("{\"lr\":\"fast\"}"))).param());
        assertEquals("name", assertThrows(InvalidParamException.class,
                () -> catalog.task("train", params("{\"name\":\"UPPER\"}"))).param());
        InvalidParamException unknown = assertThrows(InvalidParamException.class,
                () -> catalog.task("train", params("{\"extra\":1}")));
        assertEquals("extra", unknown.param(), unknown.getMessage());
        assertEquals("param extra: property 'extra' is not defined in the schema and the schema does not allow additional"
                + " properties", unknown.getMessage());
        assertEquals("param epochs: must have a minimum value of 1", assertThrows(InvalidParamException.class,
                () -> catalog.task("train", params("{\"epochs\":0}"))).getMessage());
        assertThrows(InvalidParamException.class, () -> catalog.task("train", params("[1]")));
    }

    @Test
    void anUnknownTypeIsRefused() throws Exception {
        assertThrows(TaskCatalog.UnknownTaskTypeException.class, () -> catalog(TRAIN).task("nope", null));
    }

    @Test
    void aBrokenTypeIsRefusedNamingWhatIsWrong() {
        String mixed = TRAIN.replace("\"{epochs}\"", "\"--epochs={epochs}\"");
        assertTrue(assertThrows(IllegalStateException.class, () -> catalog(mixed)).getMessage().contains("whole argument"));
        String unchecked = TRAIN.replace("default: 10}", "default: 10, format: int32}");
        assertTrue(assertThrows(IllegalStateException.class, () -> catalog(unchecked)).getMessage().contains("may use only"));
        String badDefault = TRAIN.replace("default: 10}", "default: 0}");
        assertTrue(assertThrows(IllegalStateException.class, () -> catalog(badDefault)).getMessage().contains("default"));
        String shell = TRAIN.replace("[/usr/bin/python3,", "[python3,");
        assertTrue(assertThrows(IllegalStateException.class, () -> catalog(shell)).getMessage().contains("absolute path"));
    }

    @Test
    void aChangedFileIsReadAgainAndABrokenOneKeepsThePreviousTypes() throws Exception {
        TaskCatalog catalog = catalog(TRAIN);
        Path file = dir.resolve("tasks.yaml");
        Files.writeString(file, TRAIN.replace("id: train", "id: fit"));
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
        await().atMost(Duration.ofSeconds(10)).until(() -> catalog.types().stream().map(TaskType::id).toList(),
                equalTo(List.of("fit")));

        Files.writeString(file, "tasks: [ {id: broken");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(10)));
        // the broken file is looked at once the recheck interval has passed, and leaves the types as they were
        await().pollDelay(Duration.ofMillis(TaskCatalog.RECHECK_MS * 2)).atMost(Duration.ofSeconds(10))
                .until(() -> catalog.types().stream().map(TaskType::id).toList(), equalTo(List.of("fit")));
    }

    @Test
    void theShippedFileLoads() {
        TaskCatalog shipped = TaskCatalog.load(Path.of("config/tasks.yaml"));
        assertEquals(List.of("train", "pause"), shipped.types().stream().map(TaskType::id).toList());
    }

    @Test
    void nvidiaSmiListingGivesTheIndexes() {
        assertEquals(List.of(0, 1), GpuSlots.parse("GPU 0: NVIDIA H200 (UUID: GPU-1)\nGPU 1: NVIDIA H200 (UUID: GPU-2)\n"));
        assertEquals(List.of(), GpuSlots.parse("NVIDIA-SMI has failed because it couldn't communicate with the driver"));
    }
}
