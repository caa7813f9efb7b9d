package dev.caravan;

import dev.caravan.bench.NoopEngine;
import dev.caravan.compat.piston.PistonApi;
import dev.caravan.compat.piston.PistonError;
import dev.caravan.compat.piston.PistonRequestMapper;
import dev.caravan.compat.piston.PistonRequestMapper.StageMaxima;
import dev.caravan.compat.piston.PistonRuntimes;
import dev.caravan.contract.Limits;
import dev.caravan.config.CaravanSettings;
import dev.caravan.config.CorsSettings;
import dev.caravan.config.EngineSelection;
import dev.caravan.config.HeartbeatSettings;
import dev.caravan.config.PistonSettings;
import dev.caravan.config.SettingsReader;
import dev.caravan.config.StartupRefusedException;
import dev.caravan.config.StoreSettings;
import dev.caravan.edge.CrossOrigin;
import dev.caravan.edge.UnmatchedRequests;
import dev.caravan.engine.ExecutionEngine;
import dev.caravan.engine.Language;
import dev.caravan.languages.LanguageCatalog;
import dev.caravan.sandbox.EngineSettings;
import dev.caravan.sandbox.SandboxedEngine;
import dev.caravan.ingress.ApiResponses;
import dev.caravan.ingress.BearerAuthorization;
import dev.caravan.ingress.DeadLetterEndpoints;
import dev.caravan.ingress.ExecuteIngress;
import dev.caravan.ingress.ExecuteRequestValidator;
import dev.caravan.ingress.IngressErrors;
import dev.caravan.ingress.LanguagesEndpoint;
import dev.caravan.ingress.OperatorEndpoints;
import dev.caravan.ingress.PageFiles;
import dev.caravan.ingress.ShutdownDrain;
import dev.caravan.ingress.StrictSchemas;
import dev.caravan.observe.BrokerHealthCheck;
import dev.caravan.observe.HeartbeatListener;
import dev.caravan.observe.QueueStatistics;
import dev.caravan.observe.SandboxSlotsHealthCheck;
import dev.caravan.observe.StoppingHealthCheck;
import dev.caravan.observe.WorkerDirectory;
import dev.caravan.queue.BrokerConnections;
import dev.caravan.queue.DeadLetterQueue;
import dev.caravan.queue.JobPublisher;
import dev.caravan.queue.ListenerContainers;
import dev.caravan.queue.QueueTopology;
import dev.caravan.worker.DeadLettering;
import dev.caravan.worker.FaultInjectingEngine;
import dev.caravan.worker.HeartbeatPublisher;
import dev.caravan.worker.JobRunner;
import dev.caravan.worker.WorkerStats;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.component.micrometer.MicrometerUtils;
import org.apache.camel.component.springrabbit.SpringRabbitMQComponent;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpConnectException;

/**
 * Reads the settings once and binds the beans the routes use. Runs before any route is built, so a wrong
 * setting stops the process with the key's name before it touches the broker.
 */
public final class CaravanConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(CaravanConfiguration.class);
    private static final Duration QUEUE_STATISTICS_MAX_AGE = Duration.ofSeconds(5);

    /**
     * The registry Camel serves at /observe/metrics: whichever of Camel's Prometheus support and this
     * configuration runs first creates it, and the other uses it.
     */
    private static MeterRegistry prometheusRegistry(Registry registry) {
        MeterRegistry existing = MicrometerUtils.getMeterRegistryFromCamelRegistry(registry, MicrometerConstants.METRICS_REGISTRY_NAME);
        if (existing != null) {
            return existing;
        }
        PrometheusMeterRegistry created = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.bind(MicrometerConstants.METRICS_REGISTRY_NAME, created);
        return created;
    }

    /**
     * The sandboxed engine, refusing to start the worker when the sandbox cannot be set up, and closed (its warm
     * compiler and work folders with it) when Camel stops.
     */
    private static ExecutionEngine startEngine(CamelContext context, CaravanSettings settings, EngineSettings engineSettings,
                                               MeterRegistry metrics) throws Exception {
        SandboxedEngine sandboxed;
        try {
            sandboxed = SandboxedEngine.create(engineSettings);
        } catch (IllegalStateException e) {
            throw new StartupRefusedException("this worker cannot run programs safely: " + e.getMessage(), e);
        }
        // tasks run in the same engine's sandboxes (TaskWiring)
        context.getRegistry().bind("sandboxedEngine", sandboxed);
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                sandboxed.close();
            }
        }, true, true);
        HealthCheckRegistry.get(context).register(
                new SandboxSlotsHealthCheck(sandboxed::slotsOutOfService, sandboxed.slotCount()).register(metrics));
        return withInjectedFaults(sandboxed, settings);
    }

    /** The engine as it is, or behind the faults {@code caravan.chaos.*} asks for. */
    private static ExecutionEngine withInjectedFaults(ExecutionEngine engine, CaravanSettings settings) {
        if (settings.chaosFailureRate() > 0 || settings.chaosCrashRate() > 0 || !settings.chaosSlowdown().isZero()) {
            LOG.warn("Fault injection is on: {} of jobs fail, {} crash the worker, each takes {} ms longer (caravan.chaos.*)",
                    settings.chaosFailureRate(), settings.chaosCrashRate(), settings.chaosSlowdown().toMillis());
            return new FaultInjectingEngine(engine, settings.chaosFailureRate(), settings.chaosCrashRate(),
                    settings.chaosSlowdown());
        }
        return engine;
    }

    private static List<Language> catalogLanguages(EngineSettings engineSettings) {
        try {
            return LanguageCatalog.load(engineSettings.languagesFile()).describe();
        } catch (IllegalStateException e) {
            throw new StartupRefusedException("cannot list the languages: " + e.getMessage(), e);
        }
    }

    /**
     * Connecting declares the topology (see QueueTopology), so a queue declared differently stops start-up here.
     * A broker that is not there yet is no reason to refuse: the API answers 503 and all is declared on connect.
     */
    private static void declareTopologyNowIfTheBrokerIsThere(BrokerConnections connections) {
        try {
            connections.unconfirmed().createConnection().close();
            connections.confirmed().createConnection().close();
        } catch (AmqpConnectException unreachable) {
            LOG.warn("The broker is unreachable at start-up ({}); Caravan declares its queues once it connects",
                    unreachable.getMessage());
        }
    }

    /** The Piston v2 adapter's beans: its runtimes, its request mapper over the same limits, its error shape. */
    private static void bindPiston(Registry registry, List<Language> languages, ExecuteRequestValidator validator,
                                   CaravanSettings settings, EngineSettings engineSettings) {
        PistonRuntimes runtimes = new PistonRuntimes(languages);
        Limits maxima = settings.limits().maxima();
        EngineSettings.CompileLimits compile = engineSettings.compile();
        PistonRequestMapper mapper = new PistonRequestMapper(runtimes,
                StageMaxima.of(compile.wallTimeMs(), compile.cpuTimeMs(), compile.memoryMb()),
                StageMaxima.of(maxima.wallTimeMs(), maxima.cpuTimeMs(), maxima.memoryMb()));
        registry.bind("pistonApi", new PistonApi(runtimes, mapper, validator));
        registry.bind("pistonErrors", new IngressErrors(settings.waitTimeout().toMillis() + " ms", PistonError::of));
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        PropertiesComponent properties = context.getPropertiesComponent();
        SettingsReader reader = new SettingsReader(properties::resolveProperty);
        CaravanSettings settings = CaravanSettings.read(reader);
        EngineSettings engineSettings = EngineSettings.read(reader);
        EngineSelection engineSelection = EngineSelection.read(reader);
        Registry registry = context.getRegistry();
        registry.bind("caravanSettings", settings);
        // YAML routes switch themselves on by these, so one jar can run as an API node, a worker node or both.
        properties.addOverrideProperty("caravan.api.enabled", String.valueOf(settings.role().servesApi()));
        properties.addOverrideProperty("caravan.worker.enabled", String.valueOf(settings.role().executesJobs()));
        PistonSettings piston = PistonSettings.read(reader);
        properties.addOverrideProperty("caravan.piston.active", String.valueOf(settings.role().servesApi() && piston.enabled()));

        String processName = "caravan-" + settings.role().name().toLowerCase() + "@" + ManagementFactory.getRuntimeMXBean().getName();
        properties.addOverrideProperty("caravan.process-name", processName);
        BrokerConnections connections = BrokerConnections.create(settings.broker(), processName);
        connections.addConnectionListener(new QueueTopology(settings.queues(), settings.queuePolicy()));
        declareTopologyNowIfTheBrokerIsThere(connections);
        registry.bind(BrokerConnections.UNCONFIRMED_BEAN, connections.unconfirmed());
        registry.bind(BrokerConnections.CONFIRMED_BEAN, connections.confirmed());
        // Two factories in the registry: the component would autowire neither, so it is told its default.
        SpringRabbitMQComponent rabbit = context.getComponent("spring-rabbitmq", SpringRabbitMQComponent.class);
        rabbit.setConnectionFactory(connections.unconfirmed());
        rabbit.setListenerContainerFactory(new ListenerContainers());
        MeterRegistry metrics = prometheusRegistry(registry);
        QueueStatistics queueStatistics = new QueueStatistics(connections.unconfirmed(), settings.queues().execute(), QUEUE_STATISTICS_MAX_AGE);
        queueStatistics.register(metrics);
        HealthCheckRegistry.get(context).register(new BrokerHealthCheck(queueStatistics));
        registry.bind("apiResponses", new ApiResponses(metrics));

        JobPublisher publisher = new JobPublisher(connections.confirmed(), settings.queues(), settings.waitTimeout(),
                settings.confirmTimeout(), metrics);
        registry.bind("jobPublisher", publisher);
        context.addService(publisher);
        context.getShutdownStrategy().setTimeout(settings.shutdownTimeout().toSeconds());
        // An /execute call waits at most the reply wait, so that bounds how long a stop waits for answers.
        ShutdownDrain drain = new ShutdownDrain(settings.waitTimeout().plus(ShutdownDrain.ANSWER_GRACE));
        context.addLifecycleStrategy(drain);
        registry.bind("shutdownDrain", drain);
        HealthCheckRegistry.get(context).register(new StoppingHealthCheck(drain::isDraining));
        // Every path of the HTTP server, adapters included: browsers on the allowed origins, JSON for unknown paths.
        CrossOrigin.configure(context, CorsSettings.read(reader));
        context.addLifecycleStrategy(new UnmatchedRequests());
        // GET /openapi.json: the schemas of Caravan's classes as strict as its JSON is.
        StrictSchemas.install();

        WorkerStats stats = new WorkerStats(metrics);
        registry.bind("workerStats", stats);
        List<Language> languages;
        if (settings.role().executesJobs() && engineSelection.engine() == EngineSelection.Engine.NOOP) {
            LOG.warn("caravan.engine=noop: this worker runs NO program and answers every job ACCEPTED (benchmarks only)");
            languages = catalogLanguages(engineSettings);
            registry.bind("jobRunner", new JobRunner(withInjectedFaults(new NoopEngine(languages), settings), stats,
                    settings.limits()));
        } else if (settings.role().executesJobs()) {
            ExecutionEngine engine = startEngine(context, settings, engineSettings, metrics);
            languages = engine.languages();
            registry.bind("jobRunner", new JobRunner(engine, stats, settings.limits()));
        } else {
            // An API node runs no program: it needs the language list, not a sandbox.
            languages = catalogLanguages(engineSettings);
        }

        // YAML routes are built whatever the role (the role only decides which start), so their beans are bound everywhere.
        var sourceFiles = languages.stream().collect(Collectors.toMap(Language::id, Language::sourceFile));
        ExecuteRequestValidator validator = new ExecuteRequestValidator(settings.limits(), sourceFiles);
        registry.bind("executeIngress", new ExecuteIngress(validator));
        registry.bind("languagesEndpoint", new LanguagesEndpoint(languages));
        registry.bind("ingressErrors", new IngressErrors(settings.waitTimeout().toMillis() + " ms"));
        bindPiston(registry, languages, validator, settings, engineSettings);
        registry.bind("deadLetterEndpoints", new DeadLetterEndpoints(
                new DeadLetterQueue(connections, settings.queues()),
                BearerAuthorization.adminToken(settings.adminToken())));
        BearerAuthorization apiKeys = BearerAuthorization.apiKeys(settings.apiKeys());
        registry.bind("apiKeys", apiKeys);
        registry.bind("deadLettering", new DeadLettering(processName, stats));

        // The operator's page: workers publish heartbeats, API nodes listen and serve the page and its JSON.
        HeartbeatSettings heartbeats = HeartbeatSettings.read(reader);
        registry.bind("heartbeatPublisher", new HeartbeatPublisher(connections.unconfirmed(), heartbeats, stats, processName,
                settings.workerConcurrency()));
        WorkerDirectory workers = new WorkerDirectory(heartbeats.forgetAfter(), System::currentTimeMillis);
        if (settings.role().servesApi()) {
            context.addService(new HeartbeatListener(settings.broker(), heartbeats.exchange(), workers,
                    heartbeats.interval(), processName + "-heartbeats"));
        }
        registry.bind("operatorEndpoints", new OperatorEndpoints(queueStatistics, workers, apiKeys));
        registry.bind("pageFiles", new PageFiles());

        JobStoreWiring.bind(context, reader, settings, connections, metrics, queueStatistics, validator, processName);
        TaskWiring.bind(registry, reader, settings, registry.lookupByNameAndType("sandboxedEngine", SandboxedEngine.class),
                connections, stats, metrics, processName);
        Judge0Wiring.bind(context, reader, settings, languages, validator,
                registry.lookupByNameAndType("storeSettings", StoreSettings.class).maxBatch());
        LOG.info("Caravan {} node: broker {}, queue '{}', worker concurrency {}", settings.role(),
                settings.broker().addressLine(), settings.queues().execute(), settings.workerConcurrency());
    }
}
