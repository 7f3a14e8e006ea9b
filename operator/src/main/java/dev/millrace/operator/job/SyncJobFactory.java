package dev.millrace.operator.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millrace.crds.common.JobNames;
import dev.millrace.crds.common.MillraceApi;
import dev.millrace.crds.connection.Connection;
import dev.millrace.operator.OperatorSettings;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the batch/v1 Job that runs one sync. The name is deterministic from the connection and the
 * store's job id, so a retried or restarted reconcile finds the Job it already created instead of
 * making a second one.
 */
public final class SyncJobFactory {
    public static final String CONTAINER = "sync";
    public static final String PLAN_ENV = "MILLRACE_SYNC_PLAN";
    public static final String ATTEMPT_LABEL = "millrace.dev/attempt";
    public static final String PROGRESS_URL_ENV = "MILLRACE_PROGRESS_URL";
    public static final String PROGRESS_TOKEN_ENV = "MILLRACE_PROGRESS_TOKEN";
    public static final String PROGRESS_INTERVAL_ENV = "MILLRACE_PROGRESS_INTERVAL_MS";

    /**
     * Where and how one attempt reports progress; the token is the attempt's own.
     *
     * @param url null when the operator has no progress endpoint
     */
    public record Progress(String url, String token) {
        public static final Progress NONE = new Progress(null, null);

        @Override
        public String toString() {
            return "Progress[url=" + url + "]";
        }
    }

    private final OperatorSettings settings;

    public SyncJobFactory(OperatorSettings settings) {
        this.settings = settings;
    }

    /** {@code <connection>-<jobId>}; see {@link JobNames}. */
    public static String jobName(String connection, long jobId) {
        return JobNames.syncJob(connection, jobId);
    }

    /** The Job of one attempt: {@code <connection>-<jobId>}, then {@code -a<n>} from attempt 2. */
    public static String jobName(String connection, long jobId, int attempt) {
        return JobNames.syncAttempt(connection, jobId, attempt);
    }

    /** The attempt a Job runs, from its label; Jobs made before attempts existed ran attempt 1. */
    public static int attemptOf(Job job) {
        Map<String, String> labels = job.getMetadata().getLabels();
        String value = labels == null ? null : labels.get(ATTEMPT_LABEL);
        try {
            return value == null ? 1 : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    public static Map<String, String> labels(String connection, long jobId, String type) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(MillraceApi.MANAGED_BY_LABEL, MillraceApi.MANAGED_BY);
        labels.put(MillraceApi.CONNECTION_LABEL, connection);
        labels.put(MillraceApi.JOB_ID_LABEL, Long.toString(jobId));
        labels.put(MillraceApi.JOB_TYPE_LABEL, type);
        return labels;
    }

    public Job build(Connection connection, long jobId, ObjectNode plan) {
        return build(connection, jobId, 1, plan, Progress.NONE);
    }

    public Job build(
            Connection connection, long jobId, int attempt, ObjectNode plan, Progress progress) {
        String name = jobName(connection.getMetadata().getName(), jobId, attempt);
        Map<String, String> labels = labels(connection.getMetadata().getName(), jobId, "sync");
        labels.put(ATTEMPT_LABEL, Integer.toString(attempt));

        List<EnvVar> env = new ArrayList<>();
        env.add(new EnvVarBuilder().withName(PLAN_ENV).withValue(plan.toString()).build());
        env.add(new EnvVarBuilder().withName("MILLRACE_DATA_ROOT").withValue("/data").build());
        env.add(
                new EnvVarBuilder()
                        .withName("MILLRACE_WAREHOUSE_ROOT")
                        .withValue("/warehouse")
                        .build());
        if (progress.url() != null) {
            env.add(
                    new EnvVarBuilder()
                            .withName(PROGRESS_URL_ENV)
                            .withValue(progress.url())
                            .build());
            // Not a secret of any system (it only lets a caller move this attempt's live counters),
            // so it travels as a plain value like the plan does.
            env.add(
                    new EnvVarBuilder()
                            .withName(PROGRESS_TOKEN_ENV)
                            .withValue(progress.token())
                            .build());
            env.add(
                    new EnvVarBuilder()
                            .withName(PROGRESS_INTERVAL_ENV)
                            .withValue(
                                    Long.toString(
                                            settings.syncJobs().progressInterval().toMillis()))
                            .build());
        }
        // A database source's and a postgres destination's password: the plan names the variable
        // and the Secret key (never the value); the kubelet resolves it from the Secret.
        for (JsonNode database :
                List.of(
                        plan.path("source").path("jdbc"),
                        plan.path("destination").path("postgres"))) {
            JsonNode secret = database.path("passwordSecretRef");
            if (database.hasNonNull("passwordEnv") && secret.hasNonNull("name")) {
                env.add(
                        new EnvVarBuilder()
                                .withName(database.path("passwordEnv").asText())
                                .withNewValueFrom()
                                .withNewSecretKeyRef()
                                .withName(secret.path("name").asText())
                                .withKey(secret.path("key").asText("password"))
                                .endSecretKeyRef()
                                .endValueFrom()
                                .build());
            }
        }

        // An API source's token, password or key, the same way.
        JsonNode auth = plan.path("source").path("rest").path("auth");
        JsonNode authSecret = auth.path("secretRef");
        if (auth.hasNonNull("secretEnv") && authSecret.hasNonNull("name")) {
            env.add(
                    new EnvVarBuilder()
                            .withName(auth.path("secretEnv").asText())
                            .withNewValueFrom()
                            .withNewSecretKeyRef()
                            .withName(authSecret.path("name").asText())
                            .withKey(authSecret.path("key").asText("token"))
                            .endSecretKeyRef()
                            .endValueFrom()
                            .build());
        }

        List<Volume> volumes = new ArrayList<>();
        List<VolumeMount> mounts = new ArrayList<>();
        // DuckDB spills and writes temp files; the root filesystem is read-only.
        volumes.add(new VolumeBuilder().withName("tmp").withNewEmptyDir().endEmptyDir().build());
        mounts.add(new VolumeMountBuilder().withName("tmp").withMountPath("/tmp").build());
        // Volumes only where the plan needs them: a database source reads no files, and a database
        // destination writes no warehouse files.
        if (settings.dataClaim() != null && plan.path("source").has("files")) {
            volumes.add(claim("data", settings.dataClaim(), true));
            mounts.add(
                    new VolumeMountBuilder()
                            .withName("data")
                            .withMountPath("/data")
                            .withReadOnly(true)
                            .build());
        }
        if (settings.warehouseClaim() != null
                && !"postgres".equals(plan.path("destination").path("type").asText())) {
            volumes.add(claim("warehouse", settings.warehouseClaim(), false));
            mounts.add(
                    new VolumeMountBuilder()
                            .withName("warehouse")
                            .withMountPath("/warehouse")
                            .build());
        }

        return new JobBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(connection.getMetadata().getNamespace())
                .withLabels(labels)
                .withOwnerReferences(
                        new OwnerReferenceBuilder()
                                .withApiVersion(connection.getApiVersion())
                                .withKind(connection.getKind())
                                .withName(connection.getMetadata().getName())
                                .withUid(connection.getMetadata().getUid())
                                .withController(true)
                                .withBlockOwnerDeletion(true)
                                .build())
                .endMetadata()
                .withNewSpec()
                // Retries are the operator's decision (it records every attempt), not the Job's.
                .withBackoffLimit(0)
                .withTtlSecondsAfterFinished((int) settings.jobTtlAfterFinished().toSeconds())
                .withNewTemplate()
                .withNewMetadata()
                .withLabels(labels)
                .endMetadata()
                .withNewSpec()
                .withRestartPolicy("Never")
                .withServiceAccountName(settings.jobServiceAccount())
                .withAutomountServiceAccountToken(false)
                .withNewSecurityContext()
                .withRunAsNonRoot(true)
                .withRunAsUser(10001L)
                .withFsGroup(10001L)
                .withNewSeccompProfile()
                .withType("RuntimeDefault")
                .endSeccompProfile()
                .endSecurityContext()
                .addNewContainer()
                .withName(CONTAINER)
                .withImage(settings.syncImage())
                .withImagePullPolicy(settings.imagePullPolicy())
                .withArgs("sync")
                .withEnv(env)
                .withResources(resources(connection))
                .withVolumeMounts(mounts)
                .withTerminationMessagePolicy("FallbackToLogsOnError")
                .withNewSecurityContext()
                .withAllowPrivilegeEscalation(false)
                .withReadOnlyRootFilesystem(true)
                .withNewCapabilities()
                .withDrop("ALL")
                .endCapabilities()
                .endSecurityContext()
                .endContainer()
                .withVolumes(volumes)
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    /**
     * The Connection's requests and limits, each unset one filled from the operator's defaults, so
     * that setting only a memory limit does not drop the default CPU request.
     */
    private ResourceRequirements resources(Connection connection) {
        ResourceRequirements defaults = settings.defaultJobResources();
        ResourceRequirements own = connection.getSpec().resources;
        if (own == null) {
            return defaults;
        }
        Map<String, Quantity> requests = new LinkedHashMap<>();
        Map<String, Quantity> limits = new LinkedHashMap<>();
        if (defaults != null) {
            if (defaults.getRequests() != null) {
                requests.putAll(defaults.getRequests());
            }
            if (defaults.getLimits() != null) {
                limits.putAll(defaults.getLimits());
            }
        }
        if (own.getRequests() != null) {
            requests.putAll(own.getRequests());
        }
        if (own.getLimits() != null) {
            limits.putAll(own.getLimits());
        }
        return new ResourceRequirementsBuilder().withRequests(requests).withLimits(limits).build();
    }

    private static Volume claim(String name, String claim, boolean readOnly) {
        return new VolumeBuilder()
                .withName(name)
                .withNewPersistentVolumeClaim(claim, readOnly)
                .build();
    }
}
