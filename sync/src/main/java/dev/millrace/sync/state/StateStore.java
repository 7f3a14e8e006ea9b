package dev.millrace.sync.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.millrace.sync.destination.duckdb.DuckDbSession;
import dev.millrace.sync.destination.duckdb.Sql;
import dev.millrace.sync.plan.PlanValidator;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The sync state of one connection, kept in the destination database itself (schema {@code
 * _millrace}) so that it commits in the same transaction as the data it describes: a rolled-back
 * sync leaves data, ledger and cursor exactly as they were.
 *
 * <p>{@code file_ledger} has one row per loaded file of a stream; {@code stream_state} one row per
 * stream with its cursor. Both are keyed by namespace, connection and stream, so connections can
 * share a warehouse file. There are no key constraints: rows are replaced by delete-then-insert
 * inside the transaction.
 */
public final class StateStore {

    private static final ObjectMapper JSON =
            JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    private final DuckDbSession session;
    private final String namespace;
    private final String connection;
    private final String ledgerTable;
    private final String stateTable;
    private boolean tablesReady;

    public StateStore(DuckDbSession session, String namespace, String connection) {
        this.session = session;
        this.namespace = namespace;
        this.connection = connection;
        this.ledgerTable = session.table(PlanValidator.STATE_SCHEMA, "file_ledger");
        this.stateTable = session.table(PlanValidator.STATE_SCHEMA, "stream_state");
    }

    /** The ledger of a stream; empty when nothing was ever recorded. */
    public List<LedgerEntry> ledger(String stream) throws SQLException {
        if (!tablesExist()) {
            return List.of();
        }
        return session.query(
                "SELECT path, size, epoch_us(mtime), \"rows\" FROM "
                        + ledgerTable
                        + " WHERE "
                        + streamKey(stream)
                        + " ORDER BY path",
                row ->
                        new LedgerEntry(
                                row.getString(1), row.getLong(2), row.getLong(3), row.getLong(4)));
    }

    /** Forgets every file of the stream, for runs that reload everything. */
    public void clearLedger(String stream) throws SQLException {
        if (tablesExist()) {
            session.update("DELETE FROM " + ledgerTable + " WHERE " + streamKey(stream));
        }
    }

    public void forgetFiles(String stream, Collection<String> paths) throws SQLException {
        if (paths.isEmpty() || !tablesExist()) {
            return;
        }
        session.update(
                "DELETE FROM "
                        + ledgerTable
                        + " WHERE "
                        + streamKey(stream)
                        + " AND path IN ("
                        + paths.stream().map(Sql::literal).collect(Collectors.joining(", "))
                        + ")");
    }

    /** Records files as loaded by {@code jobId}; callers forget earlier entries for them first. */
    public void recordFiles(String stream, List<LedgerEntry> entries, long jobId, Instant loadedAt)
            throws SQLException {
        if (entries.isEmpty()) {
            return;
        }
        ensureTables();
        List<List<Object>> rows = new ArrayList<>();
        for (LedgerEntry entry : entries) {
            rows.add(
                    List.of(
                            namespace,
                            connection,
                            stream,
                            entry.path(),
                            entry.size(),
                            entry.mtimeMicros(),
                            entry.rows(),
                            jobId,
                            loadedAt.toString()));
        }
        session.batch(
                "INSERT INTO "
                        + ledgerTable
                        + " VALUES (?, ?, ?, ?, ?, make_timestamp(CAST(? AS BIGINT)), ?, ?,"
                        + " CAST(? AS TIMESTAMPTZ))",
                rows);
    }

    public StreamState state(String stream) throws SQLException {
        if (!tablesExist()) {
            return StreamState.EMPTY;
        }
        String json =
                session.queryString(
                        "SELECT state FROM " + stateTable + " WHERE " + streamKey(stream));
        if (json == null) {
            return StreamState.EMPTY;
        }
        try {
            return JSON.readValue(json, StreamState.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(
                    "stream_state of " + stream + " is not valid JSON: " + e.getOriginalMessage(),
                    e);
        }
    }

    public void saveState(String stream, StreamState state, long jobId, Instant updatedAt)
            throws SQLException {
        ensureTables();
        String json;
        try {
            json = JSON.writeValueAsString(state);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        session.update("DELETE FROM " + stateTable + " WHERE " + streamKey(stream));
        session.batch(
                "INSERT INTO " + stateTable + " VALUES (?, ?, ?, ?, ?, CAST(? AS TIMESTAMPTZ))",
                List.of(List.of(namespace, connection, stream, json, jobId, updatedAt.toString())));
    }

    private String streamKey(String stream) {
        return "namespace = "
                + Sql.literal(namespace)
                + " AND connection = "
                + Sql.literal(connection)
                + " AND stream = "
                + Sql.literal(stream);
    }

    private boolean tablesExist() throws SQLException {
        if (!tablesReady) {
            tablesReady =
                    session.queryLong(
                                    "SELECT count(*) FROM duckdb_tables() WHERE database_name = "
                                            + Sql.literal(session.catalog())
                                            + " AND schema_name = "
                                            + Sql.literal(PlanValidator.STATE_SCHEMA)
                                            + " AND table_name IN ('file_ledger', 'stream_state')")
                            == 2;
        }
        return tablesReady;
    }

    /**
     * Created on first write rather than on open, so that a sync with nothing to land leaves the
     * destination untouched.
     */
    public void ensureTables() throws SQLException {
        if (tablesExist()) {
            return;
        }
        session.update(
                "CREATE SCHEMA IF NOT EXISTS "
                        + Sql.identifier(session.catalog())
                        + "."
                        + Sql.identifier(PlanValidator.STATE_SCHEMA));
        session.update(
                "CREATE TABLE IF NOT EXISTS "
                        + ledgerTable
                        + " (namespace VARCHAR NOT NULL, connection VARCHAR NOT NULL,"
                        + " stream VARCHAR NOT NULL, path VARCHAR NOT NULL, size BIGINT NOT NULL,"
                        + " mtime TIMESTAMP NOT NULL, \"rows\" BIGINT NOT NULL,"
                        + " job_id BIGINT NOT NULL, loaded_at TIMESTAMPTZ NOT NULL)");
        session.update(
                "CREATE TABLE IF NOT EXISTS "
                        + stateTable
                        + " (namespace VARCHAR NOT NULL, connection VARCHAR NOT NULL,"
                        + " stream VARCHAR NOT NULL, state VARCHAR NOT NULL,"
                        + " job_id BIGINT NOT NULL, updated_at TIMESTAMPTZ NOT NULL)");
        tablesReady = true;
    }
}
