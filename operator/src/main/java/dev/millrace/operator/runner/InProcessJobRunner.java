package dev.millrace.operator.runner;

import dev.millrace.crds.common.MillraceApi;
import dev.millrace.operator.model.ModelJobFactory;
import dev.millrace.sync.SyncMain;
import dev.millrace.sync.model.ModelRunMain;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs Millrace sync and model run Jobs inside this JVM for local mode and tests, doing what the
 * Job controller and the kubelet do on a cluster: it creates the Job's Pod, runs {@code millrace
 * sync} with the container's env (secretKeyRef resolved from Secrets), and writes Pod and Job
 * status with the result JSON as the container's termination message. The operator therefore reads
 * results the same way here as on a real cluster. Deleting a running Job interrupts its sync (a
 * cancel).
 */
public final class InProcessJobRunner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(InProcessJobRunner.class);
    private static final int TERMINATION_MESSAGE_LIMIT = 4096;
    private static final int FALLBACK_LOG_LINES = 80;

    /** Where local syncs find their files: the data root, the warehouse root and pod logs. */
    public record Paths(Path dataRoot, Path warehouseRoot, Path logs) {}

    private final KubernetesClient client;
    private final Paths paths;
    private final Clock clock;
    private final ExecutorService executor;
    private final Map<String, Future<?>> running = new ConcurrentHashMap<>();
    private final java.util.Set<String> cancelled = ConcurrentHashMap.newKeySet();
    private SharedIndexInformer<Job> informer;

    public InProcessJobRunner(KubernetesClient client, Paths paths, int parallelism, Clock clock) {
        this.client = client;
        this.paths = paths;
        this.clock = clock;
        this.executor =
                Executors.newFixedThreadPool(
                        parallelism,
                        r -> {
                            Thread t = new Thread(r, "millrace-job-runner");
                            t.setDaemon(true);
                            return t;
                        });
    }

    public void start() {
        informer =
                client.batch()
                        .v1()
                        .jobs()
                        .inAnyNamespace()
                        .withLabel(MillraceApi.MANAGED_BY_LABEL, MillraceApi.MANAGED_BY)
                        .inform(
                                new ResourceEventHandler<>() {
                                    @Override
                                    public void onAdd(Job job) {
                                        consider(job);
                                    }

                                    @Override
                                    public void onUpdate(Job oldJob, Job job) {
                                        consider(job);
                                    }

                                    @Override
                                    public void onDelete(Job job, boolean unknownFinalState) {
                                        cancel(job);
                                    }
                                });
    }

    private static String key(Job job) {
        return job.getMetadata().getNamespace() + "/" + job.getMetadata().getName();
    }

    private synchronized void consider(Job job) {
        if (running.containsKey(key(job)) || isFinished(job.getStatus())) {
            return;
        }
        if (job.getStatus() != null && job.getStatus().getStartTime() != null) {
            // Started by an earlier run of this process, which died with it: like a lost node.
            finishJob(job, false, "PodLost", "the local Job runner restarted while this Job ran");
            return;
        }
        Job started = markStarted(job);
        if (started == null) {
            return;
        }
        running.put(key(job), executor.submit(() -> run(started)));
    }

    private void cancel(Job job) {
        Future<?> future = running.remove(key(job));
        if (future != null) {
            cancelled.add(key(job));
            LOG.info("Job {} deleted while running: cancelling its sync", key(job));
            future.cancel(true);
        }
    }

    private Job markStarted(Job job) {
        Job copy = Serialization.clone(job);
        JobStatus status = copy.getStatus() == null ? new JobStatus() : copy.getStatus();
        status.setStartTime(now());
        status.setActive(1);
        copy.setStatus(status);
        try {
            return client.batch().v1().jobs().resource(copy).updateStatus();
        } catch (KubernetesClientException e) {
            // 409: someone changed the Job meanwhile; the informer brings the new version.
            if (e.getCode() != 409 && e.getCode() != 404) {
                LOG.warn("Could not start Job {}: {}", key(job), e.getMessage());
            }
            return null;
        }
    }

    private void run(Job job) {
        String ns = job.getMetadata().getNamespace();
        Container container = job.getSpec().getTemplate().getSpec().getContainers().get(0);
        Pod pod = createPod(job);
        Path log = paths.logs().resolve(ns).resolve(pod.getMetadata().getName() + ".log");
        int exitCode;
        String startedAt = now();
        Path terminationLog = null;
        try {
            Files.createDirectories(log.getParent());
            terminationLog = Files.createTempFile("millrace-termination-", ".log");
            Map<String, String> env = environment(ns, container);
            env.put("MILLRACE_DATA_ROOT", paths.dataRoot().toString());
            env.put("MILLRACE_WAREHOUSE_ROOT", paths.warehouseRoot().toString());
            env.put("MILLRACE_TERMINATION_LOG", terminationLog.toString());
            List<String> args =
                    new ArrayList<>(container.getArgs() == null ? List.of() : container.getArgs());
            // The container's first argument is the millrace subcommand: sync or model-run.
            String command = args.isEmpty() ? "sync" : args.get(0);
            if (command.equals("sync") || command.equals(ModelJobFactory.COMMAND)) {
                args.remove(0);
            }
            try (OutputStream file = Files.newOutputStream(log);
                    PrintStream out = new PrintStream(file, true, StandardCharsets.UTF_8)) {
                exitCode =
                        command.equals(ModelJobFactory.COMMAND)
                                ? ModelRunMain.run(args.toArray(String[]::new), env, out)
                                : SyncMain.run(args.toArray(String[]::new), env, out);
            }
        } catch (Exception e) {
            LOG.warn("Job {} could not run: {}", key(job), e.getMessage());
            appendQuietly(log, "millrace: " + e.getMessage());
            exitCode = 128;
        }
        boolean wasCancelled = cancelled.remove(key(job));
        String message = terminationMessage(terminationLog, log, exitCode);
        if (terminationLog != null) {
            try {
                Files.deleteIfExists(terminationLog);
            } catch (IOException ignored) {
                // a temp file; the OS cleans it
            }
        }
        finishPod(pod, exitCode, startedAt, message);
        if (!wasCancelled) {
            finishJob(
                    job,
                    exitCode == 0,
                    exitCode == 0 ? null : "BackoffLimitExceeded",
                    "Job has reached the specified backoff limit");
        }
        // Only now: until the Job shows as finished, an informer event must not mistake it for
        // lost.
        running.remove(key(job));
    }

    private Map<String, String> environment(String namespace, Container container) {
        Map<String, String> env = new LinkedHashMap<>();
        Map<String, Secret> secrets = new HashMap<>();
        for (EnvVar var : container.getEnv() == null ? List.<EnvVar>of() : container.getEnv()) {
            if (var.getValue() != null) {
                env.put(var.getName(), var.getValue());
            } else if (var.getValueFrom() != null && var.getValueFrom().getSecretKeyRef() != null) {
                var ref = var.getValueFrom().getSecretKeyRef();
                Secret secret =
                        secrets.computeIfAbsent(
                                ref.getName(),
                                n -> client.secrets().inNamespace(namespace).withName(n).get());
                String value = null;
                if (secret != null
                        && secret.getData() != null
                        && secret.getData().get(ref.getKey()) != null) {
                    value =
                            new String(
                                    Base64.getDecoder().decode(secret.getData().get(ref.getKey())),
                                    StandardCharsets.UTF_8);
                } else if (secret != null && secret.getStringData() != null) {
                    value = secret.getStringData().get(ref.getKey());
                }
                if (value == null && !Boolean.TRUE.equals(ref.getOptional())) {
                    // The kubelet refuses to start such a container; so do we. The name, never the
                    // value, is reported.
                    throw new IllegalStateException(
                            "secret " + ref.getName() + " has no key " + ref.getKey());
                }
                if (value != null) {
                    env.put(var.getName(), value);
                }
            }
        }
        return env;
    }

    private Pod createPod(Job job) {
        String suffix =
                Long.toString(ThreadLocalRandom.current().nextLong(36L * 36 * 36 * 36 * 36), 36);
        Map<String, String> labels = new LinkedHashMap<>();
        if (job.getSpec().getTemplate().getMetadata() != null
                && job.getSpec().getTemplate().getMetadata().getLabels() != null) {
            labels.putAll(job.getSpec().getTemplate().getMetadata().getLabels());
        }
        labels.put("job-name", job.getMetadata().getName());
        labels.put("batch.kubernetes.io/job-name", job.getMetadata().getName());
        labels.put("controller-uid", job.getMetadata().getUid());
        Pod pod =
                new PodBuilder()
                        .withNewMetadata()
                        .withName(
                                job.getMetadata().getName() + "-" + suffix.toLowerCase(Locale.ROOT))
                        .withNamespace(job.getMetadata().getNamespace())
                        .withLabels(labels)
                        .withOwnerReferences(
                                new OwnerReferenceBuilder()
                                        .withApiVersion("batch/v1")
                                        .withKind("Job")
                                        .withName(job.getMetadata().getName())
                                        .withUid(job.getMetadata().getUid())
                                        .withController(true)
                                        .withBlockOwnerDeletion(true)
                                        .build())
                        .endMetadata()
                        .withSpec(job.getSpec().getTemplate().getSpec())
                        .withNewStatus()
                        .withPhase("Running")
                        .withStartTime(now())
                        .endStatus()
                        .build();
        return client.pods().resource(pod).create();
    }

    private void finishPod(Pod pod, int exitCode, String startedAt, String message) {
        Pod copy = Serialization.clone(pod);
        copy.getStatus().setPhase(exitCode == 0 ? "Succeeded" : "Failed");
        copy.getStatus()
                .setContainerStatuses(
                        List.of(
                                new ContainerStatusBuilder()
                                        .withName(pod.getSpec().getContainers().get(0).getName())
                                        .withImage(pod.getSpec().getContainers().get(0).getImage())
                                        .withReady(false)
                                        .withRestartCount(0)
                                        .withState(
                                                new ContainerStateBuilder()
                                                        .withNewTerminated()
                                                        .withExitCode(exitCode)
                                                        .withReason(
                                                                exitCode == 0
                                                                        ? "Completed"
                                                                        : "Error")
                                                        .withMessage(message)
                                                        .withStartedAt(startedAt)
                                                        .withFinishedAt(now())
                                                        .endTerminated()
                                                        .build())
                                        .build()));
        try {
            client.pods().resource(copy).updateStatus();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return; // deleted with its Job (a cancel): nothing left to record
            }
            LOG.warn(
                    "Could not record the end of pod {}: {}",
                    pod.getMetadata().getName(),
                    e.getMessage());
        }
    }

    private void finishJob(Job job, boolean succeeded, String reason, String message) {
        for (int attempt = 0; attempt < 5; attempt++) {
            Job latest =
                    client.batch()
                            .v1()
                            .jobs()
                            .inNamespace(job.getMetadata().getNamespace())
                            .withName(job.getMetadata().getName())
                            .get();
            if (latest == null) {
                return;
            }
            JobStatus status = latest.getStatus() == null ? new JobStatus() : latest.getStatus();
            status.setActive(0);
            String now = now();
            if (status.getStartTime() == null) {
                status.setStartTime(now);
            }
            if (succeeded) {
                status.setSucceeded(1);
                status.setCompletionTime(now);
                status.setConditions(
                        List.of(
                                new JobConditionBuilder()
                                        .withType("SuccessCriteriaMet")
                                        .withStatus("True")
                                        .withReason("CompletionsReached")
                                        .withLastTransitionTime(now)
                                        .build(),
                                new JobConditionBuilder()
                                        .withType("Complete")
                                        .withStatus("True")
                                        .withReason("CompletionsReached")
                                        .withLastTransitionTime(now)
                                        .build()));
            } else {
                status.setFailed(1);
                status.setConditions(
                        List.of(
                                new JobConditionBuilder()
                                        .withType("FailureTarget")
                                        .withStatus("True")
                                        .withReason(reason)
                                        .withMessage(message)
                                        .withLastTransitionTime(now)
                                        .build(),
                                new JobConditionBuilder()
                                        .withType("Failed")
                                        .withStatus("True")
                                        .withReason(reason)
                                        .withMessage(message)
                                        .withLastTransitionTime(now)
                                        .build()));
            }
            latest.setStatus(status);
            try {
                client.batch().v1().jobs().resource(latest).updateStatus();
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() == 404) {
                    return;
                }
                if (e.getCode() != 409) {
                    throw e;
                }
            }
        }
    }

    /** What the kubelet would report: the termination log, else (on failure) the log's tail. */
    private static String terminationMessage(Path terminationLog, Path log, int exitCode) {
        try {
            if (terminationLog != null && Files.size(terminationLog) > 0) {
                return truncate(Files.readString(terminationLog));
            }
            if (exitCode != 0 && Files.exists(log)) {
                List<String> lines = Files.readAllLines(log);
                return truncate(
                        String.join(
                                "\n",
                                lines.subList(
                                        Math.max(0, lines.size() - FALLBACK_LOG_LINES),
                                        lines.size())));
            }
        } catch (IOException e) {
            LOG.debug("no termination message: {}", e.getMessage());
        }
        return null;
    }

    private static String truncate(String message) {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= TERMINATION_MESSAGE_LIMIT) {
            return message;
        }
        return new String(
                bytes,
                bytes.length - TERMINATION_MESSAGE_LIMIT,
                TERMINATION_MESSAGE_LIMIT,
                StandardCharsets.UTF_8);
    }

    private static void appendQuietly(Path log, String line) {
        try {
            Files.createDirectories(log.getParent());
            Files.writeString(
                    log,
                    line + "\n",
                    StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException ignored) {
            // logging the failure to log is all we could do
        }
    }

    private static boolean isFinished(JobStatus status) {
        return status != null
                && ((status.getSucceeded() != null && status.getSucceeded() > 0)
                        || (status.getFailed() != null && status.getFailed() > 0));
    }

    private String now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
    }

    @Override
    public void close() {
        if (informer != null) {
            informer.close();
        }
        executor.shutdownNow();
    }
}
