package dev.caravan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class RouteSourcesTest {

    @Test
    void everyPackagedRouteFileIsListedAsBuiltIn() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("src", "main", "resources", "routes"))) {
            Set<String> packaged = files.map(f -> f.getFileName().toString()).collect(Collectors.toSet());
            assertEquals(packaged, Set.copyOf(RouteSources.BUILT_IN_ROUTES));
        }
    }
}
