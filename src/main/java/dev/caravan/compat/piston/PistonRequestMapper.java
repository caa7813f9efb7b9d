package dev.caravan.compat.piston;

import com.fasterxml.jackson.databind.JsonNode;
import dev.caravan.contract.ExecuteRequest;
import dev.caravan.contract.Json;
import dev.caravan.contract.Limits;
import dev.caravan.contract.SourceFile;
import dev.caravan.contract.TestCase;
import dev.caravan.ingress.ApiException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads the body of Piston's {@code POST /api/v2/execute} into Caravan's {@link ExecuteRequest}, refusing it with
 * Piston's own messages in Piston's order ({@code get_job} in engineer-man/piston {@code api/src/api/v2.js}); what
 * only Caravan checks (file names, sizes, counts) is then checked by the ingress validator, as for any request.
 *
 * <p>Mapping: the first utf8 file is the main one (Piston runs {@code code_files[0]}, the utf8 files, in
 * {@code api/src/job.js}); the others are written beside it, a nameless one as {@code file<i>.code}; {@code stdin}
 * becomes the one test's input, with the trailing newline Piston adds; {@code run_timeout} is the wall-time limit
 * (ms), {@code run_cpu_time} the CPU-time limit (ms), {@code run_memory_limit} the memory limit (bytes, rounded up
 * to MiB; -1 is the configured maximum). The compile stage always runs under the engine's compile limits, so the
 * {@code compile_*} fields are only checked against them.
 */
public final class PistonRequestMapper {

    private static final Set<String> ENCODINGS = Set.of(SourceFile.UTF8, SourceFile.BASE64, SourceFile.HEX);
    private static final long MIB = 1024 * 1024;

    /**
     * What one stage may be given at most, in Piston's units.
     *
     * @param timeout     wall time, ms
     * @param cpuTime     CPU time, ms
     * @param memoryLimit bytes
     */
    public record StageMaxima(long timeout, long cpuTime, long memoryLimit) {

        public static StageMaxima of(int wallTimeMs, int cpuTimeMs, int memoryMb) {
            return new StageMaxima(wallTimeMs, cpuTimeMs, memoryMb * MIB);
        }

        long get(String constraint) {
            return switch (constraint) {
                case "timeout" -> timeout;
                case "cpu_time" -> cpuTime;
                default -> memoryLimit;
            };
        }
    }

    /** A request read: the runtime it chose and the request in Caravan's terms. */
    public record PistonCall(PistonRuntime runtime, ExecuteRequest request) {
    }

    private final PistonRuntimes runtimes;
    private final StageMaxima compile;
    private final StageMaxima run;

    public PistonRequestMapper(PistonRuntimes runtimes, StageMaxima compile, StageMaxima run) {
        this.runtimes = runtimes;
        this.compile = compile;
        this.run = run;
    }

    /** @throws ApiException 400 with Piston's message for a request Piston would refuse */
    public PistonCall read(byte[] body) {
        JsonNode request = Json.treeOrText(body);
        if (!request.isObject()) {
            throw new ApiException(400, body.length == 0 ? "request body is empty; expected a JSON object"
                    : "request body must be a JSON object");
        }
        String language = requireString(request, "language");
        String version = requireString(request, "version");
        JsonNode files = request.get("files");
        if (files == null || !files.isArray()) {
            throw new ApiException(400, "files is required as an array");
        }
        for (int i = 0; i < files.size(); i++) {
            if (!files.get(i).path("content").isTextual()) {
                throw new ApiException(400, "files[" + i + "].content is required as a string");
            }
        }
        PistonRuntime runtime = runtimes.find(language, version)
                .orElseThrow(() -> new ApiException(400, language + "-" + version + " runtime is unknown"));
        boolean anyUtf8 = false;
        for (JsonNode file : files) {
            anyUtf8 |= !file.hasNonNull("encoding") || SourceFile.UTF8.equals(file.get("encoding").asText());
        }
        if (!anyUtf8) {
            throw new ApiException(400, "files must include at least one utf8 encoded file");
        }
        for (String constraint : List.of("memory_limit", "timeout", "cpu_time")) {
            for (String stage : List.of("compile", "run")) {
                requireWithin(request, stage + "_" + constraint, (stage.equals("run") ? run : compile).get(constraint));
            }
        }
        Limits limits = new Limits(
                milliseconds(request, "run_cpu_time"),
                milliseconds(request, "run_timeout"),
                memoryMb(request.path("run_memory_limit")),
                null);
        return new PistonCall(runtime, new ExecuteRequest(runtime.caravanLanguage(), null, files(files),
                args(request.get("args")), List.of(new TestCase(stdin(request.get("stdin")), null)), limits));
    }

    private static String requireString(JsonNode request, String field) {
        JsonNode value = request.get(field);
        // a JavaScript falsy "" is refused too
        if (value == null || !value.isTextual() || value.asText().isEmpty()) {
            throw new ApiException(400, field + " is required as a string");
        }
        return value.asText();
    }

    /** Piston skips a falsy value (absent, null, 0), refuses a non-number, one above the maximum, and a negative. */
    private static void requireWithin(JsonNode request, String field, long maximum) {
        JsonNode value = request.get(field);
        if (value == null || value.isNull() || (value.isNumber() && value.asDouble() == 0)) {
            return;
        }
        if (!value.isNumber()) {
            throw new ApiException(400, "If specified, " + field + " must be a number");
        }
        if (value.asDouble() > maximum) {
            throw new ApiException(400, field + " cannot exceed the configured limit of " + maximum);
        }
        // Piston lets -1 through only where nothing is configured; here -1 means "the configured maximum"
        if (value.asDouble() < 0 && !(field.endsWith("memory_limit") && value.asDouble() == -1)) {
            throw new ApiException(400, field + " must be non-negative");
        }
    }

    private static Integer milliseconds(JsonNode request, String field) {
        double value = request.path(field).asDouble(0);
        return value > 0 ? (int) Math.ceil(value) : null;
    }

    private Integer memoryMb(JsonNode bytes) {
        double value = bytes.asDouble(0);
        if (value == -1) {
            return (int) (run.memoryLimit() / MIB);
        }
        return value > 0 ? (int) Math.ceil(value / MIB) : null;
    }

    /** The main file first, then the others in their order; Piston's names and encodings (api/src/job.js). */
    private static List<SourceFile> files(JsonNode files) {
        List<SourceFile> main = new ArrayList<>();
        List<SourceFile> beside = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            JsonNode file = files.get(i);
            String name = file.hasNonNull("name") && !file.get("name").asText().isEmpty()
                    ? file.get("name").asText() : "file" + i + ".code";
            String encoding = file.path("encoding").asText(SourceFile.UTF8);
            // job.js: an encoding it does not know is taken for utf8
            SourceFile sourceFile = new SourceFile(name, file.get("content").asText(),
                    ENCODINGS.contains(encoding) ? encoding : SourceFile.UTF8);
            (main.isEmpty() && sourceFile.isText() ? main : beside).add(sourceFile);
        }
        main.addAll(beside);
        return main;
    }

    private static List<String> args(JsonNode args) {
        if (args == null || args.isNull()) {
            return List.of();
        }
        if (!args.isArray()) {
            throw new ApiException(400, "If specified, args must be an array of strings");
        }
        List<String> values = new ArrayList<>();
        for (JsonNode arg : args) {
            if (!arg.isValueNode() || arg.isNull()) {
                throw new ApiException(400, "If specified, args must be an array of strings");
            }
            // Node's spawn turns a number argument into its text
            values.add(arg.asText());
        }
        return values;
    }

    /** job.js: "Add a trailing newline if it doesn't exist". */
    private static String stdin(JsonNode stdin) {
        String text = stdin == null || stdin.isNull() ? "" : stdin.asText();
        return text.endsWith("\n") ? text : text + "\n";
    }
}
