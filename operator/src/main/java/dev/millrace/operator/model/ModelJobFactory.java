package dev.millrace.operator.model;

import dev.millrace.crds.common.JobNames;
import dev.millrace.crds.common.MillraceApi;
import dev.millrace.crds.model.Model;
import dev.millrace.operator.OperatorSettings;
import dev.millrace.sync.model.ModelPlan;
import dev.millrace.sync.model.ModelRunMain;
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
 * Builds the batch/v1 Job that runs one model ({@code millrace model-run}). Like a sync Job: a
 * deterministic name from the model and the store's job id, owned by the Model, no API access, a
 * read-only root filesystem, the warehouse volume, and the result in the termination message.
 */
public final class ModelJobFactory {
    public static final String CONTAINER = "model";
    public static final String COMMAND = "model-run";
    public static final String JOB_TYPE = "model_run";

    private final OperatorSettings settings;

    public ModelJobFactory(OperatorSettings settings) {
        this.settings = settings;
    }

    public static String jobName(String model, long jobId) {
        return JobNames.modelRunJob(model, jobId);
    }

    public Job build(Model model, ModelPlan plan) {
        String name = jobName(model.getMetadata().getName(), plan.jobId());
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(MillraceApi.MANAGED_BY_LABEL, MillraceApi.MANAGED_BY);
        labels.put(MillraceApi.MODEL_LABEL, model.getMetadata().getName());
        labels.put(MillraceApi.JOB_ID_LABEL, Long.toString(plan.jobId()));
        labels.put(MillraceApi.JOB_TYPE_LABEL, JOB_TYPE);

        List<Volume> volumes = new ArrayList<>();
        List<VolumeMount> mounts = new ArrayList<>();
        // DuckDB spills and writes temp files; the root filesystem is read-only.
        volumes.add(new VolumeBuilder().withName("tmp").withNewEmptyDir().endEmptyDir().build());
        mounts.add(new VolumeMountBuilder().withName("tmp").withMountPath("/tmp").build());
        if (settings.warehouseClaim() != null) {
            volumes.add(
                    new VolumeBuilder()
                            .withName("warehouse")
                            .withNewPersistentVolumeClaim(settings.warehouseClaim(), false)
                            .build());
            mounts.add(
                    new VolumeMountBuilder()
                            .withName("warehouse")
                            .withMountPath("/warehouse")
                            .build());
        }
        return new JobBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(model.getMetadata().getNamespace())
                .withLabels(labels)
                .withOwnerReferences(
                        new OwnerReferenceBuilder()
                                .withApiVersion(model.getApiVersion())
                                .withKind(model.getKind())
                                .withName(model.getMetadata().getName())
                                .withUid(model.getMetadata().getUid())
                                .withController(true)
                                .withBlockOwnerDeletion(true)
                                .build())
                .endMetadata()
                .withNewSpec()
                // A failed run is reported, not retried: a SQL error does not fix itself.
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
                .withArgs(COMMAND)
                .addNewEnv()
                .withName(ModelRunMain.PLAN)
                .withValue(plan.toJson())
                .endEnv()
                .addNewEnv()
                .withName("MILLRACE_WAREHOUSE_ROOT")
                .withValue("/warehouse")
                .endEnv()
                .withResources(settings.defaultJobResources())
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
}
