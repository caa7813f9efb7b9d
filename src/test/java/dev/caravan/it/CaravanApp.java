package dev.caravan.it;

import dev.caravan.Caravan;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.main.Main;

/** A whole Caravan process (as {@code java -jar} would run it) started inside the test JVM. */
public final class CaravanApp implements AutoCloseable {

    /** A routes folder that does not exist, so a test loads only the built-in routes, not the repository's own. */
    static final String NO_OPERATOR_ROUTES = "target/no-operator-routes";

    private final Main main;
    private final int port;
    private final Http http;

    private CaravanApp(Map<String, String> properties) {
        this.port = FreePorts.next();
        this.main = Caravan.create();
        Map<String, String> all = new LinkedHashMap<>();
        all.put("caravan.http.port", String.valueOf(port));
        all.put("caravan.routes.dir", NO_OPERATOR_ROUTES);
        all.putAll(properties);
        all.forEach(main::addOverrideProperty);
        this.http = new Http(port);
    }

    public static CaravanApp start(TestTopology topology, Map<String, String> settings) {
        Map<String, String> properties = new LinkedHashMap<>(topology.properties());
        properties.putAll(settings);
        CaravanApp app = new CaravanApp(properties);
        try {
            app.main.start();
        } catch (RuntimeException e) {
            app.close();
            throw e;
        }
        return app;
    }

    public Http http() {
        return http;
    }

    public int port() {
        return port;
    }

    public Main main() {
        return main;
    }

    @Override
    public void close() {
        main.stop();
    }
}
