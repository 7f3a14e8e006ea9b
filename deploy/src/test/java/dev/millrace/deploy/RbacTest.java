package dev.millrace.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The chart grants exactly what the code calls. Each expected rule names the code that needs it;
 * when the operator or the API server makes a new call, it belongs here and in templates/rbac.yaml.
 */
class RbacTest {
    static final List<String> OPERATOR_RULES =
            List.of(
                    // JOSDK informers of ConnectionReconciler and ModelReconciler (primary) and
                    // SourceReconciler and ModelReconciler's "upstream-models" (secondary): list,
                    // watch; ActionAnnotations.remove: JSON Patch of the millrace.dev/sync and
                    // millrace.dev/run annotations, then get to re-read a changed value;
                    // ModelReconciler lists a namespace's Models; ModelRunRequests patches run
                    // annotations onto Models (cascade, after a sync).
                    rule("millrace.dev", "connections,models", "get", "list", "watch", "patch"),
                    // SourceReconciler and DestinationReconciler (primary), ConnectionReconciler's
                    // "sources" and "destinations" informers: get, list, watch.
                    rule("millrace.dev", "sources,destinations", "get", "list", "watch"),
                    // StatusWriter.write: updateStatus() is a PUT to the status subresource.
                    rule(
                            "millrace.dev",
                            "connections/status,sources/status,destinations/status,"
                                    + "connectors/status,models/status,pipelines/status,"
                                    + "pipelinetypes/status,anomalyrules/status",
                            "update"),
                    // PipelineReconciler (primary, and get to read a fresh check annotation);
                    // ExecutionRecorder: get, create the Connection's Pipeline, patch loadLineage
                    // and ActionAnnotations.remove of millrace.dev/check.
                    rule("millrace.dev", "pipelines", "get", "list", "watch", "create", "patch"),
                    // PipelineTypeReconciler (primary); ExecutionRecorder creates millrace-sync.
                    rule("millrace.dev", "pipelinetypes", "get", "list", "watch", "create"),
                    // AnomalyRuleReconciler (primary); AnomalyEvaluator lists a namespace's rules.
                    rule("millrace.dev", "anomalyrules", "get", "list", "watch"),
                    // ConnectorReconciler (primary) and the "connectors" informers of
                    // SourceReconciler and DestinationReconciler (ConnectorReferences): get, list,
                    // watch; ActionAnnotations.remove of millrace.dev/test and millrace.dev/refresh
                    // and JOSDK adding and removing the Cleaner's finalizer: patch.
                    rule("millrace.dev", "connectors", "get", "list", "watch", "patch"),
                    // Credentials.of: secrets().withName(secretRef.name).get().
                    rule("", "secrets", "get"),
                    // JobPrerequisites: serviceAccounts().withName().get() and
                    // persistentVolumeClaims().withName().get() in a Job's namespace before the
                    // Connection or Model reconciler creates it.
                    rule("", "serviceaccounts,persistentvolumeclaims", "get"),
                    // ConnectionReconciler and ModelReconciler.launch: client.resource(job)
                    // .create(); jobs().withName().get()
                    // after a 409 and for vanished Jobs; the "jobs" InformerEventSource: list,
                    // watch.
                    rule("batch", "jobs", "create", "get", "list", "watch"),
                    // SyncJobs.result: pods().withLabel("job-name", ...).list() for the termination
                    // message.
                    rule("", "pods", "list"),
                    // EventRecorder: v1().events()...create().
                    rule("", "events", "create"),
                    // DestinationLease: leases().get/create/update; the Connection reconciler's
                    // Lease informer (list, watch).
                    rule(
                            "coordination.k8s.io",
                            "leases",
                            "create",
                            "get",
                            "list",
                            "watch",
                            "update"));

    static final List<String> API_RULES =
            List.of(
                    // ResourceCache (inform: list, watch; get on a miss), CsvFolderWatcher and
                    // SyncEventInformer (inform); the public family's ResourceWrites (create,
                    // update) and deletes; Annotator (JSON Patch of millrace.dev/sync and
                    // millrace.dev/sync-options on connections).
                    rule(
                            "millrace.dev",
                            "sources,destinations,connections",
                            "get",
                            "list",
                            "watch",
                            "create",
                            "update",
                            "patch",
                            "delete"),
                    // PlatformHealth and DbtModels list Models, DbtModels.find gets one,
                    // ModelEventInformer (inform: list, watch), Annotator (JSON Patch of
                    // millrace.dev/run and millrace.dev/run-options).
                    rule("millrace.dev", "models", "get", "list", "watch", "patch"),
                    // The connector family: ResourceCache (inform, get on a miss), ConnectorWrites
                    // (create, update, delete) and ConnectorActions via Annotator (JSON Patch of
                    // millrace.dev/test and millrace.dev/refresh).
                    rule(
                            "millrace.dev",
                            "connectors",
                            "get",
                            "list",
                            "watch",
                            "create",
                            "update",
                            "patch",
                            "delete"));

    /**
     * ConnectorWrites: the Secret holding a connector's password (get before a rotation or delete,
     * create, update for rotation and ownerReference, delete), only ever in connectors.namespace(),
     * the API namespace.
     */
    static final List<String> API_SECRET_RULES =
            List.of(rule("", "secrets", "get", "create", "update", "delete"));

    /** Workspaces: the namespaces informer of ResourceCache, and a get on a miss. */
    static final List<String> WORKSPACE_RULES =
            List.of(rule("", "namespaces", "get", "list", "watch"));

    static final List<String> KUBERNETES_AUTH_RULES =
            List.of(
                    // KubernetesReviews: authentication().v1().tokenReviews().create() for the
                    // caller's bearer token.
                    rule("authentication.k8s.io", "tokenreviews", "create"),
                    // KubernetesReviews: authorization().v1().subjectAccessReview().create() for
                    // each request.
                    rule("authorization.k8s.io", "subjectaccessreviews", "create"));

    @Test
    void apiAuthGetsOnlyTheReviewsAndTheOneTokenSecret() {
        var chart = Chart.render("ingress-metabase.yaml");
        assertThat(rules(chart.one(ClusterRole.class, "millrace-api-auth").getRules()))
                .containsExactlyElementsOf(KUBERNETES_AUTH_RULES);
        assertThat(subjects(chart.one(ClusterRoleBinding.class, "millrace-api-auth").getSubjects()))
                .containsExactly("ServiceAccount millrace/millrace-operator");
        // StaticTokens: secrets().inNamespace(ns).withName(name).get() of the configured Secret.
        Role tokens = chart.one(Role.class, "millrace-api-tokens");
        assertThat(tokens.getRules())
                .singleElement()
                .satisfies(
                        r -> {
                            assertThat(r.getResources()).containsExactly("secrets");
                            assertThat(r.getResourceNames()).containsExactly("millrace-api-tokens");
                            assertThat(r.getVerbs()).containsExactly("get");
                        });
        // jwt alone reads a mounted file: no API access at all.
        var jwt = Chart.render("postgresql.yaml");
        assertThat(jwt.find(ClusterRole.class, "millrace-api-auth")).isEmpty();
        assertThat(jwt.find(Role.class, "millrace-api-tokens")).isEmpty();
    }

    @Test
    void operatorGetsExactlyTheCallsItMakesClusterWideByDefault() {
        var chart = Chart.render("default.yaml");
        assertThat(rules(chart.one(ClusterRole.class, "millrace-operator").getRules()))
                .containsExactlyElementsOf(OPERATOR_RULES);
        ClusterRoleBinding binding = chart.one(ClusterRoleBinding.class, "millrace-operator");
        assertThat(binding.getRoleRef().getName()).isEqualTo("millrace-operator");
        assertThat(subjects(binding.getSubjects()))
                .containsExactly("ServiceAccount millrace/millrace-operator");
        assertThat(chart.all(Role.class))
                .extracting(r -> r.getMetadata().getName())
                .containsExactlyInAnyOrder(
                        "millrace-operator-leader-election", "millrace-api-secrets");
    }

    @Test
    void apiMayTouchSecretsOnlyInTheNamespaceItsConnectorFamilyServes() {
        for (String values : ChartTest.VALUES_FILES) {
            var chart = Chart.render(values);
            String apiNamespace = values.equals("single-namespace.yaml") ? "data-team" : "millrace";
            String account =
                    values.equals("postgresql.yaml")
                            ? "ServiceAccount millrace/millrace-api"
                            : "ServiceAccount millrace/millrace-operator";
            Role secrets = chart.one(Role.class, "millrace-api-secrets");
            assertThat(secrets.getMetadata().getNamespace()).as(values).isEqualTo(apiNamespace);
            assertThat(rules(secrets.getRules())).containsExactlyElementsOf(API_SECRET_RULES);
            assertThat(secrets.getRules().get(0).getResourceNames()).isEmpty();
            RoleBinding binding = chart.one(RoleBinding.class, "millrace-api-secrets");
            assertThat(binding.getMetadata().getNamespace()).isEqualTo(apiNamespace);
            assertThat(binding.getRoleRef().getKind()).isEqualTo("Role");
            assertThat(binding.getRoleRef().getName()).isEqualTo("millrace-api-secrets");
            assertThat(subjects(binding.getSubjects())).containsExactly(account);
            // No cluster-wide role of the chart lets anyone write Secrets.
            assertThat(chart.all(ClusterRole.class))
                    .flatExtracting(ClusterRole::getRules)
                    .filteredOn(r -> r.getResources().contains("secrets"))
                    .allSatisfy(r -> assertThat(r.getVerbs()).containsExactly("get"));
        }
    }

    @Test
    void operatorReplicasMayTakeOnlyTheirOwnLeaseInTheReleaseNamespace() {
        for (String values : ChartTest.VALUES_FILES) {
            var chart = Chart.render(values);
            Role role = chart.one(Role.class, "millrace-operator-leader-election");
            assertThat(role.getMetadata().getNamespace()).isEqualTo("millrace");
            // LeaderElectionManager checks create, update and get on leases; LeaseLock calls
            // exactly those.
            assertThat(role.getRules())
                    .extracting(
                            r ->
                                    rule(
                                                    String.join(",", r.getApiGroups()),
                                                    String.join(",", r.getResources()),
                                                    r.getVerbs().toArray(String[]::new))
                                            + " "
                                            + r.getResourceNames())
                    .containsExactly(
                            "[coordination.k8s.io] leases: create []",
                            "[coordination.k8s.io] leases: get,update [millrace-operator]");
            RoleBinding binding = chart.one(RoleBinding.class, "millrace-operator-leader-election");
            assertThat(binding.getRoleRef().getName())
                    .isEqualTo("millrace-operator-leader-election");
            assertThat(subjects(binding.getSubjects()))
                    .containsExactly("ServiceAccount millrace/millrace-operator");
        }
    }

    @Test
    void apiGetsExactlyTheCallsItMakesClusterWideByDefault() {
        var chart = Chart.render("default.yaml");
        assertThat(rules(chart.one(ClusterRole.class, "millrace-api").getRules()))
                .containsExactlyElementsOf(API_RULES);
        assertThat(rules(chart.one(ClusterRole.class, "millrace-api-workspaces").getRules()))
                .containsExactlyElementsOf(WORKSPACE_RULES);
        // One process serves the API with DuckDB, so the control plane's account holds it.
        for (String binding : List.of("millrace-api", "millrace-api-workspaces")) {
            assertThat(subjects(chart.one(ClusterRoleBinding.class, binding).getSubjects()))
                    .containsExactly("ServiceAccount millrace/millrace-operator");
        }

        var split = Chart.render("postgresql.yaml");
        assertThat(subjects(split.one(ClusterRoleBinding.class, "millrace-api").getSubjects()))
                .containsExactly("ServiceAccount millrace/millrace-api");
        assertThat(rules(split.one(ClusterRole.class, "millrace-operator").getRules()))
                .containsExactlyElementsOf(OPERATOR_RULES);
    }

    @Test
    void watchNamespacesGiveRolesThereAndNothingClusterWide() {
        var chart = Chart.render("single-namespace.yaml");
        // Only token and access reviews and namespace names, which exist only cluster-wide.
        assertThat(chart.all(ClusterRoleBinding.class))
                .extracting(b -> b.getMetadata().getName())
                .containsExactlyInAnyOrder("millrace-api-auth", "millrace-api-workspaces");
        assertThat(chart.all(ClusterRole.class))
                .extracting(r -> r.getMetadata().getName())
                .containsExactlyInAnyOrder(
                        "millrace-view",
                        "millrace-edit",
                        "millrace-admin",
                        "millrace-api-auth",
                        "millrace-api-workspaces");
        Role api =
                chart.all(Role.class).stream()
                        .filter(r -> r.getMetadata().getName().equals("millrace-api"))
                        .findFirst()
                        .orElseThrow();
        assertThat(api.getMetadata().getNamespace()).isEqualTo("data-team");
        assertThat(rules(api.getRules())).containsExactlyElementsOf(API_RULES);
        Role operator =
                chart.all(Role.class).stream()
                        .filter(r -> r.getMetadata().getName().equals("millrace-operator"))
                        .findFirst()
                        .orElseThrow();
        assertThat(operator.getMetadata().getNamespace()).isEqualTo("data-team");
        assertThat(rules(operator.getRules())).containsExactlyElementsOf(OPERATOR_RULES);
        assertThat(chart.all(RoleBinding.class))
                .extracting(
                        b ->
                                b.getMetadata().getNamespace()
                                        + "/"
                                        + b.getMetadata().getName()
                                        + " -> "
                                        + subjects(b.getSubjects()))
                .containsExactlyInAnyOrder(
                        "data-team/millrace-operator -> [ServiceAccount"
                                + " millrace/millrace-operator]",
                        "data-team/millrace-api -> [ServiceAccount millrace/millrace-operator]",
                        "data-team/millrace-api-secrets -> [ServiceAccount"
                                + " millrace/millrace-operator]",
                        "millrace/millrace-operator-leader-election -> [ServiceAccount"
                                + " millrace/millrace-operator]");
    }

    @Test
    void syncJobAccountIsBoundToNothing() {
        for (String values : ChartTest.VALUES_FILES) {
            var chart = Chart.render(values);
            Stream<Subject> subjects =
                    Stream.concat(
                            chart.all(RoleBinding.class).stream()
                                    .flatMap(b -> b.getSubjects().stream()),
                            chart.all(ClusterRoleBinding.class).stream()
                                    .flatMap(b -> b.getSubjects().stream()));
            assertThat(subjects).noneMatch(s -> s.getName().equals("millrace-sync"));
        }
    }

    @Test
    void millraceKindsAggregateIntoViewEditAndAdmin() {
        var chart = Chart.render("default.yaml");
        String kinds =
                "connectors,sources,destinations,connections,pipelines,pipelinetypes,anomalyrules,models";
        String statuses =
                Stream.of(kinds.split(","))
                        .map(k -> k + "/status")
                        .reduce((a, b) -> a + "," + b)
                        .orElseThrow();
        assertThat(chart.one(ClusterRole.class, "millrace-view").getMetadata().getLabels())
                .containsEntry("rbac.authorization.k8s.io/aggregate-to-view", "true");
        assertThat(rules(chart.one(ClusterRole.class, "millrace-view").getRules()))
                .containsExactly(
                        rule("millrace.dev", kinds, "get", "list", "watch"),
                        rule("millrace.dev", statuses, "get"));
        for (String role : List.of("edit", "admin")) {
            ClusterRole r = chart.one(ClusterRole.class, "millrace-" + role);
            assertThat(r.getMetadata().getLabels())
                    .containsEntry("rbac.authorization.k8s.io/aggregate-to-" + role, "true");
            assertThat(rules(r.getRules()))
                    .containsExactly(
                            rule(
                                    "millrace.dev",
                                    kinds,
                                    "create",
                                    "update",
                                    "patch",
                                    "delete",
                                    "deletecollection"));
        }
    }

    static String rule(String group, String resources, String... verbs) {
        return "[" + group + "] " + resources + ": " + String.join(",", verbs);
    }

    static List<String> rules(List<PolicyRule> rules) {
        return rules.stream()
                .map(
                        r ->
                                rule(
                                        String.join(",", r.getApiGroups()),
                                        String.join(",", r.getResources()),
                                        r.getVerbs().toArray(String[]::new)))
                .toList();
    }

    static List<String> subjects(List<Subject> subjects) {
        return subjects.stream()
                .map(s -> s.getKind() + " " + s.getNamespace() + "/" + s.getName())
                .toList();
    }
}
