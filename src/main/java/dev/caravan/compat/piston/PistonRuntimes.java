package dev.caravan.compat.piston;

import dev.caravan.engine.Language;
import java.util.List;
import java.util.Optional;
import org.semver4j.Semver;

/**
 * Caravan's languages under the names Piston gives them ({@code piston:} in config/languages.yaml), and Piston's
 * rule for choosing one: the language or an alias, and the newest version that satisfies the npm semver selector
 * ({@code get_latest_runtime_matching_language_version} in engineer-man/piston {@code api/src/runtime.js}).
 */
public final class PistonRuntimes {

    private final List<PistonRuntime> runtimes;

    public PistonRuntimes(List<Language> languages) {
        this.runtimes = languages.stream()
                .filter(language -> !language.pistonNames().isEmpty())
                .map(language -> new PistonRuntime(language.pistonNames().get(0), language.version(),
                        language.pistonNames().subList(1, language.pistonNames().size()), language.id()))
                .toList();
    }

    public List<PistonRuntime> list() {
        return runtimes;
    }

    /**
     * The runtime a request names, if any.
     *
     * @param selector an npm semver range ({@code "*"}, {@code "3.11.2"}, {@code "3.x"}, {@code ">=17"}); a
     *                 selector npm cannot read matches nothing, as Piston's {@code semver.satisfies} answers false
     */
    public Optional<PistonRuntime> find(String language, String selector) {
        return runtimes.stream()
                .filter(runtime -> runtime.answersTo(language) && satisfies(runtime.version(), selector))
                .findFirst();
    }

    /** A version a runtime reports loosely ("17.0.13+11", "21") is read as the nearest semantic version. */
    private static boolean satisfies(String version, String selector) {
        Semver semver = Semver.coerce(version);
        try {
            return semver != null && semver.satisfies(selector);
        } catch (IllegalArgumentException unreadable) { // a SemverException among others
            return false;
        }
    }
}
