package dev.caravan.compat.piston;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.caravan.compat.piston.PistonRequestMapper.PistonCall;
import dev.caravan.compat.piston.PistonRequestMapper.StageMaxima;
import dev.caravan.contract.ExecuteRequest;
import dev.caravan.contract.Limits;
import dev.caravan.contract.SourceFile;
import dev.caravan.engine.Language;
import dev.caravan.ingress.ApiException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class PistonRequestMapperTest {

    private static final PistonRuntimes RUNTIMES = new PistonRuntimes(List.of(
            new Language("python", "Python", "3.11.7", false, "main.py", List.of("python", "py", "python3"), 16, null),
            new Language("cpp", "C++", "12.2.0", true, "main.cpp", List.of("c++", "cpp", "g++"), 16, null),
            new Language("java", "Java", "17.0.13+11", true, "Main.java", List.of("java"), 16, null),
            new Language("cobol", "COBOL", "3.1", true, "main.cob", List.of(), 16, null)));
    private static final PistonRequestMapper MAPPER = new PistonRequestMapper(RUNTIMES,
            StageMaxima.of(20000, 10000, 512), StageMaxima.of(10000, 10000, 1024));

    private static PistonCall read(String json) {
        return MAPPER.read(json.getBytes(StandardCharsets.UTF_8));
    }

    private static void assertRefused(String json, String message) {
        ApiException refused = assertThrows(ApiException.class, () -> read(json));
        assertEquals(400, refused.httpStatus());
        assertEquals(message, refused.getMessage());
    }

    @Test
    void aRuntimeIsChosenByNameOrAliasAndSemverSelector() {
        assertEquals("cpp", read("{\"language\":\"g++\",\"version\":\"*\",\"files\":[{\"content\":\"x\"}]}")
                .request().language());
        assertEquals("c++", read("{\"language\":\"cpp\",\"version\":\"12.x\",\"files\":[{\"content\":\"x\"}]}")
                .runtime().language());
        assertEquals("java", read("{\"language\":\"java\",\"version\":\">=17\",\"files\":[{\"content\":\"x\"}]}")
                .runtime().language());
        assertRefused("{\"language\":\"python\",\"version\":\"2\",\"files\":[]}", "python-2 runtime is unknown");
        assertRefused("{\"language\":\"python\",\"version\":\"not a range!\",\"files\":[]}",
                "python-not a range! runtime is unknown");
        // a language without Piston names is not offered over Piston's API
        assertRefused("{\"language\":\"cobol\",\"version\":\"*\",\"files\":[]}", "cobol-* runtime is unknown");
        assertEquals(List.of("python", "c++", "java"), RUNTIMES.list().stream().map(PistonRuntime::language).toList());
    }

    @Test
    void theFirstUtf8FileIsTheMainOneAndNamelessFilesGetPistonsNames() {
        ExecuteRequest request = read("{\"language\":\"py\",\"version\":\"3\",\"stdin\":\"1 2\",\"args\":[\"a\",7],"
                + "\"files\":[{\"content\":\"AA==\",\"encoding\":\"base64\"},{\"name\":\"s.py\",\"content\":\"print(1)\"},"
                + "{\"content\":\"x\",\"encoding\":\"utf16\"}]}").request();
        assertEquals(List.of(new SourceFile("s.py", "print(1)", "utf8"), new SourceFile("file0.code", "AA==", "base64"),
                new SourceFile("file2.code", "x", "utf8")), request.files());
        assertNull(request.code());
        assertEquals(List.of("a", "7"), request.args());
        assertEquals("1 2\n", request.tests().get(0).input());
        assertEquals(new Limits(null, null, null, null), request.limits());
    }

    @Test
    void runLimitsBecomeTheJobsLimitsAndMinusOneMemoryIsTheMaximum() {
        Limits limits = read("{\"language\":\"python\",\"version\":\"*\",\"files\":[{\"content\":\"x\"}],"
                + "\"run_timeout\":3000,\"run_cpu_time\":1500.5,\"run_memory_limit\":-1,"
                + "\"compile_timeout\":10000,\"compile_memory_limit\":-1}").request().limits();
        assertEquals(new Limits(1501, 3000, 1024, null), limits);
        assertEquals(2, read("{\"language\":\"python\",\"version\":\"*\",\"files\":[{\"content\":\"x\"}],"
                + "\"run_memory_limit\":1048577}").request().limits().memoryMb());
    }

    @Test
    void refusalsFollowPistonsOrderAndWords() {
        assertRefused("{\"version\":\"*\"}", "language is required as a string");
        assertRefused("{\"language\":\"python\",\"version\":3}", "version is required as a string");
        assertRefused("{\"language\":\"python\",\"version\":\"*\",\"files\":{}}", "files is required as an array");
        assertRefused("{\"language\":\"python\",\"version\":\"*\",\"files\":[{\"content\":1}]}",
                "files[0].content is required as a string");
        assertRefused("{\"language\":\"python\",\"version\":\"*\",\"files\":[{\"content\":\"x\",\"encoding\":\"hex\"}]}",
                "files must include at least one utf8 encoded file");
        String file = ",\"files\":[{\"content\":\"x\"}]";
        assertRefused("{\"language\":\"python\",\"version\":\"*\",\"compile_memory_limit\":1e12" + file + "}",
                "compile_memory_limit cannot exceed the configured limit of 536870912");
        assertRefused("{\"language\":\"python\",\"version\":\"*\",\"run_timeout\":10001" + file + "}",
                "run_timeout cannot exceed the configured limit of 10000");
        assertRefused("{\"language\":\"python\",\"version\":\"*\",\"run_timeout\":-1" + file + "}",
                "run_timeout must be non-negative");
        assertRefused("{\"language\":\"python\",\"version\":\"*\",\"run_cpu_time\":\"1\"" + file + "}",
                "If specified, run_cpu_time must be a number");
        assertRefused("{\"language\":\"python\",\"version\":\"*\",\"args\":\"1 2\"" + file + "}",
                "If specified, args must be an array of strings");
        assertRefused("[]", "request body must be a JSON object");
    }
}
