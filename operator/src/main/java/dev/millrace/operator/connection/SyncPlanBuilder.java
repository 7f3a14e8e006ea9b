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
import dev.millrace.crds.source.FileSource;
import dev.millrace.crds.source.Source;
import dev.millrace.crds.source.SourceStream;
import dev.millrace.crds.source.SourceType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns a Connection with its Source and Destination into the sync plan a Job runs (the JSON that
 * `millrace sync` reads). The plan never holds a secret: credentials reach the Job as env from
 * secretKeyRef.
 */
public final class SyncPlanBuilder {

    /** A Connection that cannot be turned into a plan; the message is shown in its status. */
    public static final class InvalidConnection extends Exception {
        private final String reason;

        InvalidConnection(String reason, String message) {
            super(message);
            this.reason = reason;
        }

        public String reason() {
            return reason;
        }
    }

    public record StreamTarget(String name, String table) {}

    private SyncPlanBuilder() {}

    /** The warehouse schema this connection lands in. */
    public static String schemaOf(Connection connection, Destination destination) {
        if (connection.getSpec().destinationSchema != null) {
            return connection.getSpec().destinationSchema;
        }
        String prefix =
                destination.getSpec().schemaPrefix == null
                        ? "raw_"
                        : destination.getSpec().schemaPrefix;
        return prefix + identifier(connection.getSpec().sourceRef.name);
    }

    /** The source's streams: declared ones, or for a file source one named after the source. */
    public static List<SourceStream> streamsOf(Source source) {
        if (source.getSpec().streams != null && !source.getSpec().streams.isEmpty()) {
            return source.getSpec().streams;
        }
        if (source.getSpec().type == SourceType.STRIPE) {
            return RestSourcePlan.stripeStreams(source);
        }
        SourceStream only = new SourceStream();
        only.name = identifier(source.getMetadata().getName());
        return List.of(only);
    }

    /** The streams this connection moves, each with its mode. */
    public static List<ConnectionStream> selectedStreams(Connection connection, Source source)
            throws InvalidConnection {
        List<SourceStream> offered = streamsOf(source);
        List<ConnectionStream> chosen = connection.getSpec().streams;
        if (chosen == null || chosen.isEmpty()) {
            List<ConnectionStream> all = new ArrayList<>();
            for (SourceStream s : offered) {
                ConnectionStream cs = new ConnectionStream();
                cs.name = s.name;
                cs.syncMode = SyncMode.INCREMENTAL_APPEND;
                all.add(cs);
            }
            return all;
        }
        for (ConnectionStream cs : chosen) {
            if (offered.stream().noneMatch(s -> s.name.equals(cs.name))) {
                throw new InvalidConnection(
                        "UnknownStream",
                        "stream \""
                                + cs.name
                                + "\" is not offered by source "
                                + source.getMetadata().getName()
                                + " (it offers: "
                                + String.join(", ", offered.stream().map(s -> s.name).toList())
                                + ")");
            }
        }
        return chosen;
    }

    /** The environment variable a database source's password reaches the Job in. */
    public static final String SOURCE_PASSWORD_ENV = "MILLRACE_SOURCE_PASSWORD";

    public static ObjectNode build(
            long jobId,
            Connection connection,
            Source source,
            Destination destination,
            boolean fullRefresh)
            throws InvalidConnection {
        return build(jobId, connection, source, null, destination, null, fullRefresh);
    }

    /**
     * @param connector the Connector a jdbc or rest source's {@code connectorRef} names; unused for
     *     file sources
     */
    public static ObjectNode build(
            long jobId,
            Connection connection,
            Source source,
            Connector connector,
            Destination destination,
            boolean fullRefresh)
            throws InvalidConnection {
        return build(jobId, connection, source, connector, destination, null, fullRefresh);
    }

    /**
     * @param connector the Connector a jdbc source's {@code connectorRef} names; unused for file
     *     sources
     * @param destinationConnector the Connector a postgres destination's {@code connectorRef}
     *     names; unused for other destinations
     */
    public static ObjectNode build(
            long jobId,
            Connection connection,
            Source source,
            Connector connector,
            Destination destination,
            Connector destinationConnector,
            boolean fullRefresh)
            throws InvalidConnection {
        if (source.getSpec().type == SourceType.JDBC) {
            return buildJdbc(
                    jobId,
                    connection,
                    source,
                    connector,
                    destination,
                    destinationConnector,
                    fullRefresh);
        }
        if (source.getSpec().type == SourceType.REST
                || source.getSpec().type == SourceType.STRIPE) {
            return RestSourcePlan.build(
                    jobId,
                    connection,
                    source,
                    connector,
                    destination,
                    destinationConnector,
                    fullRefresh);
        }
        if (!source.getSpec().type.isFileType()) {
            throw new InvalidConnection(
                    "UnsupportedSource",
                    "source type "
                            + source.getSpec().type.name().toLowerCase(Locale.ROOT)
                            + " cannot be synced by this version of Millrace (csv, parquet, json,"
                            + " jdbc, rest and stripe can)");
        }
        JsonNodeFactory json = JsonNodeFactory.instance;
        ObjectNode plan = json.objectNode();
        plan.put("jobId", jobId);
        plan.put("namespace", connection.getMetadata().getNamespace());
        plan.put("connection", connection.getMetadata().getName());

        ObjectNode src = plan.putObject("source");
        src.put("name", source.getMetadata().getName());
        String type = source.getSpec().type.name().toLowerCase(Locale.ROOT);
        src.put("type", type);
        FileSource files = source.getSpec().files;
        ObjectNode f = src.putObject("files");
        f.put("directory", files.directory);
        // Without a glob the engine picks the type's own (*.parquet, *.{json,jsonl,ndjson}). The
        // CRD defaults glob to *.csv for every type, which for a parquet or json folder can only
        // mean "not set".
        boolean csvDefaultOnOtherType =
                source.getSpec().type != SourceType.CSV && "*.csv".equals(files.glob);
        if (files.glob != null && !csvDefaultOnOtherType) {
            f.put("glob", files.glob);
        }
        if (source.getSpec().type == SourceType.CSV) {
            if (files.delimiter != null) {
                f.put("delimiter", files.delimiter);
            }
            f.put("header", files.header == null || files.header);
        }
        if (source.getSpec().type == SourceType.JSON && files.format != null) {
            f.put("format", files.format.wireName());
        }

        putDestination(plan, connection, destination, destinationConnector);

        ArrayNode streams = plan.putArray("streams");
        List<SourceStream> offered = streamsOf(source);
        for (ConnectionStream cs : selectedStreams(connection, source)) {
            ObjectNode s = streams.addObject();
            s.put("name", cs.name);
            s.put(
                    "syncMode",
                    (cs.syncMode == null ? SyncMode.INCREMENTAL_APPEND : cs.syncMode).wireName());
            if (cs.cursorField == null) {
                s.putNull("cursorField");
            } else {
                s.put("cursorField", cs.cursorField);
            }
            ArrayNode pk = s.putArray("primaryKey");
            if (cs.primaryKey != null) {
                cs.primaryKey.forEach(pk::add);
            }
            offered.stream()
                    .filter(o -> o.name.equals(cs.name) && o.glob != null)
                    .findFirst()
                    .ifPresent(o -> s.put("glob", o.glob));
        }
        plan.put("fullRefresh", fullRefresh);
        plan.put("allowEmptyReplace", Boolean.TRUE.equals(connection.getSpec().allowEmptyReplace));
        return plan;
    }

    private static ObjectNode buildJdbc(
            long jobId,
            Connection connection,
            Source source,
            Connector connector,
            Destination destination,
            Connector destinationConnector,
            boolean fullRefresh)
            throws InvalidConnection {
        if (connector == null) {
            throw new InvalidConnection(
                    "ConnectorNotFound",
                    "jdbc source "
                            + source.getMetadata().getName()
                            + " needs the Connector its connectorRef names");
        }
        ConnectorSpec spec = connector.getSpec();
        String driver =
                switch (spec.type) {
                    case POSTGRES -> "postgres";
                    case MYSQL -> "mysql";
                    case MARIADB -> "mariadb";
                    case SQLITE -> "sqlite";
                    case DUCKDB -> "duckdb";
                    default ->
                            throw new InvalidConnection(
                                    "UnsupportedConnector",
                                    "connector type "
                                            + spec.type.name().toLowerCase(Locale.ROOT)
                                            + " cannot be read by this version of Millrace"
                                            + " (postgres, mysql, mariadb, sqlite and duckdb"
                                            + " can)");
                };
        JsonNodeFactory json = JsonNodeFactory.instance;
        ObjectNode plan = json.objectNode();
        plan.put("jobId", jobId);
        plan.put("namespace", connection.getMetadata().getNamespace());
        plan.put("connection", connection.getMetadata().getName());
        ObjectNode src = plan.putObject("source");
        src.put("name", source.getMetadata().getName());
        src.put("type", "jdbc");
        ObjectNode jdbc = src.putObject("jdbc");
        jdbc.put("driver", driver);
        if (spec.host != null) {
            jdbc.put("host", spec.host);
        }
        if (spec.port != null) {
            jdbc.put("port", spec.port);
        }
        jdbc.put("database", spec.database);
        if (spec.username != null) {
            jdbc.put("username", spec.username);
        }
        if (spec.secretRef != null && spec.secretRef.getName() != null) {
            // Names only: SyncJobFactory turns them into a secretKeyRef env var.
            jdbc.put("passwordEnv", SOURCE_PASSWORD_ENV);
            ObjectNode ref = jdbc.putObject("passwordSecretRef");
            ref.put("name", spec.secretRef.getName());
            ref.put("key", spec.secretRef.getKey());
        }
        ObjectNode options = jdbc.putObject("options");
        if (spec.options != null) {
            spec.options.forEach(options::put);
        }

        putDestination(plan, connection, destination, destinationConnector);

        ArrayNode streams = plan.putArray("streams");
        List<SourceStream> offered = streamsOf(source);
        // A table has no files to tell new rows from old ones: without streams chosen (and so
        // without a cursor) every table is copied whole.
        boolean defaulted =
                connection.getSpec().streams == null || connection.getSpec().streams.isEmpty();
        for (ConnectionStream cs : selectedStreams(connection, source)) {
            SyncMode mode =
                    defaulted
                            ? SyncMode.FULL_REFRESH_OVERWRITE
                            : cs.syncMode == null ? SyncMode.INCREMENTAL_APPEND : cs.syncMode;
            if (mode == SyncMode.INCREMENTAL_APPEND && cs.cursorField == null) {
                throw new InvalidConnection(
                        "CursorRequired",
                        "stream \""
                                + cs.name
                                + "\" of jdbc source "
                                + source.getMetadata().getName()
                                + " needs a cursorField for incremental_append");
            }
            ObjectNode s = streams.addObject();
            s.put("name", cs.name);
            s.put("syncMode", mode.wireName());
            if (cs.cursorField == null) {
                s.putNull("cursorField");
            } else {
                s.put("cursorField", cs.cursorField);
            }
            ArrayNode pk = s.putArray("primaryKey");
            if (cs.primaryKey != null) {
                cs.primaryKey.forEach(pk::add);
            }
            SourceStream declared =
                    offered.stream().filter(o -> o.name.equals(cs.name)).findFirst().orElseThrow();
            if (declared.query != null) {
                s.put("query", declared.query);
            } else {
                s.put("table", declared.table != null ? declared.table : declared.name);
            }
        }
        plan.put("fullRefresh", fullRefresh);
        plan.put("allowEmptyReplace", Boolean.TRUE.equals(connection.getSpec().allowEmptyReplace));
        return plan;
    }

    /** The environment variable a postgres destination's password reaches the Job in. */
    public static final String DESTINATION_PASSWORD_ENV = "MILLRACE_DESTINATION_PASSWORD";

    /**
     * The plan's destination: a DuckDB file, a Parquet folder (with its partition columns), or a
     * PostgreSQL database reached through the Connector the Destination names, whose password the
     * Job gets from the Connector's Secret (SyncJobFactory reads the reference).
     */
    static void putDestination(
            ObjectNode plan,
            Connection connection,
            Destination destination,
            Connector destinationConnector)
            throws InvalidConnection {
        var spec = destination.getSpec();
        ObjectNode dst = plan.putObject("destination");
        dst.put("name", destination.getMetadata().getName());
        dst.put("type", spec.type.name().toLowerCase(Locale.ROOT));
        switch (spec.type) {
            case DUCKDB -> dst.putObject("duckdb").put("path", spec.duckdbPath());
            case PARQUET -> {
                ObjectNode parquet = dst.putObject("parquet");
                parquet.put("path", spec.path);
                ArrayNode partitionBy = parquet.putArray("partitionBy");
                if (spec.partitionBy != null) {
                    spec.partitionBy.forEach(partitionBy::add);
                }
            }
            case POSTGRES -> {
                if (destinationConnector == null) {
                    throw new InvalidConnection(
                            "ConnectorNotFound",
                            "postgres destination "
                                    + destination.getMetadata().getName()
                                    + " needs the Connector its connectorRef names");
                }
                ConnectorSpec server = destinationConnector.getSpec();
                if (server.type != ConnectorSpec.ConnectorType.POSTGRES) {
                    throw new InvalidConnection(
                            "UnsupportedConnector",
                            "postgres destination "
                                    + destination.getMetadata().getName()
                                    + " needs a postgres Connector, not "
                                    + server.type.name().toLowerCase(Locale.ROOT));
                }
                ObjectNode postgres = dst.putObject("postgres");
                postgres.put("host", server.host);
                if (server.port != null) {
                    postgres.put("port", server.port);
                }
                postgres.put("database", server.database);
                if (server.username != null) {
                    postgres.put("username", server.username);
                }
                if (server.secretRef != null && server.secretRef.getName() != null) {
                    postgres.put("passwordEnv", DESTINATION_PASSWORD_ENV);
                    ObjectNode ref = postgres.putObject("passwordSecretRef");
                    ref.put("name", server.secretRef.getName());
                    ref.put("key", server.secretRef.getKey());
                }
                ObjectNode options = postgres.putObject("options");
                if (server.options != null) {
                    server.options.forEach(options::put);
                }
            }
        }
        dst.put("schema", schemaOf(connection, destination));
    }

    /** A Kubernetes name turned into a warehouse identifier: orders-eu becomes orders_eu. */
    public static String identifier(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    }
}
