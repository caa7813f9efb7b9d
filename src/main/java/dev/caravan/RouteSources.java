package dev.caravan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.main.MainListenerSupport;

/**
 * Decides where YAML routes come from: the built-in ones packaged under {@code routes/}, and the operator's
 * folder ({@code caravan.routes.dir}), which is watched so that routes can be added or changed while Caravan runs.
 * A file in the operator's folder named like a built-in route replaces that route.
 */
final class RouteSources extends MainListenerSupport {

    static final String ROUTE_FILES = "*.camel.yaml";
    static final String BUILT_IN = "classpath:routes/";

    @Override
    public void beforeConfigure(BaseMainSupport main) {
        Path directory = Path.of(main.getCamelContext().getPropertiesComponent()
                .resolveProperty("caravan.routes.dir").orElse("config/routes"));
        MainConfigurationProperties config = main.configure();
        List<String> include = new ArrayList<>(List.of(BUILT_IN + ROUTE_FILES));
        if (Files.isDirectory(directory)) {
            include.add("file:" + directory.toAbsolutePath() + "/" + ROUTE_FILES);
            config.setRoutesExcludePattern(String.join(",", replacedBuiltIns(directory)));
            config.setRoutesReloadEnabled(true);
            config.setRoutesReloadDirectory(directory.toAbsolutePath().toString());
            config.setRoutesReloadPattern(ROUTE_FILES);
            // Camel's default removes every route on the first edit, taking the API down with it.
            config.setRoutesReloadRemoveAllRoutes(false);
        }
        config.setRoutesIncludePattern(String.join(",", include));
    }

    private static List<String> replacedBuiltIns(Path directory) {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(f -> f.getFileName().toString())
                    .filter(name -> name.endsWith(".camel.yaml"))
                    .map(name -> BUILT_IN + name)
                    .toList();
        } catch (IOException e) {
            throw new IllegalStateException("cannot list the routes folder " + directory + ": " + e.getMessage(), e);
        }
    }
}
