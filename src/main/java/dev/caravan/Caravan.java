package dev.caravan;

import dev.caravan.config.StartupRefusedException;
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
        try {
            main.run(args);
        } catch (Exception e) {
            StartupRefusedException refusal = findRefusal(e);
            if (refusal == null) {
                throw e;
            }
            System.err.println("Caravan cannot start. " + refusal.getMessage());
            System.exit(2);
        }
        System.exit(main.getExitCode());
    }

    private static StartupRefusedException findRefusal(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof StartupRefusedException refusal) {
                return refusal;
            }
        }
        return null;
    }

    public static Main create() {
        Main main = new Main(Caravan.class);
        main.setPropertyPlaceholderLocations(PROPERTY_LOCATIONS);
        main.addMainListener(new RouteSources());
        return main;
    }
}
