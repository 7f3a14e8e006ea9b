package dev.millrace.sync.source.rest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millrace.sync.SyncLog;
import dev.millrace.sync.destination.duckdb.Column;
import dev.millrace.sync.destination.duckdb.DuckDbSession;
import dev.millrace.sync.destination.duckdb.StagedRows;
import dev.millrace.sync.plan.RestStreamPlan;
import dev.millrace.sync.plan.SourcePlan;
import dev.millrace.sync.plan.StreamPlan;
import dev.millrace.sync.result.SyncFailure;
import dev.millrace.sync.source.StreamReader;
import dev.millrace.sync.source.rest.RecordValues.ColumnType;
import dev.millrace.sync.source.rest.RecordValues.Kind;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Reads one stream of an HTTP API into DuckDB staging: page by page, each record straight into a
 * DuckDB Appender as it is parsed.
 *
 * <p>Columns are the stream's declared ones when it declares a schema (other fields are ignored).
 * Otherwise they are discovered from the records as they arrive, across all pages: a field becomes
 * a column when it is first seen with a non-null value, typed by that value, and a later value that
 * does not fit widens the column (BIGINT to DOUBLE, scalars to VARCHAR, anything to JSON). Objects
 * and arrays land as JSON.
 */
public final class RestRead implements StreamReader {

    private final SourcePlan source;
    private final RestHttp http;
    private final SyncLog log;

    public RestRead(SourcePlan source, RestHttp http, SyncLog log) {
        this.source = source;
        this.http = http;
        this.log = log;
    }

    /** The stream's endpoint: its own, or a stripe stream's from the preset. */
    public static RestStreamPlan endpoint(SourcePlan source, StreamPlan stream) {
        if (stream.rest() != null) {
            return stream.rest();
        }
        return StripePreset.stream(stream.name())
                .orElseThrow(
                        () -> new SyncFailure("stream " + stream.name() + " has no rest endpoint"));
    }

    /** The base URL every path of the source resolves against. */
    public static String baseUrl(SourcePlan source) {
        return SourcePlan.STRIPE.equals(source.type())
                ? StripePreset.baseUrl(source.rest())
                : source.rest().baseUrl();
    }

    @Override
    public String describe(StreamPlan stream) {
        return "GET " + baseUrl(source) + endpoint(source, stream).path();
    }

    @Override
    public StagedRows stage(
            DuckDbSession session, StreamPlan stream, String savedCursor, long readAtMicros)
            throws SQLException {
        RestStreamPlan endpoint = endpoint(source, stream);
        String label = "rest:" + stream.name();
        Pages pages = new Pages(http, baseUrl(source), endpoint, savedCursor);
        try (Staging staging = new Staging(session, endpoint, label)) {
            long requestsBefore = http.requests();
            long records = pages.walk(staging::add);
            log.info(
                    String.format(
                            "stream %s: %d record(s) in %d page(s), %d request(s)",
                            stream.name(),
                            records,
                            pages.pages(),
                            http.requests() - requestsBefore));
            List<Column> columns = staging.columns();
            staging.close();
            return StagedRows.appended(session, columns, label, readAtMicros);
        }
    }

    /** The staging table of one stream and the Appender filling it. */
    private static final class Staging implements AutoCloseable {
        private final DuckDbSession session;
        private final String label;
        private final boolean declared;
        private final List<String> names = new ArrayList<>();
        private final List<ColumnType> types = new ArrayList<>();
        private final Map<String, Integer> byLowerName = new HashMap<>();
        private final Map<String, Integer> byName = new HashMap<>();
        private final String[] target;

        /**
         * Where the source-label column sits: after the declared columns, before discovered ones,
         * because the Appender fills columns in table order.
         */
        private final int labelPosition;

        private DuckDBAppender appender;

        Staging(DuckDbSession session, RestStreamPlan endpoint, String label) throws SQLException {
            this.session = session;
            this.label = label;
            this.declared = endpoint.columns() != null;
            List<Column> initial = new ArrayList<>();
            if (declared) {
                for (RestStreamPlan.RestColumn column : endpoint.columns()) {
                    ColumnType type = RecordValues.kindOfDeclared(column.type()).orElseThrow();
                    register(column.name(), type);
                    initial.add(new Column(column.name(), type.duckDbType()));
                }
            }
            target = StagedRows.createAppendTarget(session, initial);
            labelPosition = initial.size();
        }

        private void register(String name, ColumnType type) {
            byLowerName.put(name.toLowerCase(Locale.ROOT), names.size());
            byName.put(name, names.size());
            names.add(name);
            types.add(type);
        }

        List<Column> columns() {
            List<Column> columns = new ArrayList<>();
            for (int index = 0; index < names.size(); index++) {
                columns.add(new Column(names.get(index), types.get(index).duckDbType()));
            }
            return columns;
        }

        void add(JsonNode record) throws SQLException {
            if (Thread.currentThread().isInterrupted()) {
                throw new java.util.concurrent.CancellationException("interrupted");
            }
            if (!declared) {
                discover(record);
            }
            if (appender == null) {
                appender =
                        session.connection()
                                .unwrap(DuckDBConnection.class)
                                .createAppender(target[0], target[1], target[2]);
            }
            appender.beginRow();
            for (int index = 0; index < names.size(); index++) {
                if (index == labelPosition) {
                    appender.append(label);
                }
                try {
                    RecordValues.append(appender, types.get(index), record.get(names.get(index)));
                } catch (SyncFailure e) {
                    throw new SyncFailure("field \"" + names.get(index) + "\": " + e.getMessage());
                }
            }
            if (names.size() <= labelPosition) {
                appender.append(label);
            }
            appender.endRow();
        }

        /** Adds the record's new fields as columns and widens columns its values do not fit. */
        private void discover(JsonNode record) throws SQLException {
            var fields = record.fields();
            while (fields.hasNext()) {
                var field = fields.next();
                JsonNode value = field.getValue();
                if (value.isNull()) {
                    continue;
                }
                Kind kind = RecordValues.inferred(value);
                // Most fields are spelled as their column: skip lower-casing for those.
                Integer index = byName.get(field.getKey());
                if (index == null) {
                    index = byLowerName.get(field.getKey().toLowerCase(Locale.ROOT));
                }
                if (index == null) {
                    closeAppender();
                    ColumnType type = ColumnType.of(kind);
                    session.update(
                            "ALTER TABLE "
                                    + DuckDbSession.tempTable(target[2])
                                    + " ADD COLUMN "
                                    + dev.millrace.sync.destination.duckdb.Sql.identifier(
                                            field.getKey())
                                    + " "
                                    + type.duckDbType());
                    register(field.getKey(), type);
                    continue;
                }
                Kind current = types.get(index).kind();
                Kind wider = RecordValues.widened(current, kind);
                if (wider != current) {
                    closeAppender();
                    String column =
                            dev.millrace.sync.destination.duckdb.Sql.identifier(names.get(index));
                    String using =
                            wider == Kind.JSON
                                    ? " USING to_json(" + column + ")"
                                    : " USING CAST(" + column + " AS " + wider.name() + ")";
                    session.update(
                            "ALTER TABLE "
                                    + DuckDbSession.tempTable(target[2])
                                    + " ALTER COLUMN "
                                    + column
                                    + " SET DATA TYPE "
                                    + wider.name()
                                    + using);
                    types.set(index, ColumnType.of(wider));
                }
            }
        }

        private void closeAppender() throws SQLException {
            if (appender != null) {
                appender.close();
                appender = null;
            }
        }

        @Override
        public void close() throws SQLException {
            closeAppender();
        }
    }
}
