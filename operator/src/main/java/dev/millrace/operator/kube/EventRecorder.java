package dev.millrace.operator.kube;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records core/v1 Events so `kubectl describe` shows what happened to an object. An Event that
 * cannot be written is logged and dropped: it must never fail a reconcile.
 */
public final class EventRecorder {
    private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
    private static final String COMPONENT = "millrace-operator";

    private final KubernetesClient client;
    private final Clock clock;

    public EventRecorder(KubernetesClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    public void normal(HasMetadata involved, String reason, String message) {
        record(involved, "Normal", reason, message);
    }

    public void warning(HasMetadata involved, String reason, String message) {
        record(involved, "Warning", reason, message);
    }

    private void record(HasMetadata involved, String type, String reason, String message) {
        String now = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
        String name =
                involved.getMetadata().getName()
                        + "."
                        + UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT);
        try {
            client.v1()
                    .events()
                    .inNamespace(involved.getMetadata().getNamespace())
                    .resource(
                            new EventBuilder()
                                    .withNewMetadata()
                                    .withName(name)
                                    .withNamespace(involved.getMetadata().getNamespace())
                                    .endMetadata()
                                    .withInvolvedObject(
                                            new ObjectReferenceBuilder()
                                                    .withApiVersion(involved.getApiVersion())
                                                    .withKind(involved.getKind())
                                                    .withName(involved.getMetadata().getName())
                                                    .withNamespace(
                                                            involved.getMetadata().getNamespace())
                                                    .withUid(involved.getMetadata().getUid())
                                                    .build())
                                    .withType(type)
                                    .withReason(reason)
                                    .withMessage(message)
                                    .withFirstTimestamp(now)
                                    .withLastTimestamp(now)
                                    .withCount(1)
                                    .withNewSource()
                                    .withComponent(COMPONENT)
                                    .endSource()
                                    .withReportingComponent(COMPONENT)
                                    .build())
                    .create();
        } catch (KubernetesClientException e) {
            LOG.warn(
                    "Could not record event {} on {}/{}: {}",
                    reason,
                    involved.getKind(),
                    involved.getMetadata().getName(),
                    e.getMessage());
        }
    }
}
