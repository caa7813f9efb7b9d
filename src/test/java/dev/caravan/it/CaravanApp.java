package dev.caravan.it;

import dev.caravan.Caravan;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.main.Main;

/** A whole Caravan process (as {@code java -jar} would run it) started inside the test JVM. */
public final class CaravanApp implements AutoCloseable {

    private final Main main;
    private final int port;
    private final Http http;

    private CaravanApp(Map<String, String> properties) {
        this.port = FreePorts.next();
        this.main = Caravan.create();
        Map<String, String> all = new LinkedHashMap<>();
        all.put("caravan.http.port", String.valueOf(port));
        all.put("caravan.routes.dir", Path.of("target", "no-operator-routes").toString());
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
