package dev.caravan.languages;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.caravan.engine.Language;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The languages of {@code config/languages.yaml}, each with the version of its runtime. Loaded once at start-up:
 * an operator adds or changes a language by editing the file and restarting the worker, without a rebuild.
 */
public final class LanguageCatalog {

    private final Map<String, InstalledLanguage> byId;

    private LanguageCatalog(Map<String, InstalledLanguage> byId) {
        this.byId = byId;
    }

    /** Reads, validates and version-probes every language; throws IllegalStateException naming what is wrong. */
    public static LanguageCatalog load(Path file) {
        LanguagesFile parsed = parse(file);
        Map<String, InstalledLanguage> byId = new LinkedHashMap<>();
        for (LanguageDefinition definition : parsed.languages()) {
            definition.validate();
            if (byId.containsKey(definition.id())) {
                throw new IllegalStateException(file + ": language '" + definition.id() + "' is defined twice");
            }
            byId.put(definition.id(), new InstalledLanguage(definition, VersionProber.probe(definition)));
        }
        return new LanguageCatalog(byId);
    }

    private static LanguagesFile parse(Path file) {
        if (!Files.isReadable(file)) {
            throw new IllegalStateException("languages file " + file.toAbsolutePath() + " is missing or unreadable"
                    + " (set caravan.languages.file)");
        }
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
        try {
            LanguagesFile parsed = yaml.readValue(file.toFile(), LanguagesFile.class);
            if (parsed == null || parsed.languages() == null || parsed.languages().isEmpty()) {
                throw new IllegalStateException(file + " defines no languages");
            }
            return parsed;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read languages file " + file + ": " + e.getMessage(), e);
        }
    }

    public Optional<InstalledLanguage> find(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    public List<InstalledLanguage> all() {
        return List.copyOf(byId.values());
    }

    public List<Language> describe() {
        return byId.values().stream().map(InstalledLanguage::describe).toList();
    }

    /** The root of the YAML file. */
    record LanguagesFile(List<LanguageDefinition> languages) {
    }
}
