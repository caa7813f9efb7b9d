package dev.caravan;

import dev.caravan.config.InvalidSettingException;
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
            InvalidSettingException invalid = findInvalidSetting(e);
            if (invalid == null) {
                throw e;
            }
            System.err.println("Caravan cannot start. " + invalid.getMessage());
            System.exit(2);
        }
        System.exit(main.getExitCode());
    }

    private static InvalidSettingException findInvalidSetting(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof InvalidSettingException invalid) {
                return invalid;
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
