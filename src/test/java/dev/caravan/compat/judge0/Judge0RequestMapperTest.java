package dev.caravan.compat.judge0;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.caravan.callbacks.CallbackAddressGuard;
import dev.caravan.contract.Callback;
import dev.caravan.contract.ExecuteRequest;
import dev.caravan.engine.Language;
import dev.caravan.ingress.ApiException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class Judge0RequestMapperTest {

    static final List<Language> LANGUAGES = List.of(new Language("python", "Python", "3.11.2", false, "main.py", List.of(), 16, 71),
            new Language("c", "C (gcc, C17)", "12.2.0", true, "main.c", List.of(), 16, 50), new Language("brainfuck", "BF", "1", false, "main.bf", List.of(), 4, null));
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Judge0RequestMapper mapper = new Judge0RequestMapper(LANGUAGES, new CallbackAddressGuard(false));

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    @Test
    void limitsChangeUnitsAndStdinBecomesTheOneTest() throws Exception {
        ExecuteRequest request = mapper.read(json("{\"source_code\":\"print(1)\",\"language_id\":71,\"stdin\":\"x\","
                + "\"expected_output\":\"1\",\"cpu_time_limit\":1.5,\"wall_time_limit\":\"3\",\"memory_limit\":128001,"
                + "\"number_of_runs\":1,\"unknown_to_judge0\":true}"), false).request();
        assertEquals("python", request.language());
        assertEquals("print(1)", request.code());
        assertEquals("x", request.tests().get(0).input());
        assertEquals("1", request.tests().get(0).expectedOutput());
        assertEquals(1500, request.limits().cpuTimeMs());
        assertEquals(3000, request.limits().wallTimeMs());
        assertEquals(126, request.limits().memoryMb()); // 128001 KB rounded up to whole MB
        assertNull(request.limits().outputKb());
    }

    @Test
    void base64DecodesTheThreeTextFields() throws Exception {
        ExecuteRequest request = mapper.read(json("{\"source_code\":\"cHJpbnQoMSk=\",\"language_id\":\"71\","
                + "\"stdin\":\"aGk=\",\"expected_output\":\"MQ==\"}"), true).request();
        assertEquals("print(1)", request.code());
        assertEquals("hi", request.tests().get(0).input());
        assertEquals("1", request.tests().get(0).expectedOutput());
    }

    @Test
    void everyFieldAtFaultIsNamedIn422() throws Exception {
        Judge0Unprocessable refused = assertThrows(Judge0Unprocessable.class, () -> mapper.read(json(
                "{\"language_id\":99,\"callback_url\":\"ftp://example.org/\",\"compiler_options\":\"-O3\","
                        + "\"command_line_arguments\":7,\"number_of_runs\":3,\"enable_network\":true,"
                        + "\"cpu_time_limit\":-1,\"memory_limit\":\"lots\"}"), false));
        Map<String, List<String>> errors = refused.errors();
        assertEquals(Set.of("language_id", "source_code", "callback_url", "compiler_options", "command_line_arguments",
                "number_of_runs", "enable_network", "cpu_time_limit", "memory_limit"), errors.keySet());
        assertEquals(List.of("language with id 99 doesn't exist"), errors.get("language_id"));
        assertEquals(List.of("can't be blank"), errors.get("source_code"));
    }

    @Test
    void commandLineArgumentsAreSplitAtWhiteSpace() throws Exception {
        ExecuteRequest request = mapper.read(json("{\"language_id\":71,\"source_code\":\"x\","
                + "\"command_line_arguments\":\" one  two\\tthree \"}"), false).request();
        assertEquals(List.of("one", "two", "three"), request.args());
    }

    @Test
    void aLanguageWithoutAJudge0IdCannotBeNamed() throws Exception {
        Judge0Unprocessable refused = assertThrows(Judge0Unprocessable.class,
                () -> mapper.read(json("{\"source_code\":\"x\"}"), false));
        assertEquals(List.of("can't be blank"), refused.errors().get("language_id"));
    }

    @Test
    void defaultsThatCaravanHonoursAreAccepted() throws Exception {
        ExecuteRequest request = mapper.read(json("{\"source_code\":\"x\",\"language_id\":50,\"number_of_runs\":1,"
                + "\"redirect_stderr_to_stdout\":false,\"enable_network\":false,\"callback_url\":null}"), false).request();
        assertEquals("c", request.language());
    }

    @Test
    void callbackUrlBecomesAJudge0CallbackBehindTheAddressGuard() throws Exception {
        Judge0RequestMapper allowingLoopback = new Judge0RequestMapper(LANGUAGES, new CallbackAddressGuard(true));
        Callback callback = allowingLoopback.read(json("{\"source_code\":\"x\",\"language_id\":71,"
                + "\"callback_url\":\"http://127.0.0.1:9/hook\"}"), false).callback();
        assertEquals(new Callback("http://127.0.0.1:9/hook", Map.of(), "judge0"), callback);
        Judge0Unprocessable refused = assertThrows(Judge0Unprocessable.class, () -> mapper.read(json(
                "{\"source_code\":\"x\",\"language_id\":71,\"callback_url\":\"http://127.0.0.1:9/hook\"}"), false));
        assertEquals(Set.of("callback_url"), refused.errors().keySet());
    }

    @Test
    void invalidBase64Is422() throws Exception {
        Judge0Unprocessable refused = assertThrows(Judge0Unprocessable.class,
                () -> mapper.read(json("{\"source_code\":\"%%%\",\"language_id\":71}"), true));
        assertEquals(Set.of("source_code"), refused.errors().keySet());
    }

    @Test
    void caravansRefusalIsRenamedToJudge0sField() {
        assertEquals(Map.of("cpu_time_limit", List.of("too much")),
                Judge0RequestMapper.refusal(ApiException.badField("limits.cpu_time_ms", "too much")).errors());
        assertEquals(Map.of("source_code", List.of("too big")),
                Judge0RequestMapper.refusal(ApiException.badField("code", "too big")).errors());
    }
}
