package dev.millrace.operator.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millrace.crds.common.ObjectRef;
import dev.millrace.crds.connection.Connection;
import dev.millrace.crds.connection.ConnectionSpec;
import dev.millrace.operator.OperatorSettings;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The sync Job's pod: least privilege, settings-driven image and resources, only needed mounts. */
class SyncJobFactoryTest {

    private static final OperatorSettings SETTINGS =
            new OperatorSettings(
                            java.util.Set.of(),
                            "registry.example/millrace:9.9",
                            "Always",
                            "millrace-sync",
                            Duration.ofHours(6),
                            "millrace-data",
                            "millrace-warehouse",
                            new ResourceRequirementsBuilder()
                                    .addToRequests("cpu", new Quantity("250m"))
                                    .addToRequests("memory", new Quantity("512Mi"))
                                    .addToLimits("memory", new Quantity("1536Mi"))
                                    .build(),
                            Duration.ofMinutes(10))
                    .withSyncJobs(SyncJobPolicy.defaults());

    private static Connection connection() {
        Connection c = new Connection();
        c.setMetadata(
                new ObjectMetaBuilder()
                        .withName("orders-to-warehouse")
                        .withNamespace("team-a")
                        .withUid("uid-1")
                        .build());
        c.setSpec(new ConnectionSpec());
        c.getSpec().sourceRef = ObjectRef.to("orders");
        c.getSpec().destinationRef = ObjectRef.to("warehouse");
        return c;
    }

    private static ObjectNode filesToDuckDb() {
        return (ObjectNode)
                Serialization.jsonMapper()
                        .valueToTree(
                                Map.of(
                                        "jobId", 7,
                                        "source",
                                                Map.of(
                                                        "type",
                                                        "csv",
                                                        "files",
                                                        Map.of("directory", "orders")),
                                        "destination",
                                                Map.of(
                                                        "type",
                                                        "duckdb",
                                                        "duckdb",
                                                        Map.of("path", "w.duckdb"))));
    }

    private static ObjectNode databaseToDuckDb() {
        return (ObjectNode)
                Serialization.jsonMapper()
                        .valueToTree(
                                Map.of(
                                        "jobId", 7,
                                        "source",
                                                Map.of(
                                                        "type",
                                                        "jdbc",
                                                        "jdbc",
                                                        Map.of(
                                                                "passwordEnv",
                                                                "MILLRACE_SOURCE_PASSWORD",
                                                                "passwordSecretRef",
                                                                Map.of(
                                                                        "name",
                                                                        "shop-db",
                                                                        "key",
                                                                        "password"))),
                                        "destination",
                                                Map.of(
                                                        "type",
                                                        "duckdb",
                                                        "duckdb",
                                                        Map.of("path", "w.duckdb"))));
    }

    private static Job build(Connection c, int attempt, ObjectNode plan) {
        return new SyncJobFactory(SETTINGS)
                .build(
                        c,
                        7,
                        attempt,
                        plan,
                        new SyncJobFactory.Progress(
                                "http://operator:8801/progress/7/" + attempt, "tok"));
    }

    @Test
    void thePodRunsTheConfiguredImageAsNonRootWithAReadOnlyRootAndNoPrivileges() {
        Job job = build(connection(), 1, filesToDuckDb());

        PodSpec pod = job.getSpec().getTemplate().getSpec();
        Container sync = pod.getContainers().get(0);
        assertThat(sync.getImage()).isEqualTo("registry.example/millrace:9.9");
        assertThat(sync.getImagePullPolicy()).isEqualTo("Always");
        assertThat(sync.getArgs()).containsExactly("sync");
        assertThat(pod.getServiceAccountName()).isEqualTo("millrace-sync");
        assertThat(pod.getAutomountServiceAccountToken()).isFalse();
        assertThat(pod.getRestartPolicy()).isEqualTo("Never");
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getSeccompProfile().getType())
                .isEqualTo("RuntimeDefault");
        assertThat(sync.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(sync.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(sync.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(job.getSpec().getBackoffLimit()).isZero();
        assertThat(job.getSpec().getTtlSecondsAfterFinished()).isEqualTo(6 * 3600);
    }

    @Test
    void aFileSyncMountsDataReadOnlyTheWarehouseAndAWritableTmp() {
        Job job = build(connection(), 1, filesToDuckDb());

        PodSpec pod = job.getSpec().getTemplate().getSpec();
        Map<String, Volume> volumes =
                pod.getVolumes().stream().collect(Collectors.toMap(Volume::getName, v -> v));
        assertThat(volumes.get("tmp").getEmptyDir()).isNotNull();
        assertThat(volumes.get("data").getPersistentVolumeClaim().getClaimName())
                .isEqualTo("millrace-data");
        assertThat(volumes.get("data").getPersistentVolumeClaim().getReadOnly()).isTrue();
        assertThat(volumes.get("warehouse").getPersistentVolumeClaim().getClaimName())
                .isEqualTo("millrace-warehouse");
        assertThat(pod.getContainers().get(0).getVolumeMounts())
                .extracting(
                        m -> m.getMountPath() + (Boolean.TRUE.equals(m.getReadOnly()) ? ":ro" : ""))
                .containsExactlyInAnyOrder("/tmp", "/data:ro", "/warehouse");
    }

    @Test
    void aDatabaseSyncMountsNoDataVolumeAndGetsItsPasswordFromTheSecret() {
        Job job = build(connection(), 1, databaseToDuckDb());

        PodSpec pod = job.getSpec().getTemplate().getSpec();
        assertThat(pod.getVolumes())
                .extracting(Volume::getName)
                .containsExactly("tmp", "warehouse");
        EnvVar password =
                pod.getContainers().get(0).getEnv().stream()
                        .filter(e -> e.getName().equals("MILLRACE_SOURCE_PASSWORD"))
                        .findFirst()
                        .orElseThrow();
        assertThat(password.getValue()).isNull();
        assertThat(password.getValueFrom().getSecretKeyRef().getName()).isEqualTo("shop-db");
        assertThat(password.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("password");
    }

    @Test
    void resourcesTheConnectionSetsOverrideTheDefaultsOneByOne() {
        Connection c = connection();
        c.getSpec().resources =
                new ResourceRequirementsBuilder()
                        .addToLimits("memory", new Quantity("4Gi"))
                        .build();

        Container sync =
                build(c, 1, filesToDuckDb())
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0);

        assertThat(sync.getResources().getLimits()).containsEntry("memory", new Quantity("4Gi"));
        assertThat(sync.getResources().getRequests())
                .containsEntry("cpu", new Quantity("250m"))
                .containsEntry("memory", new Quantity("512Mi"));
        assertThat(
                        build(connection(), 1, filesToDuckDb())
                                .getSpec()
                                .getTemplate()
                                .getSpec()
                                .getContainers()
                                .get(0)
                                .getResources())
                .isEqualTo(SETTINGS.defaultJobResources());
    }

    @Test
    void laterAttemptsGetTheirOwnDeterministicShortNameAndReportProgressToTheirOwnUrl() {
        Connection c = connection();
        c.getMetadata().setName("a-very-long-connection-name-that-goes-on-and-on-and-on-forever");

        Job first = build(c, 1, filesToDuckDb());
        Job second = build(c, 2, filesToDuckDb());

        assertThat(first.getMetadata().getName()).endsWith("-7").hasSizeLessThanOrEqualTo(63);
        assertThat(second.getMetadata().getName()).endsWith("-7-a2").hasSizeLessThanOrEqualTo(63);
        assertThat(SyncJobFactory.attemptOf(second)).isEqualTo(2);
        assertThat(second.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
                .extracting(EnvVar::getName, EnvVar::getValue)
                .contains(
                        org.assertj.core.groups.Tuple.tuple(
                                "MILLRACE_PROGRESS_URL", "http://operator:8801/progress/7/2"),
                        org.assertj.core.groups.Tuple.tuple("MILLRACE_PROGRESS_TOKEN", "tok"),
                        org.assertj.core.groups.Tuple.tuple(
                                "MILLRACE_PROGRESS_INTERVAL_MS", "2000"));
    }
}
