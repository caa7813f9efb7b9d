package dev.caravan;

import java.net.URI;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteConfigurationDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.Resource;
import org.apache.camel.spi.ResourceAware;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.RouteWatcherReloadStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Camel's route folder watcher, which adds and updates the routes of a file that appears or changes, taught what a
 * deleted file means: its routes and route configurations go, and a built-in route the file was overriding comes back
 * as packaged. (Camel's own watcher skips a deleted file, so its routes would keep answering.) Other routes are never
 * touched: Camel's "remove all routes on reload" is off.
 */
final class RouteFolderWatcher extends RouteWatcherReloadStrategy {

    private static final Logger LOG = LoggerFactory.getLogger(RouteFolderWatcher.class);

    private final Set<String> builtInRoutes;
    private final String builtInFolder;

    /**
     * @param folder        the operator's routes folder, absolute
     * @param pattern       the route files in it, as an Ant pattern ({@code *.camel.yaml})
     * @param builtInRoutes file names of the packaged routes a file of the same name overrides
     * @param builtInFolder where those live, as a resource location prefix ({@code classpath:routes/})
     */
    RouteFolderWatcher(Path folder, String pattern, Collection<String> builtInRoutes, String builtInFolder) {
        super(folder.toString());
        setPattern(pattern);
        setRemoveAllRoutes(false);
        this.builtInRoutes = Set.copyOf(builtInRoutes);
        this.builtInFolder = builtInFolder;
    }

    @Override
    protected void onRouteReload(Collection<Resource> resources, boolean removeEverything) {
        if (resources != null) {
            resources.stream().filter(resource -> !resource.exists()).forEach(this::withdraw);
        }
        // Camel's part, deleted files included: if a deleted file's last load had failed, Camel would otherwise keep
        // retrying it with every later change, and no other file could load again.
        super.onRouteReload(resources, removeEverything);
    }

    /** Takes away what a deleted file defined, after restoring the built-in route it overrode, so there is no gap. */
    private void withdraw(Resource deleted) {
        CamelContext context = getCamelContext();
        ModelCamelContext model = (ModelCamelContext) context;
        String name = Path.of(deleted.getURI()).getFileName().toString();
        try {
            if (builtInRoutes.contains(name)) {
                Resource builtIn = PluginHelper.getResourceLoader(context).resolveResource(builtInFolder + name);
                // Replaces the routes with the same ids; those now come from the packaged file, not the deleted one.
                PluginHelper.getRoutesLoader(context).updateRoutes(List.of(builtIn));
            }
            List<RouteDefinition> routes = model.getRouteDefinitions().stream()
                    .filter(route -> cameFrom(route, deleted)).toList();
            model.removeRouteDefinitions(routes);
            for (RouteConfigurationDefinition configuration : model.getRouteConfigurationDefinitions().stream()
                    .filter(configuration -> cameFrom(configuration, deleted)).toList()) {
                model.removeRouteConfiguration(configuration);
            }
            LOG.info("Route file {} was deleted: removed routes {}{}", name,
                    routes.stream().map(RouteDefinition::getRouteId).toList(),
                    builtInRoutes.contains(name) ? "; the built-in " + name + " is back" : "");
        } catch (Exception e) {
            LOG.warn("Route file {} was deleted but its routes could not all be withdrawn: {}", name, e.getMessage(), e);
        }
    }

    private static boolean cameFrom(ResourceAware definition, Resource file) {
        Resource source = definition.getResource();
        return source != null && sameLocation(source.getURI(), file.getURI());
    }

    private static boolean sameLocation(URI a, URI b) {
        return "file".equals(a.getScheme()) && "file".equals(b.getScheme())
                && Path.of(a).normalize().equals(Path.of(b).normalize());
    }
}
