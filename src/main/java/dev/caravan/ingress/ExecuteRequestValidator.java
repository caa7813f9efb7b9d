package dev.caravan.ingress;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.caravan.config.RequestLimits;
import dev.caravan.contract.ExecuteRequest;
import dev.caravan.contract.Job;
import dev.caravan.contract.Json;
import dev.caravan.contract.Limits;
import dev.caravan.contract.SourceFile;
import dev.caravan.contract.TestCase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Turns the body of {@code POST /execute} into a {@link Job}, or refuses it (400, 413) naming the field at fault.
 * Every compatible API (compat/) maps its request to an {@link ExecuteRequest} and is checked here too, so a limit
 * or a file-name rule holds whichever way a job comes in.
 */
public final class ExecuteRequestValidator {

    /**
     * A file beside the main one is named like this: no '/', so it cannot leave the job directory; no leading '.', so
     * neither '..' nor a hidden file; no spaces or control characters, so no name that prints as another.
     */
    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.+-]{0,99}");
    /** Arguments of a run: far below the kernel's ARG_MAX, so a run never fails for their size. */
    static final int MAX_ARGS = 64;
    static final int MAX_ARGS_BYTES = 16 * 1024;

    private final RequestLimits limits;
    private final Map<String, String> sourceFiles;

    /** @param sourceFiles each language's id and the name its main file is written under */
    public ExecuteRequestValidator(RequestLimits limits, Map<String, String> sourceFiles) {
        this.limits = limits;
        this.sourceFiles = Map.copyOf(sourceFiles);
    }

    public Job validate(byte[] body) {
        requireSize(body);
        return validate(parse(body));
    }

    /** @throws ApiException 413 for a body over {@code caravan.limits.max-request-bytes} */
    public void requireSize(byte[] body) {
        if (body.length > limits.maxRequestBytes()) {
            throw new ApiException(413, "request body is " + body.length + " bytes, more than the "
                    + limits.maxRequestBytes() + " allowed");
        }
    }

    /** Checks a request already read (by a compatible API's mapper, say) and makes it a job. */
    public Job validate(ExecuteRequest request) {
        String language = requireLanguage(request.language());
        Program program = requireProgram(request, sourceFiles.get(language));
        List<String> args = requireArgs(request.args());
        List<TestCase> tests = requireTests(request.tests());
        Limits jobLimits = requireLimits(request.limits());
        Job job = new Job(UUID.randomUUID().toString(), language, program.code(), program.files(), args, tests, jobLimits);
        requireWithinJobWallTime(job, request.limits() != null && request.limits().wallTimeMs() != null);
        return job;
    }

    /** The main file's text, and the files written beside it. */
    private record Program(String code, List<SourceFile> files) {
    }

    /** Named after what the caller chose: the wall-time limit if it asked for one, else the number of tests. */
    private void requireWithinJobWallTime(Job job, boolean wallTimeAsked) {
        limits.jobWallTimeExcess(job).ifPresent(excess -> {
            throw ApiException.badField(wallTimeAsked ? "limits.wall_time_ms" : "tests",
                    excess + "; send fewer tests or a lower limits.wall_time_ms");
        });
    }

    private static ExecuteRequest parse(byte[] body) {
        if (body.length == 0) {
            throw new ApiException(400, "request body is empty; expected a JSON object");
        }
        try {
            ExecuteRequest request = Json.read(body, ExecuteRequest.class);
            if (request == null) {
                throw new ApiException(400, "request body must be a JSON object, not null");
            }
            return request;
        } catch (UnrecognizedPropertyException e) {
            throw ApiException.badField(fieldPath(e), "unknown field '" + e.getPropertyName() + "'");
        } catch (MismatchedInputException e) {
            String field = fieldPath(e);
            throw field.isEmpty()
                    ? new ApiException(400, "request body must be a JSON object")
                    : ApiException.badField(field, "field '" + field + "' must be " + describe(e.getTargetType()));
        } catch (JsonProcessingException e) {
            throw new ApiException(400, "request body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ApiException(400, "request body cannot be read: " + e.getMessage());
        }
    }

    private String requireLanguage(String language) {
        if (language == null || language.isBlank()) {
            throw ApiException.badField("language", "field 'language' is required");
        }
        if (!sourceFiles.containsKey(language)) {
            throw ApiException.badField("language", "unknown language '" + language + "'; GET /languages lists "
                    + sourceFiles.keySet().stream().sorted().collect(Collectors.joining(", ")));
        }
        return language;
    }

    private Program requireProgram(ExecuteRequest request, String sourceFile) {
        List<SourceFile> files = request.files();
        if (files == null) {
            return new Program(requireCode(request.code()), List.of());
        }
        if (request.code() != null) {
            throw ApiException.badField("files", "send either 'code' or 'files', not both");
        }
        if (files.isEmpty()) {
            throw ApiException.badField("files", "field 'files' must hold at least the main file");
        }
        if (files.size() > limits.maxFiles()) {
            throw ApiException.badField("files", "there are " + files.size() + " files, more than the "
                    + limits.maxFiles() + " allowed");
        }
        long bytes = 0;
        Set<String> names = new HashSet<>(Set.of(sourceFile));
        for (int i = 0; i < files.size(); i++) {
            String field = "files[" + i + "]";
            SourceFile file = files.get(i);
            if (file == null) {
                throw ApiException.badField(field, "file " + i + " must be an object, not null");
            }
            bytes += requireContent(field, file, i == 0);
            if (i > 0) {
                requireFileName(field + ".name", file.name(), names, sourceFile);
            }
        }
        if (bytes > limits.maxCodeBytes()) {
            throw ApiException.badField("files", "the files are " + bytes + " bytes together, more than the "
                    + limits.maxCodeBytes() + " allowed");
        }
        return new Program(files.get(0).content(), files.subList(1, files.size()));
    }

    /** The file's size in bytes, once its content is known to decode. */
    private static int requireContent(String field, SourceFile file, boolean main) {
        if (file.content() == null) {
            throw ApiException.badField(field + ".content", "field '" + field + ".content' is required");
        }
        if (!file.isText() && !List.of(SourceFile.BASE64, SourceFile.HEX).contains(file.encoding())) {
            throw ApiException.badField(field + ".encoding", field + ".encoding must be utf8, base64 or hex but was '"
                    + file.encoding() + "'");
        }
        if (main && (!file.isText() || file.content().isEmpty())) {
            throw ApiException.badField(field + ".content", "the main file (files[0]) must be non-empty utf8 text");
        }
        try {
            return file.bytes().length;
        } catch (IllegalArgumentException e) {
            throw ApiException.badField(field + ".content", field + ".content is not valid " + file.encoding()
                    + ": " + e.getMessage());
        }
    }

    private static void requireFileName(String field, String name, Set<String> taken, String sourceFile) {
        if (name == null || !FILE_NAME.matcher(name).matches()) {
            throw ApiException.badField(field, field + " must be a plain file name (letters, digits, '_', '+', '-' and"
                    + " '.', not starting with '.', at most 100 characters) but was "
                    + (name == null ? "missing" : "'" + name + "'"));
        }
        if (!taken.add(name)) {
            throw ApiException.badField(field, name.equals(sourceFile)
                    ? "'" + name + "' is the name the main file (files[0]) is written under; choose another"
                    : "two files are named '" + name + "'");
        }
    }

    private static List<String> requireArgs(List<String> args) {
        if (args == null) {
            return List.of();
        }
        if (args.size() > MAX_ARGS) {
            throw ApiException.badField("args", "there are " + args.size() + " args, more than the " + MAX_ARGS + " allowed");
        }
        int bytes = 0;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            // a NUL ends a C string: the program would see another argument than the one sent
            if (arg == null || arg.indexOf('\0') >= 0) {
                throw ApiException.badField("args[" + i + "]", "args[" + i + "] must be a string without NUL characters");
            }
            bytes += arg.getBytes(StandardCharsets.UTF_8).length;
        }
        if (bytes > MAX_ARGS_BYTES) {
            throw ApiException.badField("args", "the args are " + bytes + " bytes together, more than the "
                    + MAX_ARGS_BYTES + " allowed");
        }
        return List.copyOf(args);
    }

    private String requireCode(String code) {
        if (code == null || code.isEmpty()) {
            throw ApiException.badField("code", "field 'code' is required and must not be empty");
        }
        int bytes = code.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > limits.maxCodeBytes()) {
            throw ApiException.badField("code", "code is " + bytes + " bytes, more than the "
                    + limits.maxCodeBytes() + " allowed");
        }
        return code;
    }

    private List<TestCase> requireTests(List<TestCase> tests) {
        if (tests == null || tests.isEmpty()) {
            return List.of(new TestCase("", null));
        }
        if (tests.size() > limits.maxTests()) {
            throw ApiException.badField("tests", "there are " + tests.size() + " tests, more than the "
                    + limits.maxTests() + " allowed");
        }
        for (int i = 0; i < tests.size(); i++) {
            if (tests.get(i) == null) {
                throw ApiException.badField("tests[" + i + "]", "test " + i + " must be an object, not null");
            }
        }
        return List.copyOf(tests);
    }

    private Limits requireLimits(Limits requested) {
        if (requested == null) {
            return limits.defaults();
        }
        requireWithin(requested, "cpu_time_ms", Limits::cpuTimeMs);
        requireWithin(requested, "wall_time_ms", Limits::wallTimeMs);
        requireWithin(requested, "memory_mb", Limits::memoryMb);
        requireWithin(requested, "output_kb", Limits::outputKb);
        return requested.orElse(limits.defaults());
    }

    private void requireWithin(Limits requested, String name, Function<Limits, Integer> limit) {
        Integer value = limit.apply(requested);
        if (value == null) {
            return;
        }
        int maximum = limit.apply(limits.maxima());
        if (value <= 0 || value > maximum) {
            throw ApiException.badField("limits." + name, "limits." + name + " must be between 1 and " + maximum
                    + " but was " + value);
        }
    }

    /** The JSON name of what was expected, so the answer does not speak of Java classes. */
    private static String describe(Class<?> type) {
        if (type == null) {
            return "of another type";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        if (type == String.class) {
            return "a string";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
            return "a whole number";
        }
        return "an object";
    }

    private static String fieldPath(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }
}
