package dev.millrace.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ChartTest {
    static final List<String> VALUES_FILES =
            List.of(
                    "default.yaml",
                    "postgresql.yaml",
                    "ingress-metabase.yaml",
                    "single-namespace.yaml");

    @Test
    void chartPassesStrictLint() {
        var result = new Helm(Chart.DIR).lint().strict().call();
        assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
    }

    @Test
    void defaultsRunOneControlPlaneWithTheDuckDbStoreOnItsOwnVolume() {
        var chart = Chart.render("default.yaml");
        assertThat(chart.all(Deployment.class))
                .extracting(d -> d.getMetadata().getName())
                .containsExactly("millrace-control-plane");
        Deployment cp = chart.one(Deployment.class, "millrace-control-plane");
        assertThat(cp.getSpec().getReplicas()).isEqualTo(1);
        assertThat(cp.getSpec().getStrategy().getType()).isEqualTo("Recreate");
        PodSpec pod = cp.getSpec().getTemplate().getSpec();
        assertThat(pod.getServiceAccountName()).isEqualTo("millrace-operator");
        assertThat(pod.getContainers().get(0).getArgs())
                .containsExactly(
                        "control-plane",
                        "--bind=0.0.0.0",
                        "--port=8800",
                        "--api-namespace=millrace",
                        "--auth=kubernetes",
                        "--store=/var/lib/millrace/store.duckdb",
                        "--data-root=/data",
                        "--warehouse-root=/warehouse",
                        "--sync-image=ghcr.io/millrace/millrace:0.1.0",
                        "--image-pull-policy=IfNotPresent",
                        "--job-service-account=millrace-sync",
                        "--data-claim=millrace-data",
                        "--warehouse-claim=millrace-warehouse",
                        "--progress-listen=0.0.0.0:8801",
                        "--progress-url=http://millrace-progress.millrace.svc:8801",
                        "--leader-election-namespace=$(POD_NAMESPACE)",
                        "--leader-election-lease=millrace-operator",
                        "--metrics-listen=0.0.0.0:8802");
        assertThat(pod.getContainers().get(0).getVolumeMounts())
                .extracting(m -> m.getName() + ":" + m.getMountPath())
                .containsExactly(
                        "tmp:/tmp",
                        "store:/var/lib/millrace",
                        "data:/data",
                        "warehouse:/warehouse");
        assertThat(chart.all(PersistentVolumeClaim.class))
                .extracting(c -> c.getMetadata().getName())
                .containsExactly("millrace-store", "millrace-data", "millrace-warehouse");
        Service service = chart.one(Service.class, "millrace");
        assertThat(service.getSpec().getPorts().get(0).getPort()).isEqualTo(8800);
        assertThat(service.getSpec().getSelector()).isEqualTo(Chart.selector("control-plane"));
        assertThat(chart.kinds())
                .doesNotContain("Ingress", "HorizontalPodAutoscaler", "PodDisruptionBudget");
    }

    @Test
    void syncPodsReachTheOperatorsProgressEndpointThroughItsService() {
        var controlPlane = Chart.render("default.yaml");
        Service progress = controlPlane.one(Service.class, "millrace-progress");
        assertThat(progress.getSpec().getPorts().get(0).getPort()).isEqualTo(8801);
        assertThat(progress.getSpec().getPorts().get(0).getTargetPort().getStrVal())
                .isEqualTo("progress");
        assertThat(progress.getSpec().getSelector()).isEqualTo(Chart.selector("control-plane"));
        assertThat(
                        container(controlPlane.one(Deployment.class, "millrace-control-plane"))
                                .getPorts())
                .extracting(p -> p.getName() + ":" + p.getContainerPort())
                .contains("progress:8801");

        var split = Chart.render("postgresql.yaml");
        assertThat(split.one(Service.class, "millrace-progress").getSpec().getSelector())
                .isEqualTo(Chart.selector("operator"));
        Container operator = container(split.one(Deployment.class, "millrace-operator"));
        assertThat(operator.getPorts())
                .extracting(p -> p.getName() + ":" + p.getContainerPort())
                .containsExactly("progress:8801", "metrics:8802");
        assertThat(operator.getArgs())
                .contains(
                        "--progress-listen=0.0.0.0:8801",
                        "--progress-url=http://millrace-progress.millrace.svc:8801");
    }

    @Test
    void postgresqlStoreSplitsOperatorAndScalableApi() {
        var chart = Chart.render("postgresql.yaml");
        assertThat(chart.all(Deployment.class))
                .extracting(d -> d.getMetadata().getName())
                .containsExactlyInAnyOrder("millrace-operator", "millrace-api");
        Container operator = container(chart.one(Deployment.class, "millrace-operator"));
        assertThat(operator.getArgs())
                .startsWith(
                        "operator",
                        "--store-url=jdbc:postgresql://postgres.databases.svc:5432/millrace")
                .doesNotContain("--store=/var/lib/millrace/store.duckdb");
        Deployment api = chart.one(Deployment.class, "millrace-api");
        assertThat(api.getSpec().getReplicas()).as("the HPA owns the replica count").isNull();
        assertThat(api.getSpec().getTemplate().getSpec().getServiceAccountName())
                .isEqualTo("millrace-api");
        assertThat(container(api).getArgs())
                .containsExactly(
                        "api",
                        "--bind=0.0.0.0",
                        "--port=8800",
                        "--api-namespace=millrace",
                        "--auth=jwt",
                        "--jwt-hs256-secret-file=/etc/millrace/jwt/hs256",
                        "--jwt-issuer=https://login.example.com",
                        "--store-url=jdbc:postgresql://postgres.databases.svc:5432/millrace",
                        "--data-root=/data",
                        "--warehouse-root=/warehouse");
        // The JWT key is a read-only file from its Secret, never an env var or an argument.
        assertThat(container(api).getVolumeMounts())
                .anyMatch(m -> m.getMountPath().equals("/etc/millrace/jwt") && m.getReadOnly());
        assertThat(api.getSpec().getTemplate().getSpec().getVolumes())
                .anyMatch(
                        v ->
                                v.getSecret() != null
                                        && v.getSecret().getSecretName().equals("millrace-jwt"));
        for (Container c : List.of(operator, container(api))) {
            assertThat(c.getEnv())
                    .filteredOn(e -> e.getName().startsWith("MILLRACE_STORE_"))
                    .extracting(
                            e ->
                                    e.getName()
                                            + "="
                                            + e.getValueFrom().getSecretKeyRef().getName()
                                            + "/"
                                            + e.getValueFrom().getSecretKeyRef().getKey())
                    .containsExactly(
                            "MILLRACE_STORE_USER=millrace-store/username",
                            "MILLRACE_STORE_PASSWORD=millrace-store/password");
        }
        var hpa = chart.one(HorizontalPodAutoscaler.class, "millrace-api");
        assertThat(hpa.getSpec().getMinReplicas()).isEqualTo(3);
        assertThat(hpa.getSpec().getMaxReplicas()).isEqualTo(8);
        assertThat(
                        chart.one(PodDisruptionBudget.class, "millrace-api")
                                .getSpec()
                                .getSelector()
                                .getMatchLabels())
                .isEqualTo(Chart.selector("api"));
        assertThat(chart.one(Service.class, "millrace").getSpec().getSelector())
                .isEqualTo(Chart.selector("api"));
        assertThat(chart.all(PersistentVolumeClaim.class))
                .extracting(c -> c.getMetadata().getName())
                .containsExactly("millrace-data", "millrace-warehouse");
    }

    @Test
    void operatorReplicasElectALeaderAndAreProbedAndScrapedOnTheMetricsPort() {
        var chart =
                Chart.parse(Chart.template("postgresql.yaml", t -> t.set("operator.replicas", 2)));
        Deployment deployment =
                chart.stream()
                        .filter(o -> o instanceof Deployment)
                        .map(Deployment.class::cast)
                        .filter(d -> d.getMetadata().getName().equals("millrace-operator"))
                        .findFirst()
                        .orElseThrow();
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
        assertThat(deployment.getSpec().getStrategy())
                .as("a rolling update is safe: the new pod waits for the Lease")
                .isNull();
        Container operator = container(deployment);
        assertThat(operator.getArgs())
                .contains(
                        "--leader-election-namespace=$(POD_NAMESPACE)",
                        "--leader-election-lease=millrace-operator",
                        "--metrics-listen=0.0.0.0:8802");
        // POD_NAMESPACE is defined before the args that expand it.
        assertThat(operator.getEnv().get(0).getName()).isEqualTo("POD_NAMESPACE");
        assertThat(operator.getEnv().get(0).getValueFrom().getFieldRef().getFieldPath())
                .isEqualTo("metadata.namespace");
        assertThat(operator.getPorts())
                .extracting(p -> p.getName() + ":" + p.getContainerPort())
                .containsExactly("progress:8801", "metrics:8802");
        assertThat(operator.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
        assertThat(operator.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
        for (var probe : List.of(operator.getLivenessProbe(), operator.getReadinessProbe())) {
            assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("metrics");
        }
        assertThat(deployment.getSpec().getTemplate().getMetadata().getAnnotations())
                .containsEntry("prometheus.io/scrape", "true")
                .containsEntry("prometheus.io/port", "8802")
                .containsEntry("prometheus.io/path", "/metrics");

        Deployment cp =
                Chart.render("default.yaml").one(Deployment.class, "millrace-control-plane");
        assertThat(container(cp).getPorts())
                .extracting(p -> p.getName() + ":" + p.getContainerPort())
                .containsExactly("http:8800", "progress:8801", "metrics:8802");
        assertThat(cp.getSpec().getTemplate().getMetadata().getAnnotations())
                .containsEntry("prometheus.io/scrape", "true");

        var unannotated =
                Chart.parse(
                        Chart.template(
                                "default.yaml",
                                t -> t.set("operator.metrics.scrapeAnnotations", false)));
        assertThat(unannotated)
                .filteredOn(o -> o instanceof Deployment)
                .allSatisfy(
                        d ->
                                assertThat(
                                                ((Deployment) d)
                                                        .getSpec()
                                                        .getTemplate()
                                                        .getMetadata()
                                                        .getAnnotations())
                                        .isNullOrEmpty());
    }

    @Test
    void ingressAndMetabaseAreRenderedWhenAskedFor() {
        var chart = Chart.render("ingress-metabase.yaml");
        Ingress ingress = chart.one(Ingress.class, "millrace");
        assertThat(ingress.getSpec().getIngressClassName()).isEqualTo("nginx");
        assertThat(ingress.getSpec().getRules().get(0).getHost()).isEqualTo("millrace.test");
        assertThat(
                        ingress.getSpec()
                                .getRules()
                                .get(0)
                                .getHttp()
                                .getPaths()
                                .get(0)
                                .getBackend()
                                .getService()
                                .getName())
                .isEqualTo("millrace");
        Deployment metabase = chart.one(Deployment.class, "millrace-metabase");
        PodSpec pod = metabase.getSpec().getTemplate().getSpec();
        assertThat(pod.getAutomountServiceAccountToken()).isFalse();
        assertThat(pod.getVolumes())
                .filteredOn(v -> v.getName().equals("warehouse"))
                .singleElement()
                .satisfies(
                        v -> {
                            assertThat(v.getPersistentVolumeClaim().getClaimName())
                                    .isEqualTo("millrace-warehouse");
                            assertThat(v.getPersistentVolumeClaim().getReadOnly()).isTrue();
                        });
        assertThat(pod.getInitContainers().get(0).getCommand())
                .contains("https://example.com/duckdb.metabase-driver.jar");
        assertThat(chart.find(Service.class, "millrace-metabase")).isPresent();
    }

    @ParameterizedTest
    @MethodSource("millraceContainers")
    void millraceContainersUseTheChartImageWithItsPullPolicy(
            String values, String image, String policy) {
        var chart = Chart.render(values);
        List<Container> containers = millraceContainers(chart);
        assertThat(containers).isNotEmpty();
        assertThat(containers)
                .allSatisfy(
                        c -> {
                            assertThat(c.getImage()).isEqualTo(image);
                            assertThat(c.getImagePullPolicy()).isEqualTo(policy);
                            if (!c.getArgs().get(0).equals("api")) {
                                // Sync Jobs run the same image with the same policy.
                                assertThat(c.getArgs())
                                        .contains(
                                                "--sync-image=" + image,
                                                "--image-pull-policy=" + policy);
                            }
                        });
    }

    static Stream<Arguments> millraceContainers() {
        return Stream.of(
                Arguments.of("default.yaml", "ghcr.io/millrace/millrace:0.1.0", "IfNotPresent"),
                Arguments.of("postgresql.yaml", "ghcr.io/millrace/millrace:0.1.0", "IfNotPresent"),
                Arguments.of(
                        "ingress-metabase.yaml", "ghcr.io/millrace/millrace:0.1.0-test", "Always"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "default.yaml",
                "postgresql.yaml",
                "ingress-metabase.yaml",
                "single-namespace.yaml"
            })
    void everyPodIsLockedDown(String values) {
        var chart = Chart.render(values);
        for (Deployment d : chart.all(Deployment.class)) {
            PodSpec pod = d.getSpec().getTemplate().getSpec();
            var podContext = pod.getSecurityContext();
            assertThat(podContext.getRunAsNonRoot()).as(d.getMetadata().getName()).isTrue();
            assertThat(podContext.getRunAsUser()).isEqualTo(10001L);
            assertThat(podContext.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
            assertThat(pod.getVolumes())
                    .filteredOn(v -> v.getName().equals("tmp"))
                    .singleElement()
                    .satisfies(v -> assertThat(v.getEmptyDir()).isNotNull());
            for (Container c :
                    Stream.concat(pod.getContainers().stream(), pod.getInitContainers().stream())
                            .toList()) {
                var sc = c.getSecurityContext();
                assertThat(sc.getAllowPrivilegeEscalation()).as(c.getName()).isFalse();
                assertThat(sc.getReadOnlyRootFilesystem()).as(c.getName()).isTrue();
                assertThat(sc.getCapabilities().getDrop()).as(c.getName()).containsExactly("ALL");
                assertThat(c.getResources().getRequests())
                        .as(c.getName())
                        .containsKeys("cpu", "memory");
            }
            for (Container c : pod.getContainers()) {
                assertThat(c.getVolumeMounts())
                        .as(c.getName())
                        .anyMatch(m -> m.getMountPath().equals("/tmp"));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"default.yaml", "postgresql.yaml", "ingress-metabase.yaml"})
    void apiContainersAreProbedOnApiStatus(String values) {
        var chart = Chart.render(values);
        List<Container> serving =
                millraceContainers(chart).stream()
                        .filter(
                                c ->
                                        c.getArgs().get(0).equals("control-plane")
                                                || c.getArgs().get(0).equals("api"))
                        .toList();
        assertThat(serving).hasSize(1);
        Container c = serving.get(0);
        // The API port first; the control plane adds the operator's progress and metrics ports.
        assertThat(c.getPorts())
                .extracting(p -> p.getName() + ":" + p.getContainerPort())
                .first()
                .isEqualTo("http:8800");
        for (var probe : List.of(c.getLivenessProbe(), c.getReadinessProbe())) {
            assertThat(probe.getHttpGet().getPath()).isEqualTo("/api/status");
            assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("http");
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "default.yaml",
                "postgresql.yaml",
                "ingress-metabase.yaml",
                "single-namespace.yaml"
            })
    void noSecretValueIsRendered(String values) {
        var chart = Chart.render(values);
        assertThat(chart.kinds()).doesNotContain("Secret");
        for (Deployment d : chart.all(Deployment.class)) {
            for (Container c : d.getSpec().getTemplate().getSpec().getContainers()) {
                for (EnvVar env : c.getEnv()) {
                    if (env.getName().matches("(?i).*(password|secret|token|user|key).*")) {
                        assertThat(env.getValue())
                                .as(env.getName() + " must come from a Secret")
                                .isNull();
                        assertThat(env.getValueFrom().getSecretKeyRef()).isNotNull();
                    }
                }
                assertThat(c.getArgs()).noneMatch(a -> a.matches("(?i).*(password|token)=.*"));
            }
        }
    }

    @Test
    void syncServiceAccountHasNoTokenInEveryWatchedNamespace() {
        var chart = Chart.render("single-namespace.yaml");
        assertThat(chart.all(ServiceAccount.class))
                .filteredOn(sa -> sa.getMetadata().getName().equals("millrace-sync"))
                .extracting(sa -> sa.getMetadata().getNamespace())
                .containsExactlyInAnyOrder("millrace", "data-team");
        assertThat(chart.all(ServiceAccount.class))
                .filteredOn(sa -> sa.getMetadata().getName().equals("millrace-sync"))
                .allSatisfy(sa -> assertThat(sa.getAutomountServiceAccountToken()).isFalse());
        Container cp = container(chart.one(Deployment.class, "millrace-control-plane"));
        assertThat(cp.getArgs())
                .contains("--watch-namespace=data-team", "--api-namespace=data-team");
    }

    @Test
    void schemaRejectsAWrongValueWithItsPath() {
        assertThatThrownBy(() -> Chart.template("default.yaml", t -> t.set("store.type", "mysql")))
                .hasMessageContaining("store")
                .hasMessageContaining("type")
                .hasMessageContaining("postgresql");
        assertThatThrownBy(
                        () ->
                                Chart.template(
                                        "default.yaml",
                                        t -> t.set("image.pullPolicy", "Sometimes")))
                .hasMessageContaining("pullPolicy");
        assertThatThrownBy(
                        () ->
                                Chart.template(
                                        "default.yaml", t -> t.set("controlPlane.replicas", 2)))
                .hasMessageContaining("replicas");
    }

    @Test
    void authCannotBeOffAndNamedModesNeedTheirSecrets() {
        assertThatThrownBy(() -> Chart.template("default.yaml", t -> t.set("auth.modes", "{}")))
                .hasMessageContaining("modes");
        assertThatThrownBy(() -> Chart.template("default.yaml", t -> t.set("auth.modes", "{none}")))
                .hasMessageContaining("modes");
        assertThatThrownBy(
                        () -> Chart.template("default.yaml", t -> t.set("auth.modes", "{token}")))
                .hasMessageContaining("existingTokenSecret");
        assertThatThrownBy(() -> Chart.template("default.yaml", t -> t.set("auth.modes", "{jwt}")))
                .hasMessageContaining("existingSecret");
    }

    @Test
    void staticTokensComeFromTheNamedSecret() {
        Container cp =
                container(
                        Chart.render("ingress-metabase.yaml")
                                .one(Deployment.class, "millrace-control-plane"));
        assertThat(cp.getArgs())
                .contains(
                        "--auth=token,kubernetes",
                        "--auth-token-secret=millrace/millrace-api-tokens");
    }

    @Test
    void postgresqlStoreNeedsItsUrlAndSecret() {
        assertThatThrownBy(
                        () ->
                                Chart.template(
                                        "default.yaml", t -> t.set("store.type", "postgresql")))
                .hasMessageContaining("url")
                .hasMessageContaining("existingSecret");
        assertThatThrownBy(
                        () ->
                                Chart.template(
                                        "postgresql.yaml",
                                        t ->
                                                t.set(
                                                        "store.postgresql.url",
                                                        "postgres://db:5432/millrace")))
                .hasMessageContaining("url");
    }

    @Test
    void apiNamespaceOutsideTheWatchedOnesIsRefused() {
        assertThatThrownBy(
                        () ->
                                Chart.template(
                                        "single-namespace.yaml",
                                        t -> t.set("api.namespace", "other")))
                .hasMessageContaining("must be one of watchNamespaces");
    }

    static Container container(Deployment d) {
        return d.getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    static List<Container> millraceContainers(Chart.Rendered chart) {
        return chart.all(Deployment.class).stream()
                .filter(d -> !d.getMetadata().getName().endsWith("-metabase"))
                .map(ChartTest::container)
                .toList();
    }
}
