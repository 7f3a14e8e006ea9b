package dev.millrace.api.platform;

import dev.millrace.api.ApiSettings;
import dev.millrace.crds.destination.Destination;
import dev.millrace.crds.destination.DestinationType;
import dev.millrace.crds.model.Model;
import dev.millrace.crds.model.ModelStatus;
import dev.millrace.crds.source.Source;
import dev.millrace.crds.source.SourceStatus;
import dev.millrace.store.Store;
import dev.millrace.store.job.JobQuery;
import dev.millrace.store.job.JobRecord;
import dev.millrace.store.job.JobStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * GET /api/health/platform: warehouse size and table counts, disk space, recent failures, and the
 * issues derived from them. The warehouse files are only measured, never opened: the sync Jobs may
 * hold DuckDB's write lock.
 */
final class PlatformHealth {
    private static final double MB = 1024.0 * 1024;
    private static final double GB = MB * 1024;
    private static final int MAX_FAILURES_LISTED = 100;
    private static final Duration FAILURE_WINDOW = Duration.ofHours(24);

    private final ApiSettings settings;
    private final KubernetesClient client;
    private final Store store;
    private final Clock clock;

    PlatformHealth(ApiSettings settings, KubernetesClient client, Store store, Clock clock) {
        this.settings = settings;
        this.client = client;
        this.store = store;
        this.clock = clock;
    }

    Map<String, Object> report() {
        String ns = settings.namespace();
        Instant now = clock.instant();
        List<Source> sources = client.resources(Source.class).inNamespace(ns).list().getItems();
        List<Model> models = client.resources(Model.class).inNamespace(ns).list().getItems();
        List<Destination> destinations =
                client.resources(Destination.class).inNamespace(ns).list().getItems();
        List<String> critical = new ArrayList<>();
        List<String> warnings = new ArrayList<>();

        Map<String, Object> database = database(sources, models, destinations);
        Map<String, Object> disk = disk(critical, warnings);

        List<Map<String, Object>> syncFailures = syncFailures(now);
        if (!syncFailures.isEmpty()) {
            warnings.add(syncFailures.size() + " sync failure(s) in the last 24 hours");
        }
        for (Source source : sources) {
            SourceStatus status = source.getStatus();
            if (status != null && status.status == SourceStatus.Phase.FAILED) {
                critical.add(
                        "Source '"
                                + source.getMetadata().getName()
                                + "' failed its last sync"
                                + (status.lastError == null ? "" : ": " + status.lastError));
            }
        }
        List<Map<String, Object>> dbtFailures = new ArrayList<>();
        for (Model model : models) {
            ModelStatus status = model.getStatus();
            if (status != null && status.status == ModelStatus.Phase.ERROR) {
                Map<String, Object> failure = new LinkedHashMap<>();
                failure.put("model", model.getMetadata().getName());
                failure.put("error", status.lastError);
                failure.put("timestamp", status.lastRun);
                dbtFailures.add(failure);
                warnings.add("Model '" + model.getMetadata().getName() + "' failed its last run");
            }
        }

        Map<String, Object> body = new LinkedHashMap<>();
        body.put(
                "status",
                !critical.isEmpty() ? "critical" : !warnings.isEmpty() ? "warning" : "healthy");
        body.put("timestamp", now.truncatedTo(ChronoUnit.SECONDS).toString());
        body.put("database", database);
        body.put("disk", disk);
        body.put("sync_failures", syncFailures);
        body.put("dbt_failures", dbtFailures);
        body.put("total_sources", sources.size());
        body.put(
                "enabled_sources",
                sources.stream()
                        .filter(s -> s.getSpec() != null && s.getSpec().isEnabled())
                        .count());
        body.put("critical_issues", critical);
        body.put("warnings", warnings);
        return body;
    }

    private Map<String, Object> database(
            List<Source> sources, List<Model> models, List<Destination> destinations) {
        Set<Path> files = new LinkedHashSet<>();
        Path root = settings.warehouseRoot().toAbsolutePath().normalize();
        for (Destination d : destinations) {
            if (d.getSpec() != null && d.getSpec().type == DestinationType.DUCKDB) {
                files.add(root.resolve(d.getSpec().duckdbPath()).normalize());
            }
        }
        long bytes = 0;
        for (Path file : files) {
            // The write-ahead log holds data not yet checkpointed into the file.
            for (Path part : List.of(file, Path.of(file + ".wal"))) {
                try {
                    if (Files.isRegularFile(part)) {
                        bytes += Files.size(part);
                    }
                } catch (IOException e) {
                    // vanished between the check and the read: it has no size
                }
            }
        }
        int raw = 0;
        for (Source source : sources) {
            if (source.getStatus() != null && source.getStatus().tables != null) {
                raw += source.getStatus().tables.size();
            }
        }
        int staging = 0;
        int marts = 0;
        for (Model model : models) {
            String schema = model.getSpec() == null ? null : model.getSpec().schema;
            if ("staging".equals(schema)) {
                staging++;
            } else if ("marts".equals(schema)) {
                marts++;
            }
        }
        double sizeMb = round1(bytes / MB);
        Map<String, Object> database = new LinkedHashMap<>();
        database.put("size_mb", sizeMb);
        database.put("tables", raw + models.size());
        database.put("status", sizeMb < 1024 ? "small" : sizeMb < 10 * 1024 ? "medium" : "large");
        database.put("raw_tables", raw);
        database.put("staging_tables", staging);
        database.put("marts_tables", marts);
        return database;
    }

    private Map<String, Object> disk(List<String> critical, List<String> warnings) {
        Map<String, Object> disk = new LinkedHashMap<>();
        Path at = settings.warehouseRoot().toAbsolutePath().normalize();
        while (at != null && !Files.exists(at)) {
            at = at.getParent();
        }
        try {
            FileStore fileStore = Files.getFileStore(at);
            long total = fileStore.getTotalSpace();
            long free = fileStore.getUsableSpace();
            double freeShare = total == 0 ? 0 : (double) free / total;
            String status = freeShare < 0.10 ? "critical" : freeShare < 0.20 ? "warning" : "ok";
            String issue =
                    String.format(
                            java.util.Locale.ROOT,
                            "Disk space low: %.1f GB free of %.1f GB (%.0f%%)",
                            free / GB,
                            total / GB,
                            freeShare * 100);
            if (status.equals("critical")) {
                critical.add(issue);
            } else if (status.equals("warning")) {
                warnings.add(issue);
            }
            disk.put("status", status);
            disk.put("free_gb", round1(free / GB));
            disk.put("total_gb", round1(total / GB));
        } catch (IOException | NullPointerException e) {
            warnings.add("Disk space of the warehouse root is unknown");
            disk.put("status", "unknown");
            disk.put("free_gb", null);
            disk.put("total_gb", null);
        }
        return disk;
    }

    private List<Map<String, Object>> syncFailures(Instant now) {
        Instant since = now.minus(FAILURE_WINDOW);
        List<Map<String, Object>> failures = new ArrayList<>();
        List<JobRecord> jobs =
                store.jobs(
                        JobQuery.all()
                                .inNamespace(settings.namespace())
                                .withStatuses(JobStatus.FAILED)
                                .page(MAX_FAILURES_LISTED, 0));
        for (JobRecord job : jobs) {
            Instant when = job.endedAt() != null ? job.endedAt() : job.createdAt();
            if (when == null || when.isBefore(since)) {
                continue;
            }
            Map<String, Object> failure = new LinkedHashMap<>();
            failure.put("source", job.source());
            failure.put("connection", job.connection());
            failure.put("job_id", job.id());
            failure.put("timestamp", when.truncatedTo(ChronoUnit.SECONDS).toString());
            failure.put("error", job.error());
            failures.add(failure);
        }
        return failures;
    }

    private static double round1(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
