package dev.caravan.contract;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A validated request as it travels over the queue: an id, at least one test and complete limits.
 * This is the message body the workers consume.
 *
 * @param code  the main file's text, written as the language's source file
 * @param files the program's other files, written beside the main one under their own (checked) names
 * @param args  command-line arguments of every run
 * @param task  an operator-defined task ({@code POST /tasks/{type}}) instead of a program to judge, else null; a task job
 *              has no code, tests or limits of its own
 */
public record Job(String id, String language, String code,
                  @JsonInclude(JsonInclude.Include.NON_EMPTY) List<SourceFile> files,
                  @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> args,
                  List<TestCase> tests, Limits limits,
                  @JsonInclude(JsonInclude.Include.NON_NULL) TaskRun task) {

    public Job {
        // absent from the message of a one-file job without arguments, which so stays as it was before files existed
        files = files == null ? List.of() : List.copyOf(files);
        args = args == null ? List.of() : List.copyOf(args);
    }

    /** A program to judge. */
    public Job(String id, String language, String code, List<SourceFile> files, List<String> args, List<TestCase> tests,
               Limits limits) {
        this(id, language, code, files, args, tests, limits, null);
    }

    /** A task: its language is {@code task:TYPE}, and it has no code, tests or limits. */
    public static Job ofTask(String id, TaskRun task) {
        return new Job(id, TaskRun.languageOf(task.type()), null, List.of(), List.of(), List.of(), null, task);
    }

    /** A one-file job without arguments. */
    public Job(String id, String language, String code, List<TestCase> tests, Limits limits) {
        this(id, language, code, List.of(), List.of(), tests, limits);
    }
}
