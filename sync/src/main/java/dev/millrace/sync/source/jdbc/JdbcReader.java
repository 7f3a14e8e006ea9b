package dev.millrace.sync.source.jdbc;

import dev.millrace.sync.destination.duckdb.DuckDbSession;
import dev.millrace.sync.destination.duckdb.StagedRows;
import dev.millrace.sync.plan.StreamPlan;
import dev.millrace.sync.source.StreamReader;
import java.sql.Connection;
import java.sql.SQLException;

/** The streams of one open database. */
public final class JdbcReader implements StreamReader {

    private final Connection source;

    public JdbcReader(Connection source) {
        this.source = source;
    }

    @Override
    public String describe(StreamPlan stream) {
        return stream.table() != null ? "table " + stream.table() : "a query";
    }

    @Override
    public StagedRows stage(
            DuckDbSession session, StreamPlan stream, String savedCursor, long readAtMicros)
            throws SQLException {
        return JdbcRead.stage(session, source, stream, savedCursor, readAtMicros);
    }
}
