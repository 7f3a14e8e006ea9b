package dev.millrace.api.auth;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What an HTTP request does, in RBAC terms: a verb on a Millrace resource (group {@code
 * millrace.dev}) in a namespace, or, for paths that are about no resource ({@code /api/status}), a
 * verb on a non-resource URL. GET is {@code get} on one object and {@code list} on a collection,
 * POST {@code create}, PUT/PATCH {@code update}, DELETE {@code delete}. Starting or cancelling a
 * sync (platform {@code POST /api/sources/{name}/sync}, public {@code POST /jobs} and {@code DELETE
 * /jobs/{id}}) is {@code update} on {@code connections}: a sync is an annotation on a Connection.
 * Opening the {@code /ws} event feed is {@code watch} on {@code sources}.
 *
 * @param group API group of {@code resource}; null for a non-resource request
 * @param resource plural resource name; null for a non-resource request
 * @param namespace namespace of the resource; null for a non-resource request
 * @param path the request path, for a non-resource request
 */
public record AccessRequest(
        String verb, String group, String resource, String namespace, String path) {
    public static final String GROUP = "millrace.dev";

    public boolean isResource() {
        return resource != null;
    }

    /**
     * The access {@code method} on {@code path} needs; {@code namespace} is the workspace the
     * request is about.
     */
    public static AccessRequest of(String method, String path, String namespace) {
        String m = method.toUpperCase(Locale.ROOT);
        if (path.equals("/ws") || path.equals("/ws/")) {
            // The platform feed streams sync and model events of every source: a watch.
            return new AccessRequest("watch", GROUP, "sources", namespace, null);
        }
        List<String> segments = Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toList();
        List<String> rest;
        if (path.startsWith("/api/public/v1/")) {
            rest = segments.subList(3, segments.size());
        } else if (path.startsWith("/api/")) {
            rest = segments.subList(1, segments.size());
        } else {
            rest = segments;
        }
        if (rest.isEmpty()) {
            return nonResource(m, path);
        }
        String collection = rest.get(0);
        boolean one = rest.size() > 1;
        boolean action = rest.size() > 2;
        AccessRequest monitoring =
                path.startsWith("/api/") ? null : monitoringAction(collection, m, namespace);
        if (monitoring != null) {
            return monitoring;
        }
        String resource = resourceOf(collection);
        if (resource == null) {
            return nonResource(m, path);
        }
        boolean sync =
                (collection.equals("jobs") && !m.equals("GET"))
                        || (action && rest.get(rest.size() - 1).equals("sync"));
        if (sync) {
            return new AccessRequest("update", GROUP, "connections", namespace, null);
        }
        String verb =
                switch (m) {
                    case "GET", "HEAD" -> one ? "get" : "list";
                    case "POST" -> action ? "update" : "create";
                    case "PUT", "PATCH" -> "update";
                    case "DELETE" -> "delete";
                    default -> "get";
                };
        return new AccessRequest(verb, GROUP, resource, namespace, null);
    }

    /**
     * The monitoring (Watcher) family's paths that are about a resource without naming it as a
     * collection: recording or reading an execution, and running the checks, act on pipelines;
     * unflagging acts on anomaly rules. Addresses, lineage, log cleanup and the queue are no
     * resource and stay non-resource requests.
     */
    private static AccessRequest monitoringAction(String collection, String method, String ns) {
        return switch (collection) {
            case "start_pipeline_execution", "end_pipeline_execution", "timeliness", "freshness" ->
                    new AccessRequest("update", GROUP, "pipelines", ns, null);
            case "pipeline_execution" ->
                    new AccessRequest(
                            method.equals("GET") || method.equals("HEAD") ? "get" : "update",
                            GROUP,
                            "pipelines",
                            ns,
                            null);
            case "unflag_anomaly" -> new AccessRequest("update", GROUP, "anomalyrules", ns, null);
            default -> null;
        };
    }

    private static String resourceOf(String collection) {
        return switch (collection) {
            case "sources", "streams" -> "sources";
            case "destinations" -> "destinations";
            case "connections", "jobs" -> "connections";
            case "connector", "connectors" -> "connectors";
            case "pipeline", "pipelines" -> "pipelines";
            case "pipeline_type", "pipeline_types", "pipelinetypes" -> "pipelinetypes";
            case "anomaly",
                    "anomalies",
                    "anomaly_rule",
                    "anomaly_rules",
                    "anomalyrules",
                    "anomaly_detection_rule" ->
                    "anomalyrules";
            case "models", "dbt" -> "models";
            default -> null;
        };
    }

    private static AccessRequest nonResource(String method, String path) {
        String verb =
                switch (method) {
                    case "GET", "HEAD" -> "get";
                    case "POST" -> "post";
                    case "PUT" -> "put";
                    case "PATCH" -> "patch";
                    case "DELETE" -> "delete";
                    default -> method.toLowerCase(Locale.ROOT);
                };
        return new AccessRequest(verb, null, null, null, path);
    }

    @Override
    public String toString() {
        return isResource()
                ? verb + " " + resource + "." + group + " in namespace " + namespace
                : verb + " " + path;
    }
}
