package dev.caravan;

import dev.caravan.callbacks.CallbackAddressGuard;
import dev.caravan.callbacks.CallbackSender;
import dev.caravan.compat.judge0.Judge0Api;
import dev.caravan.compat.judge0.Judge0CallbackFormat;
import dev.caravan.compat.judge0.Judge0Errors;
import dev.caravan.compat.judge0.Judge0Languages;
import dev.caravan.compat.judge0.Judge0RequestMapper;
import dev.caravan.compat.judge0.Judge0SubmissionMapper;
import dev.caravan.config.CallbackSettings;
import dev.caravan.config.CaravanSettings;
import dev.caravan.config.Judge0Settings;
import dev.caravan.config.SettingsReader;
import dev.caravan.engine.Language;
import dev.caravan.ingress.ExecuteRequestValidator;
import dev.caravan.store.AsyncJobs;
import dev.caravan.store.JobStore;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.Processor;
import org.apache.camel.spi.Registry;

/**
 * Binds the beans of the Judge0-compatible API (routes/judge0.camel.yaml) over the job store's beans, and switches
 * its routes on ({@code caravan.judge0.active}) on API nodes where {@code caravan.judge0.enabled}, and teaches the
 * callback sender Judge0's PUT.
 */
public final class Judge0Wiring {

    private Judge0Wiring() {
    }

    /** Call after {@link JobStoreWiring#bind}, whose store and jobs it uses. */
    public static void bind(CamelContext context, SettingsReader reader, CaravanSettings settings,
                            List<Language> languages, ExecuteRequestValidator validator, int maxBatch) {
        Judge0Settings judge0 = Judge0Settings.read(reader);
        context.getPropertiesComponent().addOverrideProperty("caravan.judge0.active",
                String.valueOf(judge0.enabled() && settings.role().servesApi()));
        Registry registry = context.getRegistry();
        registry.bind("judge0Settings", judge0);
        Judge0SubmissionMapper submissions = new Judge0SubmissionMapper(languages);
        registry.lookupByNameAndType("callbackSender", CallbackSender.class)
                .register(Judge0RequestMapper.CALLBACK_FORMAT, new Judge0CallbackFormat(submissions));
        CallbackSettings callbacks = registry.lookupByNameAndType("callbackSettings", CallbackSettings.class);
        CallbackAddressGuard guard = new CallbackAddressGuard(callbacks.allowPrivate());
        registry.bind("judge0Api", new Judge0Api(new Judge0RequestMapper(languages, guard), submissions,
                new Judge0Languages(languages, new Judge0Languages.Settings(settings.limits(), maxBatch,
                        settings.queuePolicy().maxLength(), callbacks)),
                validator, registry.lookupByNameAndType("asyncJobs", AsyncJobs.class),
                registry.lookupByNameAndType("jobStore", JobStore.class), maxBatch));
        registry.bind("judge0Errors", new Judge0Errors(registry.lookupByNameAndType("ingressErrors", Processor.class)));
    }
}
