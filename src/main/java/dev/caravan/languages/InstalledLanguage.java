package dev.caravan.languages;

import dev.caravan.engine.Language;

/** A language definition together with the version its runtime reported on this machine. */
public record InstalledLanguage(LanguageDefinition definition, String version) {

    public String id() {
        return definition.id();
    }

    public Language describe() {
        return new Language(definition.id(), definition.name(), version, definition.compiled(), definition.sourceFile(),
                definition.piston(), definition.maxProcesses(), definition.judge0Id());
    }
}
