package dev.caravan.compat.judge0;

import dev.caravan.config.CallbackSettings;
import dev.caravan.config.RequestLimits;
import dev.caravan.engine.Language;
import dev.caravan.ingress.ApiException;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The descriptive endpoints: {@code GET /languages}, {@code /languages/{id}}, {@code /about} and {@code /config_info},
 * with Caravan's real languages and limits in Judge0's shapes (judge0/judge0 v1.13.1 app/serializers/language_serializer.rb,
 * app/helpers/config.rb {@code config_info}; the official Python SDK, judge0/judge0-python src/judge0/base_types.py
 * {@code Config}, refuses a server whose {@code config_info} lacks any of its keys).
 */
public final class Judge0Languages {

    private final List<Language> languages;
    private final Map<String, Object> configInfo;

    /** Caravan's settings that {@code /config_info} reports. */
    public record Settings(RequestLimits limits, int maxBatch, int maxQueued, CallbackSettings callbacks) {
    }

    /**
     * @param settings limits, the most submissions in one batch ({@code caravan.limits.max-batch}), the most jobs
     *                 the queue holds ({@code caravan.queue.max-length}) and the callbacks' retries and timeout
     */
    public Judge0Languages(List<Language> languages, Settings settings) {
        this.languages = languages.stream().filter(l -> l.judge0Id() != null)
                .sorted(Comparator.comparing(Language::judge0Id)).toList();
        this.configInfo = configInfo(settings, languages.stream().mapToInt(Language::maxProcesses).min().orElse(0));
    }

    /** {@code {"id": 71, "name": "Python (3.11.2)"}}: Judge0 names a language with its version in brackets. */
    static Map<String, Object> summary(Language language) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", language.judge0Id());
        json.put("name", language.version() == null ? language.name() : language.name() + " (" + language.version() + ")");
        return json;
    }

    /** {@code GET /languages}: {@code [{id, name}]} in id order. */
    public List<Map<String, Object>> list() {
        return languages.stream().map(Judge0Languages::summary).toList();
    }

    /**
     * {@code GET /languages/{id}}: {@code {id, name, is_archived, source_file, compile_cmd, run_cmd}}. Caravan's
     * commands live with its workers, so the last three are null.
     *
     * @throws ApiException 404 for an id no language has
     */
    public Map<String, Object> one(String id) {
        Language language = findByJudge0Id(id).orElseThrow(() -> new ApiException(404, "language with id " + id
                + " doesn't exist"));
        Map<String, Object> json = summary(language);
        json.put("is_archived", false);
        json.put("source_file", null);
        json.put("compile_cmd", null);
        json.put("run_cmd", null);
        return json;
    }

    private Optional<Language> findByJudge0Id(String id) {
        return languages.stream().filter(l -> String.valueOf(l.judge0Id()).equals(id)).findFirst();
    }

    /** {@code GET /about}: Judge0's four keys; {@code version} is the Judge0 API this imitates. */
    public Map<String, Object> about() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("version", "1.13.1");
        json.put("homepage", "https://judge0.com");
        json.put("source_code", "https://github.com/judge0/judge0");
        json.put("maintainer", "Caravan (a Judge0 CE 1.13.1 compatible API over Caravan's queue and workers)");
        return json;
    }

    /** {@code GET /config_info}: every key of Judge0's, with Caravan's values in Judge0's units (s, KB). */
    public Map<String, Object> configInfo() {
        return configInfo;
    }

    private static Map<String, Object> configInfo(Settings settings, int maxProcesses) {
        RequestLimits limits = settings.limits();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("maintenance_mode", false);
        json.put("enable_wait_result", true);
        json.put("enable_compiler_options", false);
        json.put("allowed_languages_for_compile_options", List.of());
        json.put("enable_command_line_arguments", true);
        json.put("enable_submission_delete", true);
        json.put("enable_callbacks", true);
        json.put("callbacks_max_tries", settings.callbacks().maxAttempts());
        json.put("callbacks_timeout", settings.callbacks().timeout().toMillis() / 1000.0);
        json.put("enable_additional_files", false);
        json.put("max_queue_size", settings.maxQueued());
        json.put("cpu_time_limit", limits.defaults().cpuTimeMs() / 1000.0);
        json.put("max_cpu_time_limit", limits.maxima().cpuTimeMs() / 1000.0);
        json.put("cpu_extra_time", 0.0);
        json.put("max_cpu_extra_time", 0.0);
        json.put("wall_time_limit", limits.defaults().wallTimeMs() / 1000.0);
        json.put("max_wall_time_limit", limits.maxima().wallTimeMs() / 1000.0);
        json.put("memory_limit", limits.defaults().memoryMb() * 1024);
        json.put("max_memory_limit", limits.maxima().memoryMb() * 1024);
        // The stack may grow up to the memory limit: Caravan sets no separate stack limit.
        json.put("stack_limit", limits.defaults().memoryMb() * 1024);
        json.put("max_stack_limit", limits.maxima().memoryMb() * 1024);
        // Per language in Caravan (config/languages.yaml max_processes); the least any language gets.
        json.put("max_processes_and_or_threads", maxProcesses);
        json.put("max_max_processes_and_or_threads", maxProcesses);
        json.put("enable_per_process_and_thread_time_limit", false);
        json.put("allow_enable_per_process_and_thread_time_limit", false);
        json.put("enable_per_process_and_thread_memory_limit", false);
        json.put("allow_enable_per_process_and_thread_memory_limit", false);
        // Judge0's file-size limit caps what a program writes; Caravan caps its output (KB).
        json.put("max_file_size", limits.defaults().outputKb());
        json.put("max_max_file_size", limits.maxima().outputKb());
        json.put("number_of_runs", 1);
        json.put("max_number_of_runs", 1);
        json.put("redirect_stderr_to_stdout", false);
        json.put("max_extract_size", 0);
        json.put("enable_batched_submissions", true);
        json.put("max_submission_batch_size", settings.maxBatch());
        json.put("enable_network", false);
        json.put("allow_enable_network", false);
        // Every read goes to the store; Judge0 caches a submission this many seconds.
        json.put("submission_cache_duration", 0.0);
        json.put("use_docs_as_homepage", false);
        return json;
    }
}
