package dev.millrace.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.millrace.crds.common.Conditions;
import dev.millrace.crds.common.ObjectRef;
import dev.millrace.crds.connection.Connection;
import dev.millrace.crds.connection.Schedule;
import dev.millrace.crds.model.Model;
import dev.millrace.crds.model.ModelSpec;
import dev.millrace.operator.job.JobPrerequisites;
import dev.millrace.store.job.JobQuery;
import dev.millrace.store.job.JobRecord;
import dev.millrace.store.job.JobStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On a cluster the operator names the claims sync pods mount; in a namespace without them (or
 * without the sync ServiceAccount) a Job's pod would never start. The harness's namespace plays
 * such a namespace: the operator is configured as the chart configures it, but nothing the chart
 * creates in its release namespace exists here until a test creates it.
 */
class JobPrerequisitesTest {
    static final String CONNECTION = "orders-to-warehouse";

    @TempDir Path tmp;
    private OperatorHarness cluster;

    @BeforeEach
    void start() throws Exception {
        cluster = OperatorHarness.started(tmp, asOnACluster(OperatorHarness.settings()));
        cluster.csvFolder("orders", Map.of("a.csv", "order_id,amount\n1,10\n2,20\n"));
        cluster.csvSource("orders", "orders");
        cluster.warehouse("warehouse");
    }

    @AfterEach
    void stop() throws Exception {
        cluster.close();
    }

    /** The flags the chart passes: --data-claim, --warehouse-claim, --job-service-account. */
    static OperatorSettings asOnACluster(OperatorSettings s) {
        return new OperatorSettings(
                s.namespaces(),
                s.syncImage(),
                s.imagePullPolicy(),
                "millrace-sync",
                s.jobTtlAfterFinished(),
                "millrace-data",
                "millrace-warehouse",
                s.defaultJobResources(),
                s.resyncInterval(),
                s.syncJobs(),
                s.connectorTestTimeout(),
                s.connectorFileRoot(),
                s.checkInterval());
    }

    @Test
    void aSyncWhereTheAccountAndClaimsAreMissingFailsAtOnceSayingWhatIsMissingWhere() {
        // The account exists (the chart makes it in every watched namespace); the claims do not.
        createServiceAccount();
        cluster.connection(CONNECTION, "orders", "warehouse", Schedule.manual());
        cluster.requestSync(CONNECTION, "req-1");

        Connection failed = cluster.awaitLastJob(CONNECTION, "failed");

        String error = failed.getStatus().lastJob.error;
        assertThat(error)
                .contains(
                        "PersistentVolumeClaim millrace-data and PersistentVolumeClaim"
                                + " millrace-warehouse do not exist in namespace "
                                + OperatorHarness.NS)
                .contains("file sources and DuckDB or Parquet destinations use those volumes")
                .doesNotContain("ServiceAccount millrace-sync");
        // Not retried, and no Job that would wait forever for its volumes.
        assertThat(failed.getStatus().lastJob.attempt).isNull();
        assertThat(cluster.jobsOf(CONNECTION)).isEmpty();
        List<JobRecord> jobs = cluster.store.jobs(JobQuery.all());
        assertThat(jobs)
                .singleElement()
                .satisfies(
                        j -> {
                            assertThat(j.status()).isEqualTo(JobStatus.FAILED);
                            assertThat(cluster.store.jobAttempts().of(j.id())).isEmpty();
                        });
        var ready = Conditions.find(failed.getStatus().conditions, Conditions.READY).orElseThrow();
        assertThat(ready.getStatus()).isEqualTo("False");
        assertThat(ready.getReason()).isEqualTo(JobPrerequisites.REASON);
        assertThat(ready.getMessage()).contains("PersistentVolumeClaim millrace-warehouse");
        assertThat(warnings())
                .anySatisfy(
                        e -> {
                            assertThat(e.getReason()).isEqualTo("SyncRejected");
                            assertThat(e.getMessage()).contains("millrace-data");
                            assertThat(e.getInvolvedObject().getName()).isEqualTo(CONNECTION);
                        });
    }

    @Test
    void aMissingServiceAccountIsNamedAndOnceEverythingExistsTheNextSyncRuns() {
        cluster.connection(CONNECTION, "orders", "warehouse", Schedule.manual());
        cluster.requestSync(CONNECTION, "req-1");
        assertThat(cluster.awaitLastJob(CONNECTION, "failed").getStatus().lastJob.error)
                .contains(
                        "ServiceAccount millrace-sync and PersistentVolumeClaim millrace-data and"
                                + " PersistentVolumeClaim millrace-warehouse do not exist in"
                                + " namespace "
                                + OperatorHarness.NS);

        createServiceAccount();
        createClaim("millrace-data");
        createClaim("millrace-warehouse");
        cluster.requestSync(CONNECTION, "req-2");

        Connection done = cluster.awaitLastJob(CONNECTION, "succeeded");
        assertThat(done.getStatus().lastJob.rowsSynced).isEqualTo(2);
        assertThat(cluster.jobsOf(CONNECTION))
                .singleElement()
                .satisfies(
                        job -> {
                            var pod = job.getSpec().getTemplate().getSpec();
                            assertThat(pod.getServiceAccountName()).isEqualTo("millrace-sync");
                            assertThat(pod.getVolumes())
                                    .filteredOn(v -> v.getPersistentVolumeClaim() != null)
                                    .extracting(v -> v.getPersistentVolumeClaim().getClaimName())
                                    .containsExactlyInAnyOrder(
                                            "millrace-data", "millrace-warehouse");
                        });
        await().atMost(OperatorHarness.WAIT)
                .until(
                        () ->
                                Conditions.isTrue(
                                        cluster.connection(CONNECTION).getStatus().conditions,
                                        Conditions.READY));
    }

    @Test
    void aModelRunWhereTheWarehouseClaimIsMissingIsRejectedAndNotReady() {
        createServiceAccount();
        createClaim("millrace-data");
        Model model = new Model();
        model.setMetadata(
                new ObjectMetaBuilder()
                        .withName("totals")
                        .withNamespace(OperatorHarness.NS)
                        .build());
        model.setSpec(new ModelSpec());
        model.getSpec().sql = "select 1 as one";
        model.getSpec().materialization = ModelSpec.Materialization.TABLE;
        model.getSpec().schema = "marts";
        model.getSpec().destinationRef = ObjectRef.to("warehouse");
        cluster.client.resource(model).create();
        cluster.client
                .resources(Model.class)
                .inNamespace(OperatorHarness.NS)
                .withName("totals")
                .patch(
                        PatchContext.of(PatchType.JSON),
                        "[{\"op\":\"add\",\"path\":\"/metadata/annotations\",\"value\":"
                                + "{\"millrace.dev/run\":\"r1\"}}]");

        await().atMost(OperatorHarness.WAIT)
                .until(
                        () -> {
                            Model m = model("totals");
                            return m.getStatus() != null
                                    && m.getStatus().lastError != null
                                    && (m.getMetadata().getAnnotations() == null
                                            || !m.getMetadata()
                                                    .getAnnotations()
                                                    .containsKey("millrace.dev/run"));
                        });
        Model refused = model("totals");
        var ready = Conditions.find(refused.getStatus().conditions, Conditions.READY).orElseThrow();
        assertThat(ready.getStatus()).isEqualTo("False");
        assertThat(ready.getReason()).isEqualTo(JobPrerequisites.REASON);
        assertThat(ready.getMessage())
                .startsWith(
                        "PersistentVolumeClaim millrace-warehouse does not exist in namespace "
                                + OperatorHarness.NS);
        assertThat(refused.getStatus().lastError).isEqualTo(ready.getMessage());
        assertThat(
                        cluster.client
                                .batch()
                                .v1()
                                .jobs()
                                .inNamespace(OperatorHarness.NS)
                                .list()
                                .getItems())
                .isEmpty();
        assertThat(warnings())
                .anySatisfy(
                        e -> {
                            assertThat(e.getReason()).isEqualTo("ModelRunRejected");
                            assertThat(e.getInvolvedObject().getName()).isEqualTo("totals");
                        });
    }

    private Model model(String name) {
        return cluster.client
                .resources(Model.class)
                .inNamespace(OperatorHarness.NS)
                .withName(name)
                .get();
    }

    private List<Event> warnings() {
        return cluster
                .client
                .v1()
                .events()
                .inNamespace(OperatorHarness.NS)
                .list()
                .getItems()
                .stream()
                .filter(e -> "Warning".equals(e.getType()))
                .toList();
    }

    private void createServiceAccount() {
        cluster.client
                .serviceAccounts()
                .inNamespace(OperatorHarness.NS)
                .resource(
                        new ServiceAccountBuilder()
                                .withNewMetadata()
                                .withName("millrace-sync")
                                .endMetadata()
                                .withAutomountServiceAccountToken(false)
                                .build())
                .create();
    }

    private void createClaim(String name) {
        cluster.client
                .persistentVolumeClaims()
                .inNamespace(OperatorHarness.NS)
                .resource(
                        new PersistentVolumeClaimBuilder()
                                .withNewMetadata()
                                .withName(name)
                                .endMetadata()
                                .withNewSpec()
                                .withAccessModes("ReadWriteOnce")
                                .withNewResources()
                                .withRequests(Map.of("storage", new Quantity("1Gi")))
                                .endResources()
                                .endSpec()
                                .build())
                .create();
    }
}
