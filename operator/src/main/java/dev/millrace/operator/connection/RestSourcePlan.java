package dev.millrace.operator.connection;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millrace.crds.connection.Connection;
import dev.millrace.crds.connection.ConnectionStream;
import dev.millrace.crds.connection.SyncMode;
import dev.millrace.crds.connector.Connector;
import dev.millrace.crds.connector.ConnectorSpec;
import dev.millrace.crds.destination.Destination;
import dev.millrace.crds.source.RestAuth;
import dev.millrace.crds.source.RestColumn;
import dev.millrace.crds.source.RestPagination;
import dev.millrace.crds.source.RestSource;
import dev.millrace.crds.source.Source;
import dev.millrace.crds.source.SourceStream;
import dev.millrace.crds.source.SourceType;
import dev.millrace.crds.source.StripeSource;
import dev.millrace.operator.connection.SyncPlanBuilder.InvalidConnection;
import dev.millrace.sync.plan.RestPlan;
import dev.millrace.sync.source.rest.StripePreset;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The plan of a Connection whose Source is an HTTP API ({@code rest} or {@code stripe}). The
 * credential is named, never copied: the plan carries the environment variable and the Secret key,
 * and the Job factory turns them into a {@code secretKeyRef} env var.
 */
final class RestSourcePlan {

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            com.fasterxml.jackson.databind.json.JsonMapper.builder().build();

    /** The environment variable an API source's token, password or key reaches the Job in. */
    static final String SOURCE_SECRET_ENV = "MILLRACE_SOURCE_SECRET";

    private RestSourcePlan() {}

    /**
     * A stripe source's streams: those declared, else its endpoints, else charges and customers.
     */
    static List<SourceStream> stripeStreams(Source source) {
        StripeSource stripe = source.getSpec().stripe;
        List<String> names =
                stripe != null && stripe.endpoints != null && !stripe.endpoints.isEmpty()
                        ? stripe.endpoints
                        : StripePreset.DEFAULT_ENDPOINTS;
        List<SourceStream> streams = new ArrayList<>();
        for (String name : names) {
            SourceStream stream = new SourceStream();
            stream.name = name;
            streams.add(stream);
        }
        return streams;
    }

    static ObjectNode build(
            long jobId,
            Connection connection,
            Source source,
            Connector connector,
            Destination destination,
            Connector destinationConnector,
            boolean fullRefresh)
            throws InvalidConnection {
        boolean stripe = source.getSpec().type == SourceType.STRIPE;
        JsonNodeFactory json = JsonNodeFactory.instance;
        ObjectNode plan = json.objectNode();
        plan.put("jobId", jobId);
        plan.put("namespace", connection.getMetadata().getNamespace());
        plan.put("connection", connection.getMetadata().getName());
        ObjectNode src = plan.putObject("source");
        src.put("name", source.getMetadata().getName());
        src.put("type", stripe ? "stripe" : "rest");
        ObjectNode rest = src.putObject("rest");
        if (stripe) {
            stripeSource(source, rest);
        } else {
            restSource(source, connector, rest);
        }

        SyncPlanBuilder.putDestination(plan, connection, destination, destinationConnector);

        ArrayNode streams = plan.putArray("streams");
        List<SourceStream> offered = SyncPlanBuilder.streamsOf(source);
        boolean defaulted =
                connection.getSpec().streams == null || connection.getSpec().streams.isEmpty();
        for (ConnectionStream cs : SyncPlanBuilder.selectedStreams(connection, source)) {
            SourceStream declared =
                    offered.stream().filter(o -> o.name.equals(cs.name)).findFirst().orElseThrow();
            boolean preset = stripe && declared.path == null;
            if (preset && StripePreset.stream(cs.name).isEmpty()) {
                throw new InvalidConnection(
                        "UnknownStream",
                        "stream \""
                                + cs.name
                                + "\" of stripe source "
                                + source.getMetadata().getName()
                                + " is not a known Stripe list (known: "
                                + String.join(", ", StripePreset.streamNames())
                                + "); declare it in spec.streams with its path");
            }
            String cursorField =
                    firstNonNull(
                            cs.cursorField,
                            declared.cursorField,
                            stripe ? StripePreset.CURSOR_FIELD : null);
            List<String> primaryKey =
                    cs.primaryKey != null && !cs.primaryKey.isEmpty()
                            ? cs.primaryKey
                            : declared.primaryKey != null && !declared.primaryKey.isEmpty()
                                    ? declared.primaryKey
                                    : stripe ? List.of(StripePreset.PRIMARY_KEY) : List.of();
            // Without streams chosen, a stream with a cursor is read incrementally and one
            // without is copied whole: an API has no files to tell new records from old ones.
            SyncMode mode =
                    defaulted
                            ? cursorField != null
                                    ? SyncMode.INCREMENTAL_APPEND
                                    : SyncMode.FULL_REFRESH_OVERWRITE
                            : cs.syncMode == null ? SyncMode.INCREMENTAL_APPEND : cs.syncMode;
            if (mode == SyncMode.INCREMENTAL_APPEND && cursorField == null) {
                throw new InvalidConnection(
                        "CursorRequired",
                        "stream \""
                                + cs.name
                                + "\" of "
                                + (stripe ? "stripe" : "rest")
                                + " source "
                                + source.getMetadata().getName()
                                + " needs a cursorField for incremental_append");
            }
            if (mode == SyncMode.INCREMENTAL_DEDUPED_HISTORY && primaryKey.isEmpty()) {
                throw new InvalidConnection(
                        "PrimaryKeyRequired",
                        "stream \""
                                + cs.name
                                + "\" needs a primaryKey for incremental_deduped_history");
            }
            ObjectNode s = streams.addObject();
            s.put("name", cs.name);
            s.put("syncMode", mode.wireName());
            if (cursorField == null) {
                s.putNull("cursorField");
            } else {
                s.put("cursorField", cursorField);
            }
            ArrayNode pk = s.putArray("primaryKey");
            primaryKey.forEach(pk::add);
            if (!preset) {
                s.set("rest", endpoint(source, declared, stripe));
            }
        }
        plan.put("fullRefresh", fullRefresh);
        plan.put("allowEmptyReplace", Boolean.TRUE.equals(connection.getSpec().allowEmptyReplace));
        return plan;
    }

    private static void stripeSource(Source source, ObjectNode rest) throws InvalidConnection {
        StripeSource stripe = source.getSpec().stripe;
        if (stripe == null || stripe.secretRef == null || stripe.secretRef.getName() == null) {
            throw new InvalidConnection(
                    "SecretRequired",
                    "stripe source "
                            + source.getMetadata().getName()
                            + " needs stripe.secretRef naming the Secret of its key");
        }
        if (stripe.baseUrl != null) {
            rest.put("baseUrl", stripe.baseUrl);
        }
        ObjectNode auth = rest.putObject("auth");
        auth.put("type", "bearer");
        secret(auth, stripe.secretRef);
        rest.put(
                "requestsPerSecond",
                stripe.requestsPerSecond != null
                        ? stripe.requestsPerSecond
                        : RestPlan.STRIPE_REQUESTS_PER_SECOND);
    }

    private static void restSource(Source source, Connector connector, ObjectNode rest)
            throws InvalidConnection {
        RestSource spec = source.getSpec().rest == null ? new RestSource() : source.getSpec().rest;
        ConnectorSpec http = null;
        if (source.getSpec().connectorRef != null) {
            if (connector == null) {
                throw new InvalidConnection(
                        "ConnectorNotFound",
                        "rest source "
                                + source.getMetadata().getName()
                                + " needs the Connector its connectorRef names");
            }
            http = connector.getSpec();
            if (http.type != ConnectorSpec.ConnectorType.HTTP) {
                throw new InvalidConnection(
                        "UnsupportedConnector",
                        "rest source "
                                + source.getMetadata().getName()
                                + " needs an http Connector, not "
                                + http.type.name().toLowerCase(Locale.ROOT));
            }
        }
        String baseUrl = spec.baseUrl != null ? spec.baseUrl : http != null ? http.url : null;
        if (baseUrl == null) {
            throw new InvalidConnection(
                    "BaseUrlRequired",
                    "rest source "
                            + source.getMetadata().getName()
                            + " needs rest.baseUrl or a connectorRef to an http Connector");
        }
        rest.put("baseUrl", baseUrl);
        if (spec.auth != null && spec.auth.type != null && spec.auth.type != RestAuth.Type.NONE) {
            ObjectNode auth = rest.putObject("auth");
            auth.put("type", spec.auth.type.wireName());
            secret(auth, spec.auth.secretRef);
            putIfSet(auth, "username", spec.auth.username);
            putIfSet(auth, "header", spec.auth.header);
            putIfSet(auth, "queryParam", spec.auth.queryParam);
        } else if (spec.auth == null
                && http != null
                && http.authType != null
                && http.authType != ConnectorSpec.AuthType.NONE) {
            ObjectNode auth = rest.putObject("auth");
            auth.put("type", http.authType.name().toLowerCase(Locale.ROOT));
            secret(auth, http.secretRef);
            putIfSet(auth, "username", http.username);
            if (http.authType == ConnectorSpec.AuthType.API_KEY) {
                String query = http.options == null ? null : http.options.get("apiKeyQueryParam");
                if (query != null) {
                    auth.put("queryParam", query);
                } else {
                    String header = http.options == null ? null : http.options.get("apiKeyHeader");
                    auth.put("header", header != null ? header : "X-API-Key");
                }
            }
        }
        if (spec.headers != null && !spec.headers.isEmpty()) {
            ObjectNode headers = rest.putObject("headers");
            spec.headers.forEach(headers::put);
        }
        if (spec.requestsPerSecond != null) {
            rest.put("requestsPerSecond", spec.requestsPerSecond);
        }
        if (spec.maxRetries != null) {
            rest.put("maxRetries", spec.maxRetries);
        }
        if (spec.timeoutSeconds != null) {
            rest.put("timeoutSeconds", spec.timeoutSeconds);
        }
    }

    /** Names the Secret key and the variable it arrives in; the value never enters the plan. */
    private static void secret(ObjectNode auth, SecretKeySelector ref) {
        if (ref == null || ref.getName() == null) {
            return;
        }
        auth.put("secretEnv", SOURCE_SECRET_ENV);
        ObjectNode secretRef = auth.putObject("secretRef");
        secretRef.put("name", ref.getName());
        secretRef.put("key", ref.getKey());
    }

    private static ObjectNode endpoint(Source source, SourceStream declared, boolean stripe) {
        RestSource defaults =
                source.getSpec().rest == null ? new RestSource() : source.getSpec().rest;
        ObjectNode rest = JsonNodeFactory.instance.objectNode();
        rest.put("path", declared.path);
        String recordsPath =
                firstNonNull(declared.recordsPath, defaults.recordsPath, stripe ? "/data" : null);
        putIfSet(rest, "recordsPath", recordsPath);
        RestPagination paging =
                declared.pagination != null ? declared.pagination : defaults.pagination;
        if (paging != null) {
            rest.set("pagination", pagination(paging));
        } else if (stripe) {
            rest.set("pagination", (ObjectNode) JSON.valueToTree(StripePreset.pagination()));
        }
        if (declared.params != null && !declared.params.isEmpty()) {
            ObjectNode params = rest.putObject("params");
            declared.params.forEach(params::put);
        }
        putIfSet(
                rest,
                "cursorParam",
                firstNonNull(declared.cursorParam, stripe ? StripePreset.CURSOR_PARAM : null));
        if (declared.columns != null && !declared.columns.isEmpty()) {
            ArrayNode columns = rest.putArray("columns");
            for (RestColumn column : declared.columns) {
                columns.addObject().put("name", column.name).put("type", column.type);
            }
        }
        return rest;
    }

    private static ObjectNode pagination(RestPagination paging) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("type", paging.type == null ? "none" : paging.type.wireName());
        if (paging.pageSize != null) {
            node.put("pageSize", paging.pageSize);
        }
        putIfSet(node, "limitParam", paging.limitParam);
        putIfSet(node, "cursorParam", paging.cursorParam);
        putIfSet(node, "cursorRecordField", paging.cursorRecordField);
        putIfSet(node, "nextCursorPath", paging.nextCursorPath);
        putIfSet(node, "hasMorePath", paging.hasMorePath);
        putIfSet(node, "offsetParam", paging.offsetParam);
        putIfSet(node, "pageParam", paging.pageParam);
        if (paging.startPage != null) {
            node.put("startPage", paging.startPage);
        }
        return node;
    }

    private static void putIfSet(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }

    @SafeVarargs
    private static <T> T firstNonNull(T... values) {
        for (T value : values) {
            if (value != null) {
                return value;
            }
        }
        return null;
    }
}
