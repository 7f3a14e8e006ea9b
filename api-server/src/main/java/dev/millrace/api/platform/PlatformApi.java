package dev.millrace.api.platform;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.millrace.api.ApiContext;
import dev.millrace.api.ApiFamily;
import dev.millrace.api.ApiSettings;
import dev.millrace.api.kube.ResourceCache;
import dev.millrace.api.platform.csv.CsvFiles;
import dev.millrace.api.platform.proxy.UpstreamProxy;
import dev.millrace.api.platform.watcher.CsvFolderWatcher;
import dev.millrace.api.platform.ws.ModelEventInformer;
import dev.millrace.api.platform.ws.PlatformEvents;
import dev.millrace.api.platform.ws.SyncEventInformer;
import dev.millrace.crds.source.Source;
import dev.millrace.crds.source.SourceStatus;
import dev.millrace.store.Store;
import dev.millrace.store.job.JobQuery;
import dev.millrace.store.job.JobRecord;
import dev.millrace.store.job.JobStatus;
import dev.millrace.store.log.LogEntry;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javalin.config.RoutesConfig;
import io.javalin.http.ContentType;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The platform family: the Dango web API under {@code /api}. A Dango "source" is a Source resource;
 * syncing it requests a sync on every Connection that reads it.
 */
public final class PlatformApi implements ApiFamily, AutoCloseable {
    private static final int DEFAULT_LOG_LIMIT = 100;
    private static final int DEFAULT_ALL_LOGS_LIMIT = 1000;
    private static final int HISTORY_LIMIT = 50;
    private static final List<HandlerType> PROXIED_METHODS =
            List.of(
                    HandlerType.GET,
                    HandlerType.HEAD,
                    HandlerType.POST,
                    HandlerType.PUT,
                    HandlerType.PATCH,
                    HandlerType.DELETE,
                    HandlerType.OPTIONS);
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};
    private static final int MAX_LOG_LIMIT = 10_000;

    private final ApiSettings settings;
    private final KubernetesClient client;
    private final Store store;
    private final Clock clock;
    private final Instant startedAt;
    private final ObjectMapper json = new ObjectMapper();
    private final ObjectMapper specJson =
            new ObjectMapper().setSerializationInclusion(JsonInclude.Include.NON_NULL);
    private final ResourceCache resources;
    private final Sources sources;
    private volatile RenderedSources renderedSources;
    private final SourceSyncs syncs;
    private final PlatformEvents events;
    private final CsvFiles csvFiles;
    private final PlatformHealth health;
    private final DbtModels models;
    private final PipelineHistory pipelines;
    private final ConnectionViews connections;
    private final UpstreamProxy metabase;
    private final UpstreamProxy dbtDocs;
    private final CsvFolderWatcher watcher;
    private volatile SyncEventInformer syncEvents;
    private volatile ModelEventInformer modelEvents;

    public PlatformApi(ApiContext context) {
        this.settings = context.settings();
        this.client = context.client();
        this.store = context.store();
        this.clock = context.clock();
        this.startedAt = context.startedAt();
        this.resources = context.resources();
        this.sources = new Sources(resources, settings.namespace());
        this.syncs = new SourceSyncs(client, store, settings.namespace());
        this.events = new PlatformEvents(clock);
        this.csvFiles = new CsvFiles(settings, store, sources, syncs, events);
        this.health = new PlatformHealth(settings, client, store, clock);
        this.models = new DbtModels(client, store, settings.namespace(), clock);
        this.pipelines = new PipelineHistory(resources, store, settings.namespace());
        this.connections = new ConnectionViews(resources, settings.namespace());
        this.metabase = new UpstreamProxy("Metabase", settings.metabaseUrl());
        this.dbtDocs = new UpstreamProxy("dbt docs", settings.dbtDocsUrl());
        this.watcher = new CsvFolderWatcher(settings, client, syncs, clock);
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get("/api/status", this::status);
        routes.get("/api/health/platform", ctx -> ctx.json(health.report()));
        routes.get("/api/watcher/status", this::watcherStatus);
        routes.get("/api/config", this::config);
        routes.get("/api/metabase-config", this::metabaseConfig);
        routes.get("/api/sources", this::listSources);
        routes.get("/api/sources/{source_name}/details", this::sourceDetails);
        routes.post("/api/sources/{source_name}/sync", this::syncSource);
        routes.get("/api/sources/{source_name}/logs", this::sourceLogs);
        routes.post("/api/sources/{source_name}/upload-csv", csvFiles::upload);
        routes.get("/api/sources/{source_name}/csv-files", csvFiles::list);
        routes.delete("/api/sources/{source_name}/csv-files", csvFiles::delete);
        routes.get("/api/dbt/models", ctx -> ctx.json(models.list()));
        routes.post("/api/dbt/models/{model_name}/run", models::run);
        routes.get("/api/logs", this::logs);
        // Millrace additions the web UI reads (the Dango reference has no pipelines or
        // connections).
        routes.get("/api/connections", connections::list);
        routes.get("/api/pipelines", pipelines::list);
        routes.get("/api/pipelines/{pipeline_name}/executions", pipelines::executions);
        routes.post(
                "/api/pipelines/{pipeline_name}/executions/{execution_id}/unflag",
                pipelines::unflag);
        routes.ws("/ws", events::configure);
        for (HandlerType method : PROXIED_METHODS) {
            for (String path : List.of("/metabase", "/metabase/<path>")) {
                routes.addHttpHandler(method, path, ctx -> metabase.forward(ctx, "/metabase"));
            }
            for (String path : List.of("/dbt-docs", "/dbt-docs/<path>")) {
                routes.addHttpHandler(method, path, ctx -> dbtDocs.forward(ctx, "/dbt-docs"));
            }
        }
        routes.get("/manifest.json", ctx -> dbtDocs.forward(ctx, ""));
        routes.get("/catalog.json", ctx -> dbtDocs.forward(ctx, ""));
        routes.exception(
                PlatformApiException.class,
                (e, ctx) -> ctx.status(e.status()).json(Map.of("detail", e.getMessage())));
        // The family's background parts start with its routes: nothing calls a family before.
        syncEvents = new SyncEventInformer(client, settings.namespace(), events);
        modelEvents = new ModelEventInformer(client, settings.namespace(), events);
        watcher.start();
    }

    /** Stops the file watcher and the Connection and Model informers behind /ws. */
    @Override
    public void close() {
        watcher.close();
        if (syncEvents != null) {
            syncEvents.close();
        }
        if (modelEvents != null) {
            modelEvents.close();
        }
    }

    void status(Context ctx) {
        Map<String, Object> services = new LinkedHashMap<>();
        services.put("api", "running");
        services.put("duckdb", storeHealthy() ? "healthy" : "unhealthy");
        services.put("kubernetes", kubernetesHealthy() ? "healthy" : "unhealthy");
        services.put("metabase", upstreamHealth(metabase));
        services.put("dbt_docs", upstreamHealth(dbtDocs));
        boolean healthy =
                "healthy".equals(services.get("duckdb"))
                        && "healthy".equals(services.get("kubernetes"));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", healthy ? "healthy" : "degraded");
        body.put("dango_version", settings.version());
        body.put("millrace_version", settings.version());
        body.put("services", services);
        body.put("uptime", uptime(Duration.between(startedAt, clock.instant())));
        ctx.json(body);
    }

    private static String upstreamHealth(UpstreamProxy proxy) {
        if (!proxy.configured()) {
            return "not_configured";
        }
        return proxy.reachable() ? "healthy" : "unhealthy";
    }

    void watcherStatus(Context ctx) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("running", watcher.running());
        body.put("pid", ProcessHandle.current().pid());
        body.put("auto_sync_enabled", watcher.running());
        // Models run after a sync when the synced Source asks for it (runModelsAfterSync).
        body.put(
                "auto_dbt_enabled",
                client
                        .resources(Source.class)
                        .inNamespace(settings.namespace())
                        .list()
                        .getItems()
                        .stream()
                        .anyMatch(s -> s.getSpec() != null && s.getSpec().runsModelsAfterSync()));
        body.put("debounce_seconds", watcher.debounce().toSeconds());
        body.put("watch_patterns", watcher.patterns());
        body.put("watch_directories", watcher.directories());
        ctx.json(body);
    }

    void config(Context ctx) {
        int port = settings.port() != 0 ? settings.port() : ctx.req().getLocalPort();
        String host =
                settings.host() == null
                                || settings.host().equals("0.0.0.0")
                                || settings.host().equals("::")
                        ? "localhost"
                        : settings.host();
        String webUrl = "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("web_port", port);
        body.put("web_url", webUrl);
        body.put(
                "metabase_url",
                settings.metabaseUrl() == null ? null : settings.metabaseUrl().toString());
        body.put(
                "dbt_docs_url",
                settings.dbtDocsUrl() == null ? null : settings.dbtDocsUrl().toString());
        body.put("api_url", webUrl + "/api");
        body.put("project_name", settings.namespace());
        body.put("organization", null);
        ctx.json(body);
    }

    void metabaseConfig(Context ctx) {
        Map<String, Object> body = new LinkedHashMap<>();
        // Millrace does not provision Metabase, so it does not know the warehouse's database id.
        body.put("database_id", null);
        body.put("configured", settings.metabaseUrl() != null);
        ctx.json(body);
    }

    /**
     * The source list is the page a dashboard polls, so its rendered body is kept until a Source
     * changes or a {@code days_old} in it ticks over, and serving it costs no JSON writing.
     */
    void listSources(Context ctx) throws IOException {
        long version = resources.version(Source.class);
        Instant now = clock.instant();
        RenderedSources rendered = renderedSources;
        if (rendered == null
                || rendered.version() != version
                || !now.isBefore(rendered.validUntil())) {
            // Read after the version: a change in between is rendered now and re-rendered next.
            List<Source> list = resources.list(Source.class, settings.namespace());
            rendered =
                    new RenderedSources(
                            version,
                            RenderedSources.nextDaysOldChange(list, now),
                            json.writeValueAsBytes(list.stream().map(this::sourceView).toList()));
            renderedSources = rendered;
        }
        ctx.contentType(ContentType.APPLICATION_JSON).result(rendered.body());
    }

    private record RenderedSources(long version, Instant validUntil, byte[] body) {
        /** When the first {@code freshness.days_old} of these sources grows by one. */
        static Instant nextDaysOldChange(List<Source> sources, Instant now) {
            Instant next = Instant.MAX;
            for (Source source : sources) {
                String lastSync = source.getStatus() == null ? null : source.getStatus().lastSync;
                if (lastSync != null) {
                    Instant synced = Instant.parse(lastSync);
                    long days = Duration.between(synced, now).toDays();
                    Instant change = synced.plus(Duration.ofDays(Math.max(0, days) + 1));
                    if (change.isBefore(next)) {
                        next = change;
                    }
                }
            }
            return next;
        }
    }

    void sourceDetails(Context ctx) {
        Source source = sources.find(ctx.pathParam("source_name"));
        String name = source.getMetadata().getName();
        Map<String, Object> view = sourceView(source);
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("name", name);
        // The spec holds no secret values (only references to Secrets), so it is shown as is.
        Map<String, Object> spec = specJson.convertValue(source.getSpec(), MAP);
        config.putAll(spec);
        List<Map<String, Object>> history =
                store
                        .jobs(
                                JobQuery.all()
                                        .inNamespace(settings.namespace())
                                        .forSource(name)
                                        .page(HISTORY_LIMIT, 0))
                        .stream()
                        .map(PlatformApi::historyView)
                        .toList();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("config", config);
        body.put("history", history);
        body.put("row_count", view.get("row_count"));
        body.put("tables", view.get("tables"));
        ctx.json(body);
    }

    private static Map<String, Object> historyView(JobRecord job) {
        Instant when =
                job.endedAt() != null
                        ? job.endedAt()
                        : job.startedAt() != null ? job.startedAt() : job.createdAt();
        Map<String, Object> view = new LinkedHashMap<>();
        view.put(
                "timestamp", when == null ? null : when.truncatedTo(ChronoUnit.SECONDS).toString());
        view.put(
                "status",
                switch (job.status()) {
                    case SUCCEEDED -> "success";
                    case FAILED -> "failed";
                    case CANCELLED -> "cancelled";
                    case RUNNING, INCOMPLETE -> "running";
                    case PENDING, QUEUED -> "pending";
                });
        view.put(
                "duration_seconds",
                job.startedAt() == null || job.endedAt() == null
                        ? null
                        : Duration.between(job.startedAt(), job.endedAt()).toSeconds());
        view.put("rows_processed", job.rowsSynced());
        view.put("full_refresh", job.fullRefresh());
        if (job.error() != null) {
            view.put("error", job.error());
        }
        return view;
    }

    void syncSource(Context ctx) {
        Source source = sources.find(ctx.pathParam("source_name"));
        SyncRequest request = SyncRequest.parse(ctx.body(), json);
        syncs.request(
                source,
                new SourceSyncs.Options(
                        request.fullRefresh(), request.startDate(), request.endDate()));
        String name = source.getMetadata().getName();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("success", true);
        body.put("message", "Sync started for " + name);
        body.put("source_name", name);
        body.put("started_at", clock.instant().truncatedTo(ChronoUnit.SECONDS).toString());
        ctx.json(body);
    }

    void sourceLogs(Context ctx) {
        String name = ctx.pathParam("source_name");
        int limit = limit(ctx.queryParam("limit"), DEFAULT_LOG_LIMIT);
        sources.find(name);
        List<Map<String, Object>> entries =
                store.logs(settings.namespace(), name, limit).stream()
                        .map(PlatformApi::logView)
                        .toList();
        ctx.json(entries);
    }

    void logs(Context ctx) {
        int limit = limit(ctx.queryParam("limit"), DEFAULT_ALL_LOGS_LIMIT);
        ctx.json(
                store.logs(settings.namespace(), null, limit).stream()
                        .map(PlatformApi::logView)
                        .toList());
    }

    private Map<String, Object> sourceView(Source source) {
        SourceStatus status = source.getStatus();
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("name", source.getMetadata().getName());
        view.put("type", json.valueToTree(source.getSpec().type).asText());
        view.put("enabled", source.getSpec().isEnabled());
        view.put("last_sync", status == null ? null : status.lastSync);
        view.put("row_count", status == null || status.rowCount == null ? 0 : status.rowCount);
        view.put(
                "status",
                status == null || status.status == null
                        ? "unknown"
                        : json.valueToTree(status.status).asText());
        Map<String, Object> freshness = new LinkedHashMap<>();
        freshness.put("last_update", status == null ? null : status.lastSync);
        freshness.put(
                "days_old",
                status == null || status.lastSync == null
                        ? null
                        : Duration.between(Instant.parse(status.lastSync), clock.instant())
                                .toDays());
        view.put("freshness", freshness);
        view.put(
                "tables",
                status == null
                        ? List.of()
                        : status.tables.stream()
                                .map(
                                        t -> {
                                            Map<String, Object> table = new LinkedHashMap<>();
                                            table.put("name", t.name);
                                            table.put(
                                                    "row_count",
                                                    t.rowCount == null ? 0 : t.rowCount);
                                            table.put("schema", t.schema);
                                            return table;
                                        })
                                .toList());
        return view;
    }

    private static Map<String, Object> logView(LogEntry e) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("timestamp", e.timestamp().truncatedTo(ChronoUnit.SECONDS).toString());
        view.put("level", e.level().name());
        view.put("message", e.message());
        // An addition to the reference's shape: the web UI shows one job's lines from it.
        if (e.jobId() != null) {
            view.put("job_id", e.jobId());
        }
        return view;
    }

    static int limit(String value, int defaultLimit) {
        return limitWithin(value, defaultLimit, MAX_LOG_LIMIT);
    }

    static int limitWithin(String value, int defaultLimit, int max) {
        if (value == null) {
            return defaultLimit;
        }
        try {
            int limit = Integer.parseInt(value.trim());
            if (limit < 1 || limit > max) {
                throw PlatformApiException.badRequest(
                        "limit must be between 1 and " + max + ", got " + limit);
            }
            return limit;
        } catch (NumberFormatException e) {
            throw PlatformApiException.badRequest("limit must be an integer, got '" + value + "'");
        }
    }

    private boolean storeHealthy() {
        try {
            store.countJobs(JobQuery.all().withStatuses(JobStatus.RUNNING));
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private boolean kubernetesHealthy() {
        try {
            client.resources(Source.class)
                    .inNamespace(settings.namespace())
                    .list(
                            new io.fabric8.kubernetes.api.model.ListOptionsBuilder()
                                    .withLimit(1L)
                                    .build());
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    static String uptime(Duration d) {
        long days = d.toDays();
        long hours = d.toHoursPart();
        long minutes = d.toMinutesPart();
        return days > 0
                ? days + "d " + hours + "h " + minutes + "m"
                : hours + "h " + minutes + "m " + d.toSecondsPart() + "s";
    }

    /** The body of POST /api/sources/{name}/sync; every field is optional. */
    record SyncRequest(boolean fullRefresh, LocalDate startDate, LocalDate endDate) {
        static SyncRequest parse(String body, ObjectMapper json) {
            if (body == null || body.isBlank()) {
                return new SyncRequest(false, null, null);
            }
            JsonNode node;
            try {
                node = json.readTree(body);
            } catch (Exception e) {
                throw PlatformApiException.badRequest("Request body is not valid JSON");
            }
            if (node == null || !node.isObject()) {
                throw PlatformApiException.badRequest("Request body must be a JSON object");
            }
            JsonNode full = node.get("full_refresh");
            if (full != null && !full.isNull() && !full.isBoolean()) {
                throw PlatformApiException.badRequest("full_refresh must be a boolean");
            }
            LocalDate start = date(node, "start_date");
            LocalDate end = date(node, "end_date");
            if (start != null && end != null && end.isBefore(start)) {
                throw PlatformApiException.badRequest("end_date must not be before start_date");
            }
            return new SyncRequest(full != null && full.asBoolean(false), start, end);
        }

        private static LocalDate date(JsonNode node, String field) {
            JsonNode value = node.get(field);
            if (value == null || value.isNull()) {
                return null;
            }
            if (!value.isTextual()) {
                throw PlatformApiException.badRequest(
                        field + " must be a date (YYYY-MM-DD) or null");
            }
            try {
                return LocalDate.parse(value.asText());
            } catch (DateTimeParseException e) {
                throw PlatformApiException.badRequest(
                        field + " must be a date (YYYY-MM-DD), got '" + value.asText() + "'");
            }
        }
    }
}
