package dev.caravan.languages;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Asks a runtime for its version at start-up. The binaries are the operator's, not the user's, so this runs
 * outside the sandbox; a runtime that is missing or does not answer stops the worker with a message saying which.
 */
final class VersionProber {

    private static final long TIMEOUT_SECONDS = 20;

    private VersionProber() {
    }

    static String probe(LanguageDefinition language) {
        VersionProbe probe = language.version();
        String output;
        try {
            Process process = new ProcessBuilder(probe.command()).redirectErrorStream(true).start();
            process.getOutputStream().close();
            output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(failure(language, "did not answer within " + TIMEOUT_SECONDS + " s"));
            }
        } catch (IOException e) {
            throw new IllegalStateException(failure(language, e.getMessage()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(failure(language, "interrupted"), e);
        }
        Matcher matcher = Pattern.compile(probe.pattern()).matcher(output);
        if (!matcher.find()) {
            throw new IllegalStateException(failure(language, "output did not match '" + probe.pattern() + "': " + output.strip()));
        }
        return matcher.groupCount() > 0 ? matcher.group(1) : matcher.group();
    }

    private static String failure(LanguageDefinition language, String why) {
        return "cannot read the version of language '" + language.id() + "' with " + language.version().command() + ": " + why;
    }
}
