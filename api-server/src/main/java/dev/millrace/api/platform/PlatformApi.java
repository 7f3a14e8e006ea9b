package dev.millrace.api.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.millrace.api.ApiContext;
import dev.millrace.api.ApiFamily;
import dev.millrace.api.ApiSettings;
import dev.millrace.api.kube.Annotator;
import dev.millrace.crds.common.MillraceApi;
import dev.millrace.crds.connection.Connection;
import dev.millrace.crds.source.Source;
import dev.millrace.crds.source.SourceStatus;
import dev.millrace.store.Store;
import dev.millrace.store.job.JobQuery;
import dev.millrace.store.job.JobStatus;
import dev.millrace.store.log.LogEntry;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The platform family: the Dango web API under {@code /api}. A Dango "source" is a Source resource;
 * syncing it requests a sync on every Connection that reads it.
 */
public final class PlatformApi implements ApiFamily {
    private static final int DEFAULT_LOG_LIMIT = 100;
    private static final int MAX_LOG_LIMIT = 10_000;

    private final ApiSettings settings;
    private final KubernetesClient client;
    private final Store store;
    private final Clock clock;
    private final Instant startedAt;
    private final ObjectMapper json = new ObjectMapper();

    public PlatformApi(ApiContext context) {
        this.settings = context.settings();
        this.client = context.client();
        this.store = context.store();
        this.clock = context.clock();
        this.startedAt = context.startedAt();
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get("/api/status", this::status);
        routes.get("/api/sources", this::listSources);
        routes.post("/api/sources/{source_name}/sync", this::syncSource);
        routes.get("/api/sources/{source_name}/logs", this::sourceLogs);
        routes.exception(
                PlatformApiException.class,
                (e, ctx) -> ctx.status(e.status()).json(Map.of("detail", e.getMessage())));
    }

    void status(Context ctx) {
        Map<String, Object> services = new LinkedHashMap<>();
        services.put("api", "running");
        services.put("duckdb", storeHealthy() ? "healthy" : "unhealthy");
        services.put("kubernetes", kubernetesHealthy() ? "healthy" : "unhealthy");
        services.put("metabase", "not_configured");
        services.put("dbt_docs", "not_configured");
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

    void listSources(Context ctx) {
        List<Source> sources =
                client.resources(Source.class).inNamespace(settings.namespace()).list().getItems();
        ctx.json(
                sources.stream()
                        .sorted(java.util.Comparator.comparing(s -> s.getMetadata().getName()))
                        .map(this::sourceView)
                        .toList());
    }

    void syncSource(Context ctx) {
        String name = ctx.pathParam("source_name");
        Source source = findSource(name);
        SyncRequest request = SyncRequest.parse(ctx.body(), json);
        List<Connection> connections =
                client
                        .resources(Connection.class)
                        .inNamespace(settings.namespace())
                        .list()
                        .getItems()
                        .stream()
                        .filter(
                                c ->
                                        c.getSpec() != null
                                                && c.getSpec().sourceRef != null
                                                && name.equals(c.getSpec().sourceRef.name))
                        .toList();
        if (connections.isEmpty()) {
            throw PlatformApiException.badRequest(
                    "Source '"
                            + name
                            + "' has no connection to a destination, so there is nothing to sync");
        }
        if (isSyncing(source, connections)) {
            throw PlatformApiException.conflict("Sync already in progress for " + name);
        }
        String optionsJson;
        try {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("fullRefresh", request.fullRefresh());
            if (request.startDate() != null) {
                o.put("startDate", request.startDate().toString());
            }
            if (request.endDate() != null) {
                o.put("endDate", request.endDate().toString());
            }
            optionsJson = json.writeValueAsString(o);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        Annotator annotator = new Annotator(client);
        String requestId = UUID.randomUUID().toString();
        for (Connection connection : connections) {
            annotator.annotate(
                    connection,
                    Map.of(
                            MillraceApi.SYNC_ANNOTATION, requestId,
                            MillraceApi.SYNC_OPTIONS_ANNOTATION, optionsJson));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("success", true);
        body.put("message", "Sync started for " + name);
        body.put("source_name", name);
        body.put("started_at", clock.instant().truncatedTo(ChronoUnit.SECONDS).toString());
        ctx.json(body);
    }

    void sourceLogs(Context ctx) {
        String name = ctx.pathParam("source_name");
        int limit = limit(ctx.queryParam("limit"));
        findSource(name);
        List<Map<String, Object>> entries =
                store.logs(settings.namespace(), name, limit).stream()
                        .map(PlatformApi::logView)
                        .toList();
        ctx.json(entries);
    }

    private Source findSource(String name) {
        Source source =
                name == null || name.isBlank() || name.length() > 253
                        ? null
                        : client.resources(Source.class)
                                .inNamespace(settings.namespace())
                                .withName(name)
                                .get();
        if (source == null) {
            throw PlatformApiException.notFound("Source '" + name + "' not found");
        }
        return source;
    }

    private boolean isSyncing(Source source, List<Connection> connections) {
        if (source.getStatus() != null && source.getStatus().status == SourceStatus.Phase.SYNCING) {
            return true;
        }
        for (Connection c : connections) {
            var annotations = c.getMetadata().getAnnotations();
            if (annotations != null && annotations.containsKey(MillraceApi.SYNC_ANNOTATION)) {
                return true;
            }
            if (!store.activeJobs(settings.namespace(), c.getMetadata().getName()).isEmpty()) {
                return true;
            }
        }
        return false;
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
        return view;
    }

    static int limit(String value) {
        if (value == null) {
            return DEFAULT_LOG_LIMIT;
        }
        try {
            int limit = Integer.parseInt(value.trim());
            if (limit < 1 || limit > MAX_LOG_LIMIT) {
                throw PlatformApiException.badRequest(
                        "limit must be between 1 and " + MAX_LOG_LIMIT + ", got " + limit);
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
