package dev.millrace.cli;

import dev.millrace.api.auth.AuthMode;
import dev.millrace.api.auth.AuthSettings;
import dev.millrace.operator.OperationsSettings;
import dev.millrace.operator.OperatorSettings;
import dev.millrace.operator.leader.LeaderElection;
import dev.millrace.store.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Option;

/** Options shared by the commands that run against a real cluster. */
final class ClusterOptions {
    @Option(
            names = "--store",
            defaultValue = "/var/lib/millrace/store.duckdb",
            description = "DuckDB file of the history store (default: ${DEFAULT-VALUE}).")
    Path store;

    @Option(
            names = "--store-url",
            description =
                    "JDBC URL of a PostgreSQL store instead of the DuckDB file (credentials from"
                            + " MILLRACE_STORE_USER / MILLRACE_STORE_PASSWORD).")
    String storeUrl;

    @Option(
            names = "--watch-namespace",
            split = ",",
            description =
                    "Namespaces to reconcile and serve through the API (comma-separated;"
                            + " default: all).")
    List<String> namespaces = List.of();

    @Option(
            names = "--sync-image",
            description = "Image of sync Jobs (default: the operator's own image).")
    String syncImage;

    @Option(
            names = "--image-pull-policy",
            defaultValue = "IfNotPresent",
            description = "Pull policy of sync Jobs (default: ${DEFAULT-VALUE}).")
    String imagePullPolicy;

    @Option(
            names = "--job-service-account",
            defaultValue = "millrace-sync",
            description = "Service account of sync Job pods (default: ${DEFAULT-VALUE}).")
    String jobServiceAccount;

    @Option(
            names = "--data-claim",
            description = "PVC mounted read-only at /data in sync pods (file sources).")
    String dataClaim;

    @Option(
            names = "--warehouse-claim",
            description = "PVC mounted at /warehouse in sync pods (DuckDB destinations).")
    String warehouseClaim;

    @Option(
            names = "--sync-attempts",
            defaultValue = "3",
            description = "Attempts of one sync job before it fails (retries use backoff).")
    int syncAttempts;

    @Option(
            names = "--progress-listen",
            defaultValue = "127.0.0.1:0",
            description =
                    "host:port of the operator's progress endpoint, which sync pods call; on a"
                            + " cluster e.g. 0.0.0.0:8801 with --progress-url.")
    String progressListen;

    @Option(
            names = "--progress-url",
            description =
                    "Base URL sync pods reach the progress endpoint at, e.g."
                            + " http://millrace-operator.millrace.svc:8801.")
    String progressUrl;

    @Option(
            names = "--data-root",
            defaultValue = "/data",
            description = "Where file sources' folders are mounted (default: ${DEFAULT-VALUE}).")
    Path dataRoot;

    @Option(
            names = "--warehouse-root",
            defaultValue = "/warehouse",
            description =
                    "Where DuckDB destinations' files are mounted (default: ${DEFAULT-VALUE}).")
    Path warehouseRoot;

    @Option(
            names = "--leader-election",
            negatable = true,
            defaultValue = "true",
            fallbackValue = "true",
            description =
                    "Compete for the operator Lease so only one replica reconciles (default:"
                            + " on; --no-leader-election for a single replica).")
    boolean leaderElection;

    @Option(
            names = "--leader-election-namespace",
            defaultValue = "${env:POD_NAMESPACE:-default}",
            description =
                    "Namespace of the operator Lease (default: $POD_NAMESPACE, else default).")
    String leaderElectionNamespace;

    @Option(
            names = "--leader-election-lease",
            defaultValue = LeaderElection.DEFAULT_LEASE,
            description = "Name of the operator Lease (default: ${DEFAULT-VALUE}).")
    String leaderElectionLease;

    @Option(
            names = "--metrics-listen",
            defaultValue = "0.0.0.0:8802",
            description =
                    "host:port of /metrics, /healthz and /readyz, or 'none' (default:"
                            + " ${DEFAULT-VALUE}).")
    String metricsListen;

    OperationsSettings operationsSettings() {
        return new OperationsSettings(
                leaderElection
                        ? LeaderElection.of(leaderElectionNamespace)
                                .withLeaseName(leaderElectionLease)
                        : null,
                "none".equalsIgnoreCase(metricsListen) ? null : metricsListen);
    }

    Store openStore() throws java.io.IOException {
        if (storeUrl != null) {
            return Store.open(
                    storeUrl,
                    System.getenv("MILLRACE_STORE_USER"),
                    System.getenv("MILLRACE_STORE_PASSWORD"));
        }
        if (store.getParent() != null) {
            Files.createDirectories(store.getParent());
        }
        return Store.openDuckDb(store);
    }

    OperatorSettings operatorSettings() {
        OperatorSettings d = OperatorSettings.defaults();
        Set<String> ns = new LinkedHashSet<>(namespaces);
        return new OperatorSettings(
                ns,
                syncImage != null ? syncImage : d.syncImage(),
                imagePullPolicy,
                jobServiceAccount,
                d.jobTtlAfterFinished(),
                dataClaim,
                warehouseClaim,
                d.defaultJobResources(),
                d.resyncInterval(),
                d.syncJobs()
                        .withRetries(
                                syncAttempts,
                                d.syncJobs().initialBackoff(),
                                d.syncJobs().maxBackoff())
                        .withProgress(d.syncJobs().progressInterval(), progressListen, progressUrl),
                d.connectorTestTimeout(),
                d.connectorFileRoot(),
                d.checkInterval());
    }

    /** How the API server authenticates callers (control-plane and api). */
    static final class AuthOptions {
        @Option(
                names = "--auth",
                split = ",",
                paramLabel = "MODE",
                description = {
                    "none, token, jwt or kubernetes; repeat or comma-separate to accept several"
                            + " (tried in the order token, jwt, kubernetes).",
                    "Default: none, which is allowed only with a loopback --bind."
                })
        List<String> modes = List.of();

        @Option(
                names = "--auth-token-secret",
                paramLabel = "NAMESPACE/NAME",
                description =
                        "Secret of static tokens for --auth token: each data key names a token,"
                                + " its value is the token. Re-read every 30 s.")
        String tokenSecret;

        @Option(
                names = "--jwt-hs256-secret-file",
                paramLabel = "FILE",
                description = "Shared secret (at least 32 bytes) of HS256 tokens for --auth jwt.")
        Path hs256SecretFile;

        @Option(
                names = "--jwt-rs256-public-key-file",
                paramLabel = "FILE",
                description = "PEM public key (BEGIN PUBLIC KEY) of RS256 tokens for --auth jwt.")
        Path rs256PublicKeyFile;

        @Option(names = "--jwt-issuer", description = "Required iss claim of JWTs (default: any).")
        String jwtIssuer;

        @Option(
                names = "--jwt-audience",
                description = "Required aud value of JWTs (default: any).")
        String jwtAudience;

        AuthSettings settings() throws java.io.IOException {
            EnumSet<AuthMode> parsed = EnumSet.noneOf(AuthMode.class);
            modes.forEach(m -> parsed.add(AuthMode.parse(m)));
            String namespace = null;
            String name = null;
            if (tokenSecret != null) {
                int slash = tokenSecret.indexOf('/');
                if (slash <= 0 || slash == tokenSecret.length() - 1) {
                    throw new IllegalArgumentException(
                            "--auth-token-secret must be NAMESPACE/NAME, got '"
                                    + tokenSecret
                                    + "'");
                }
                namespace = tokenSecret.substring(0, slash);
                name = tokenSecret.substring(slash + 1);
            }
            return new AuthSettings(
                    parsed,
                    namespace,
                    name,
                    null,
                    hs256SecretFile == null ? null : AuthSettings.readHs256Secret(hs256SecretFile),
                    rs256PublicKeyFile == null
                            ? null
                            : AuthSettings.readRsaPublicKey(rs256PublicKeyFile),
                    jwtIssuer,
                    jwtAudience);
        }
    }
}
