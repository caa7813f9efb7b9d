package dev.caravan;

import dev.caravan.config.SettingsReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
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
    /** Named, not scanned: a scanned classpath folder can look like any other folder, overrides included. */
    static final List<String> BUILT_IN_ROUTES =
            List.of("admin.camel.yaml", "ingress.camel.yaml", "openapi.camel.yaml", "status.camel.yaml");

    @Override
    public void beforeConfigure(BaseMainSupport main) {
        Path directory = Path.of(new SettingsReader(main.getCamelContext().getPropertiesComponent()::resolveProperty)
                .text("caravan.routes.dir"));
        MainConfigurationProperties config = main.configure();
        boolean operatorRoutes = Files.isDirectory(directory);
        Set<String> replaced = operatorRoutes ? routeFiles(directory) : Set.of();
        List<String> include = new ArrayList<>();
        BUILT_IN_ROUTES.stream().filter(name -> !replaced.contains(name)).forEach(name -> include.add("classpath:routes/" + name));
        if (operatorRoutes) {
            include.add("file:" + directory.toAbsolutePath() + "/" + ROUTE_FILES);
            config.setRoutesReloadEnabled(true);
            config.setRoutesReloadDirectory(directory.toAbsolutePath().toString());
            config.setRoutesReloadPattern(ROUTE_FILES);
            // Camel's default removes every route on the first edit, taking the API down with it.
            config.setRoutesReloadRemoveAllRoutes(false);
        }
        config.setRoutesIncludePattern(String.join(",", include));
    }

    private static Set<String> routeFiles(Path directory) {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(f -> f.getFileName().toString())
                    .filter(name -> name.endsWith(".camel.yaml"))
                    .collect(Collectors.toSet());
        } catch (IOException e) {
            throw new IllegalStateException("cannot list the routes folder " + directory + ": " + e.getMessage(), e);
        }
    }
}
