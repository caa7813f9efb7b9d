package dev.caravan.config;

/**
 * Which engine a worker runs jobs with ({@code caravan.engine}) and whether this is a production deployment
 * ({@code caravan.environment}). The no-op engine answers every job ACCEPTED without running it, to measure the
 * queue path alone; a production deployment refuses it, and production is what an unmarked deployment is, so
 * only a machine explicitly marked {@code development} can start one.
 *
 * @param engine      {@code caravan.engine}: {@code sandbox} (default) or {@code noop}
 * @param environment {@code caravan.environment}: {@code production} (default) or {@code development}
 */
public record EngineSelection(Engine engine, Environment environment) {

    /** The engines a worker can run jobs with. */
    public enum Engine {
        /** Runs every program in the sandbox ({@code caravan.sandbox.*}). */
        SANDBOX,
        /** Runs nothing and answers every job ACCEPTED: benchmarks of the queue path only. */
        NOOP
    }

    /** What kind of deployment this process belongs to. */
    public enum Environment {
        PRODUCTION,
        DEVELOPMENT
    }

    /**
     * Reads both keys.
     *
     * @throws InvalidSettingException when either value is unknown, or {@code caravan.engine=noop} while
     *                                 {@code caravan.environment} is {@code production}
     */
    public static EngineSelection read(SettingsReader reader) {
        EngineSelection selection = new EngineSelection(reader.oneOf("caravan.engine", Engine.class),
                reader.oneOf("caravan.environment", Environment.class));
        if (selection.engine == Engine.NOOP && selection.environment == Environment.PRODUCTION) {
            throw new InvalidSettingException("caravan.engine", "is noop, which answers every job ACCEPTED without "
                    + "running it; it is for benchmarks only and refused while caravan.environment is production "
                    + "(the default). Set caravan.environment=development on a benchmark machine");
        }
        return selection;
    }
}
