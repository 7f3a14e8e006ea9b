package dev.millrace.operator.job;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millrace.crds.common.MillraceApi;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Reads the state and the result of a sync Job the way it looks on a real cluster. */
public final class SyncJobs {
    private SyncJobs() {}

    public enum Phase {
        PENDING,
        RUNNING,
        SUCCEEDED,
        FAILED
    }

    public static Optional<Long> jobId(Job job) {
        String value =
                job.getMetadata().getLabels() == null
                        ? null
                        : job.getMetadata().getLabels().get(MillraceApi.JOB_ID_LABEL);
        try {
            return value == null ? Optional.empty() : Optional.of(Long.parseLong(value));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    public static Phase phase(Job job) {
        var status = job.getStatus();
        if (status == null) {
            return Phase.PENDING;
        }
        List<JobCondition> conditions =
                status.getConditions() == null ? List.of() : status.getConditions();
        for (JobCondition c : conditions) {
            if ("True".equals(c.getStatus())) {
                if ("Complete".equals(c.getType()) || "SuccessCriteriaMet".equals(c.getType())) {
                    return Phase.SUCCEEDED;
                }
                if ("Failed".equals(c.getType()) || "FailureTarget".equals(c.getType())) {
                    return Phase.FAILED;
                }
            }
        }
        if (status.getSucceeded() != null && status.getSucceeded() > 0) {
            return Phase.SUCCEEDED;
        }
        if (status.getStartTime() != null
                || (status.getActive() != null && status.getActive() > 0)) {
            return Phase.RUNNING;
        }
        return Phase.PENDING;
    }

    public static boolean isFinished(Job job) {
        Phase p = phase(job);
        return p == Phase.SUCCEEDED || p == Phase.FAILED;
    }

    /** Why a failed Job failed, from its Failed condition. */
    public static String failureMessage(Job job) {
        if (job.getStatus() == null || job.getStatus().getConditions() == null) {
            return null;
        }
        return job.getStatus().getConditions().stream()
                .filter(c -> "Failed".equals(c.getType()) && "True".equals(c.getStatus()))
                .map(c -> c.getReason() + (c.getMessage() == null ? "" : ": " + c.getMessage()))
                .findFirst()
                .orElse(null);
    }

    /**
     * The sync result JSON from the termination message of the Job's newest pod; the sync writes it
     * to /dev/termination-log and the kubelet (or the in-process runner) copies it there.
     */
    public static Optional<JsonNode> result(KubernetesClient client, Job job) {
        List<Pod> pods =
                client.pods()
                        .inNamespace(job.getMetadata().getNamespace())
                        .withLabel("job-name", job.getMetadata().getName())
                        .list()
                        .getItems();
        return pods.stream()
                .max(
                        Comparator.comparing(
                                p ->
                                        p.getMetadata().getCreationTimestamp() == null
                                                ? ""
                                                : p.getMetadata().getCreationTimestamp()))
                .flatMap(SyncJobs::terminationMessage)
                .flatMap(SyncJobs::parseResult);
    }

    static Optional<String> terminationMessage(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
            return Optional.empty();
        }
        return pod.getStatus().getContainerStatuses().stream()
                .filter(cs -> SyncJobFactory.CONTAINER.equals(cs.getName()))
                .map(ContainerStatus::getState)
                .filter(s -> s != null && s.getTerminated() != null)
                .map(s -> s.getTerminated().getMessage())
                .filter(m -> m != null && !m.isBlank())
                .findFirst();
    }

    /** The result is the last line that parses as a JSON object (logs may precede it). */
    static Optional<JsonNode> parseResult(String message) {
        String[] lines = message.strip().split("\n");
        for (int i = lines.length - 1; i >= 0; i--) {
            String line = lines[i].strip();
            if (line.startsWith("{")) {
                try {
                    JsonNode node = Serialization.jsonMapper().readTree(line);
                    if (node.isObject() && node.has("status")) {
                        return Optional.of(node);
                    }
                } catch (Exception ignored) {
                    // not the result line
                }
            }
        }
        return Optional.empty();
    }
}
