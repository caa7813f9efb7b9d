package dev.caravan;

import org.apache.camel.main.Main;

/** Starts a Caravan process: the HTTP API, a worker, or both, as {@code caravan.role} says. */
public final class Caravan {

    /** Later locations win, so an operator's file overrides the packaged defaults. */
    static final String PROPERTY_LOCATIONS =
            "classpath:application.properties,file:config/application.properties;optional=true";

    private Caravan() {
    }

    public static void main(String[] args) throws Exception {
        Main main = create();
        main.run(args);
        System.exit(main.getExitCode());
    }

    public static Main create() {
        Main main = new Main(Caravan.class);
        main.setPropertyPlaceholderLocations(PROPERTY_LOCATIONS);
        main.addMainListener(new RouteSources());
        return main;
    }
}
