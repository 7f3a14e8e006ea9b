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

    private final OperatorSettings settings;

    public SyncJobFactory(OperatorSettings settings) {
        this.settings = settings;
    }

    /** {@code <connection>-<jobId>}; see {@link JobNames}. */
    public static String jobName(String connection, long jobId) {
        return JobNames.syncJob(connection, jobId);
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
        String name = jobName(connection.getMetadata().getName(), jobId);
        Map<String, String> labels = labels(connection.getMetadata().getName(), jobId, "sync");

        List<EnvVar> env = new ArrayList<>();
        env.add(new EnvVarBuilder().withName(PLAN_ENV).withValue(plan.toString()).build());
        env.add(new EnvVarBuilder().withName("MILLRACE_DATA_ROOT").withValue("/data").build());
        env.add(
                new EnvVarBuilder()
                        .withName("MILLRACE_WAREHOUSE_ROOT")
                        .withValue("/warehouse")
                        .build());
        // A database source's password: the plan names the variable and the Secret key (never
        // the value); the kubelet resolves it from the Secret.
        JsonNode jdbc = plan.path("source").path("jdbc");
        JsonNode secret = jdbc.path("passwordSecretRef");
        if (jdbc.hasNonNull("passwordEnv") && secret.hasNonNull("name")) {
            env.add(
                    new EnvVarBuilder()
                            .withName(jdbc.path("passwordEnv").asText())
                            .withNewValueFrom()
                            .withNewSecretKeyRef()
                            .withName(secret.path("name").asText())
                            .withKey(secret.path("key").asText("password"))
                            .endSecretKeyRef()
                            .endValueFrom()
                            .build());
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
        if (settings.dataClaim() != null) {
            volumes.add(claim("data", settings.dataClaim(), true));
            mounts.add(
                    new VolumeMountBuilder()
                            .withName("data")
                            .withMountPath("/data")
                            .withReadOnly(true)
                            .build());
        }
        if (settings.warehouseClaim() != null) {
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
                .withResources(
                        connection.getSpec().resources != null
                                ? connection.getSpec().resources
                                : settings.defaultJobResources())
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

    private static Volume claim(String name, String claim, boolean readOnly) {
        return new VolumeBuilder()
                .withName(name)
                .withNewPersistentVolumeClaim(claim, readOnly)
                .build();
    }
}
