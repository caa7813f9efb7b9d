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
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.main.MainListenerSupport;

/**
 * Decides where YAML routes come from: the built-in ones packaged under {@code routes/}, and the operator's
 * folder ({@code caravan.routes.dir}), which is watched ({@link RouteFolderWatcher}) so that routes can be added,
 * changed or deleted while Caravan runs. A file in the operator's folder named like a built-in route replaces that
 * route; deleting the file brings the built-in one back.
 */
final class RouteSources extends MainListenerSupport {

    static final String ROUTE_FILES = "*.camel.yaml";
    static final String BUILT_IN_FOLDER = "classpath:routes/";
    /** Named, not scanned: a scanned classpath folder can look like any other folder, overrides included. */
    static final List<String> BUILT_IN_ROUTES =
            List.of("openapi.camel.yaml", "admin.camel.yaml", "heartbeat.camel.yaml", "ingress.camel.yaml", "jobs.camel.yaml",
                    "judge0.camel.yaml", "page.camel.yaml", "piston.camel.yaml", "status.camel.yaml",
                    "tasks.camel.yaml");

    @Override
    public void beforeConfigure(BaseMainSupport main) {
        Path directory = Path.of(new SettingsReader(main.getCamelContext().getPropertiesComponent()::resolveProperty)
                .text("caravan.routes.dir"));
        MainConfigurationProperties config = main.configure();
        boolean operatorRoutes = Files.isDirectory(directory);
        Set<String> replaced = operatorRoutes ? routeFiles(directory) : Set.of();
        List<String> include = new ArrayList<>();
        BUILT_IN_ROUTES.stream().filter(name -> !replaced.contains(name)).forEach(name -> include.add(BUILT_IN_FOLDER + name));
        if (operatorRoutes) {
            include.add("file:" + directory.toAbsolutePath() + "/" + ROUTE_FILES);
            watch(main, directory);
        }
        config.setRoutesIncludePattern(String.join(",", include));
    }

    private static void watch(BaseMainSupport main, Path directory) {
        try {
            main.getCamelContext().addService(
                    new RouteFolderWatcher(directory.toAbsolutePath(), ROUTE_FILES, BUILT_IN_ROUTES, BUILT_IN_FOLDER));
        } catch (Exception e) {
            throw RuntimeCamelException.wrapRuntimeCamelException(e);
        }
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
