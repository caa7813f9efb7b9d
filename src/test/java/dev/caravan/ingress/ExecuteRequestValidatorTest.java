package dev.caravan.ingress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caravan.config.CaravanSettings;
import dev.caravan.config.TestSettings;
import dev.caravan.contract.Job;
import dev.caravan.contract.Limits;
import dev.caravan.contract.SourceFile;
import dev.caravan.it.Http;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExecuteRequestValidatorTest {

    private final ExecuteRequestValidator validator =
            new ExecuteRequestValidator(TestSettings.defaults().limits(), Map.of("python", "main.py", "c", "main.c"));

    private Job validate(String json) {
        return validator.validate(json.getBytes(StandardCharsets.UTF_8));
    }

    private ApiException refusal(String json) {
        return assertThrows(ApiException.class, () -> validate(json));
    }

    private void assertRefused(String json, int status, String field, String messagePart) {
        ApiException refused = refusal(json);
        assertEquals(status, refused.httpStatus(), refused.getMessage());
        assertEquals(field, refused.body().field(), refused.getMessage());
        assertTrue(refused.getMessage().contains(messagePart), refused.getMessage());
    }

    @Test
    void aMinimalRequestGetsOneEmptyTestAndTheDefaultLimits() {
        Job job = validate("{\"language\":\"python\",\"code\":\"print(1)\"}");
        assertEquals(1, job.tests().size());
        assertEquals("", job.tests().get(0).input());
        assertNull(job.tests().get(0).expectedOutput());
        assertEquals(new Limits(2000, 5000, 256, 64), job.limits());
        assertEquals(36, job.id().length());
    }

    @Test
    void partialLimitsAreCompletedFromTheDefaults() {
        Job job = validate("{\"language\":\"c\",\"code\":\"x\",\"limits\":{\"memory_mb\":512},"
                + "\"tests\":[{\"input\":\"1\",\"expected_output\":\"2\"}]}");
        assertEquals(new Limits(2000, 5000, 512, 64), job.limits());
        assertEquals("2", job.tests().get(0).expectedOutput());
    }

    @Test
    void malformedBodiesAreRefusedWithoutNamingJavaTypes() {
        assertRefused("", 400, null, "empty");
        assertRefused("{\"language\":", 400, null, "not valid JSON");
        assertRefused("[1]", 400, null, "must be a JSON object");
        assertRefused("null", 400, null, "must be a JSON object");
        assertRefused("{\"language\":\"python\",\"code\":\"x\"} trailing", 400, null, "not valid JSON");
        ApiException wrongType = refusal("{\"language\":\"python\",\"code\":\"x\",\"tests\":{}}");
        assertEquals("field 'tests' must be an array", wrongType.getMessage());
        assertRefused("{\"language\":\"python\",\"code\":\"x\",\"limits\":{\"memory_mb\":\"lots\"}}", 400,
                "limits.memory_mb", "a whole number");
    }

    @Test
    void missingOrUnknownFieldsAreNamed() {
        assertRefused("{\"code\":\"x\"}", 400, "language", "required");
        assertRefused("{\"language\":\"cobol\",\"code\":\"x\"}", 400, "language", "unknown language 'cobol'");
        assertRefused("{\"language\":\"python\"}", 400, "code", "required");
        assertRefused("{\"language\":\"python\",\"code\":\"\"}", 400, "code", "must not be empty");
        assertRefused("{\"language\":\"python\",\"code\":\"x\",\"stdin\":\"1\"}", 400, "stdin", "unknown field 'stdin'");
        assertRefused("{\"language\":\"python\",\"code\":\"x\",\"tests\":[{\"input\":\"1\",\"expected\":\"2\"}]}", 400,
                "tests[0].expected", "unknown field 'expected'");
        assertRefused("{\"language\":\"python\",\"code\":\"x\",\"tests\":[null]}", 400, "tests[0]", "not null");
    }

    @Test
    void sizesCountsAndLimitsAboveTheMaximaAreRefused() {
        assertRefused("{\"language\":\"python\",\"code\":\"" + "x".repeat(65537) + "\"}", 400, "code", "65536");
        assertRefused("{\"language\":\"python\",\"code\":\"x\",\"tests\":[" + "{},".repeat(32) + "{}]}", 400, "tests",
                "33 tests");
        assertRefused("{\"language\":\"python\",\"code\":\"x\",\"limits\":{\"cpu_time_ms\":10001}}", 400,
                "limits.cpu_time_ms", "between 1 and 10000");
        assertRefused("{\"language\":\"python\",\"code\":\"x\",\"limits\":{\"output_kb\":0}}", 400,
                "limits.output_kb", "but was 0");
        ApiException tooLarge = refusal("{\"code\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}");
        assertEquals(413, tooLarge.httpStatus());
    }

    @Test
    void testsThatMayTakeLongerThanAJobMayAreRefusedNamingWhatTheCallerChose() {
        // 3 min per job: 19 tests at 10 s may take 190 s; 32 at the default 5 s, 160 s, pass
        String nineteen = "\"tests\":[" + "{},".repeat(18) + "{}]";
        assertRefused("{\"language\":\"python\",\"code\":\"x\"," + nineteen + ",\"limits\":{\"wall_time_ms\":10000}}",
                400, "limits.wall_time_ms", "19 tests at a wall-time limit of 10000 ms may take 190000 ms, more than the 180000 ms");
        assertEquals(18, validate("{\"language\":\"python\",\"code\":\"x\",\"tests\":[" + "{},".repeat(17) + "{}],"
                + "\"limits\":{\"wall_time_ms\":10000}}").tests().size());
        assertEquals(32, validate("{\"language\":\"python\",\"code\":\"x\",\"tests\":[" + "{},".repeat(31) + "{}]}").tests().size());
        ExecuteRequestValidator shortJobs = new ExecuteRequestValidator(CaravanSettings.read(
                TestSettings.defaultsWith(Map.of("caravan.limits.max-job-wall-time", "20s"))).limits(), Map.of("python", "main.py"));
        ApiException refused = assertThrows(ApiException.class, () -> shortJobs.validate(
                "{\"language\":\"python\",\"code\":\"x\",\"tests\":[{},{},{},{},{}]}".getBytes(StandardCharsets.UTF_8)));
        assertEquals("tests", refused.body().field(), refused.getMessage());
        assertTrue(refused.getMessage().contains("5 tests at a wall-time limit of 5000 ms"), refused.getMessage());
    }

    @Test
    void filesAreTheMainOneThenOthersBesideIt() {
        Job job = validate("{\"language\":\"python\",\"files\":[{\"name\":\"ignored.py\",\"content\":\"import util\"},"
                + "{\"name\":\"util.py\",\"content\":\"X=1\"},{\"name\":\"data.bin\",\"content\":\"AAE=\",\"encoding\":\"base64\"}],"
                + "\"args\":[\"-v\",\"two words\"]}");
        assertEquals("import util", job.code());
        assertEquals(List.of(new SourceFile("util.py", "X=1", null), new SourceFile("data.bin", "AAE=", "base64")), job.files());
        assertEquals(List.of("-v", "two words"), job.args());
    }

    @Test
    void fileNamesThatCouldLeaveTheJobDirectoryOrHideAreRefused() {
        String main = "{\"language\":\"python\",\"files\":[{\"content\":\"x\"},";
        for (String name : List.of("../up.py", "a/b.py", "..", ".hidden", "", "sp ace", "x".repeat(101), "tab\\t")) {
            assertRefused(main + "{\"name\":" + Http.quote(name) + ",\"content\":\"y\"}]}", 400, "files[1].name",
                    "plain file name");
        }
        assertRefused(main + "{\"content\":\"y\"}]}", 400, "files[1].name", "missing");
        assertRefused(main + "{\"name\":\"main.py\",\"content\":\"y\"}]}", 400, "files[1].name", "main file");
        assertRefused(main + "{\"name\":\"a.py\",\"content\":\"y\"},{\"name\":\"a.py\",\"content\":\"z\"}]}", 400,
                "files[2].name", "two files are named 'a.py'");
    }

    @Test
    void filesAreBoundedAndDecodedBeforeTheyAreQueued() {
        assertRefused("{\"language\":\"python\",\"code\":\"x\",\"files\":[{\"content\":\"x\"}]}", 400, "files", "not both");
        assertRefused("{\"language\":\"python\",\"files\":[]}", 400, "files", "at least the main file");
        assertRefused("{\"language\":\"python\",\"files\":[{\"content\":\"AA==\",\"encoding\":\"base64\"}]}", 400,
                "files[0].content", "utf8 text");
        assertRefused("{\"language\":\"python\",\"files\":[{\"content\":\"x\"},{\"name\":\"a\",\"content\":\"zz\","
                + "\"encoding\":\"hex\"}]}", 400, "files[1].content", "not valid hex");
        assertRefused("{\"language\":\"python\",\"files\":[{\"content\":\"x\"},{\"name\":\"a\",\"content\":\"z\","
                + "\"encoding\":\"utf16\"}]}", 400, "files[1].encoding", "utf8, base64 or hex");
        StringBuilder many = new StringBuilder("{\"language\":\"python\",\"files\":[{\"content\":\"x\"}");
        for (int i = 0; i < 16; i++) {
            many.append(",{\"name\":\"f").append(i).append("\",\"content\":\"y\"}");
        }
        assertRefused(many + "]}", 400, "files", "17 files, more than the 16 allowed");
        String half = "y".repeat(40000);
        assertRefused("{\"language\":\"python\",\"files\":[{\"content\":\"" + half + "\"},{\"name\":\"b\",\"content\":\""
                + half + "\"}]}", 400, "files", "80000 bytes together, more than the 65536 allowed");
        assertRefused("{\"language\":\"python\",\"code\":\"x\",\"args\":[\"a\\u0000b\"]}", 400, "args[0]", "NUL");
    }
}
