package dev.caravan;

import dev.caravan.config.StartupRefusedException;
import dev.caravan.ingress.ShutdownDrain;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.main.MainShutdownStrategy;

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
                // Threads started before the failure (the HTTP server, the sandbox's helpers) would keep a half-started
                // JVM alive, which no supervisor or container restart policy restarts: a consumer route that declares
                // its queue at start fails so while the broker is still coming up (seen with podman-compose, which
                // does not wait for the broker's health check).
                System.err.println("Caravan cannot start:");
                e.printStackTrace();
                System.exit(1);
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
        main.addMainListener(new DrainInShutdownBudget(main));
        return main;
    }

    /**
     * On SIGTERM, Camel Main's shutdown hook lets the JVM exit once the shutdown strategy's timeout plus
     * {@code camel.main.extraShutdownTimeout} have passed, whether or not Camel has stopped. The HTTP drain runs
     * before that timeout starts to count, so its budget is added here, or the hook could cut the drain short.
     */
    private static final class DrainInShutdownBudget extends MainListenerSupport {

        private final Main main;

        DrainInShutdownBudget(Main main) {
            this.main = main;
        }

        @Override
        public void afterStart(BaseMainSupport started) {
            ShutdownDrain drain = started.getCamelContext().getRegistry().findSingleByType(ShutdownDrain.class);
            if (drain != null) {
                MainShutdownStrategy hook = main.getShutdownStrategy();
                hook.setExtraShutdownTimeout(hook.getExtraShutdownTimeout() + (int) drain.budget().toSeconds() + 1);
            }
        }
    }
}
