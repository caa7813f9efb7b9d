package dev.caravan;

import dev.caravan.callbacks.CallbackAddressGuard;
import dev.caravan.callbacks.CallbackQueue;
import dev.caravan.callbacks.CallbackSender;
import dev.caravan.callbacks.CallbackSigner;
import dev.caravan.config.CallbackSettings;
import dev.caravan.config.CaravanSettings;
import dev.caravan.config.SettingsReader;
import dev.caravan.config.StartupRefusedException;
import dev.caravan.config.StoreSettings;
import dev.caravan.ingress.ExecuteRecords;
import dev.caravan.ingress.ExecuteRequestValidator;
import dev.caravan.ingress.JobRequestReader;
import dev.caravan.ingress.JobsEndpoints;
import dev.caravan.observe.QueueStatistics;
import dev.caravan.queue.CancellationNotices;
import dev.caravan.queue.BrokerConnections;
import dev.caravan.queue.ConfirmedSender;
import dev.caravan.queue.DetachedJobPublisher;
import dev.caravan.queue.JobEventPublisher;
import dev.caravan.queue.JobEventQueues;
import dev.caravan.queue.JobEventTopology;
import dev.caravan.store.AsyncJobs;
import dev.caravan.store.JobStore;
import dev.caravan.store.RecordSweeper;
import dev.caravan.store.ResultRecorder;
import dev.caravan.store.StoreDatabase;
import dev.caravan.worker.CancelledJobs;
import dev.caravan.worker.JobEvents;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Optional;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.service.ServiceSupport;

/**
 * Binds the beans of the asynchronous half: the job store and its routes (API/store nodes), the callbacks, and the
 * worker's reports to the store. Only an API/store node opens (and migrates) the database; a worker node holds no
 * database credentials in use, its events travel over the broker.
 */
final class JobStoreWiring {

    private JobStoreWiring() {
    }

    static void bind(CamelContext context, SettingsReader reader, CaravanSettings settings,
                     BrokerConnections connections, MeterRegistry metrics, QueueStatistics queueStatistics,
                     ExecuteRequestValidator validator, String processName) throws Exception {
        StoreSettings storeSettings = StoreSettings.read(reader);
        CallbackSettings callbackSettings = CallbackSettings.read(reader);
        Registry registry = context.getRegistry();
        registry.bind("storeSettings", storeSettings);
        registry.bind("callbackSettings", callbackSettings);
        JobEventQueues queues = JobEventQueues.of(settings.queues());
        connections.addConnectionListener(new JobEventTopology(queues, settings.queues().deadLetterExchange(), settings.queuePolicy()));
        // events, cancellations and callbacks are published with confirms, as jobs are: on the confirmed connection
        ConfirmedSender sender = new ConfirmedSender(connections.confirmed(), settings.confirmTimeout());

        CancelledJobs cancelled = new CancelledJobs(settings.queuePolicy().messageTtl());
        registry.bind("cancelledJobs", cancelled);
        registry.bind("jobEvents", new JobEvents(new JobEventPublisher(sender, queues), cancelled, processName));

        StoreDatabase database = openDatabase(settings, storeSettings);
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                database.close();
            }
        }, true, true);
        Clock clock = Clock.systemUTC();
        JobStore store = new JobStore(database.dataSource());
        registry.bind("jobStore", store);
        CallbackQueue callbacks = new CallbackQueue(sender, queues);
        CallbackAddressGuard guard = new CallbackAddressGuard(callbackSettings.allowPrivate());
        AsyncJobs jobs = new AsyncJobs(store, new DetachedJobPublisher(sender, settings.queues()),
                new CancellationNotices(sender, queues), callbacks::enqueue, () -> queueDepth(queueStatistics),
                settings.queuePolicy().messageTtl(), clock);
        registry.bind("asyncJobs", jobs);
        registry.bind("jobsEndpoints", new JobsEndpoints(new JobRequestReader(validator, guard), jobs, store,
                storeSettings.maxBatch()));
        registry.bind("executeRecords", new ExecuteRecords(store, settings.waitTimeout(), clock, metrics));
        registry.bind("resultRecorder", new ResultRecorder(store, callbacks::enqueue, metrics));
        registry.bind("recordSweeper", new RecordSweeper(store, storeSettings.retention(), callbacks::enqueue, clock));
        registry.bind("callbackSender", new CallbackSender(store, guard, new CallbackSigner(callbackSettings.secret()),
                callbackSettings.timeout()));
    }

    private static StoreDatabase openDatabase(CaravanSettings settings, StoreSettings storeSettings) {
        if (!settings.role().servesApi()) {
            return StoreDatabase.unopened(storeSettings);
        }
        try {
            return StoreDatabase.open(storeSettings);
        } catch (RuntimeException e) {
            throw new StartupRefusedException("cannot open the job store at " + storeSettings.url()
                    + " (caravan.store.url): " + e.getMessage(), e);
        }
    }

    private static Optional<AsyncJobs.QueueDepth> queueDepth(QueueStatistics statistics) {
        try {
            var declared = statistics.declared();
            return Optional.of(new AsyncJobs.QueueDepth(declared.getMessageCount(), declared.getConsumerCount()));
        } catch (Exception unavailable) {
            return Optional.empty();
        }
    }
}
