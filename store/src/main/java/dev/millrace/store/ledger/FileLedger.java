package dev.millrace.store.ledger;

import dev.millrace.store.jdbc.JdbcValues;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The store's copy of the CSV file ledger. The authoritative ledger is written by the sync into the
 * destination, in the same transaction as the data; this copy lets the API list a source's files
 * without opening the destination, and is replaced whole, stream by stream, after each sync.
 *
 * <p>Statements only: the caller ({@code Store}) runs each method in a transaction, which is what
 * makes a replacement atomic.
 */
public final class FileLedger {

    /**
     * Makes {@code entries} the stream's rows. A path that appears twice violates the primary key
     * and fails the whole replacement.
     */
    public void replace(
            Connection connection,
            String namespace,
            String source,
            String stream,
            List<FileLedgerEntry> entries)
            throws SQLException {
        try (PreparedStatement delete =
                connection.prepareStatement(
                        "DELETE FROM file_ledger"
                                + " WHERE namespace = ? AND source_name = ? AND stream = ?")) {
            delete.setString(1, namespace);
            delete.setString(2, source);
            delete.setString(3, stream);
            delete.executeUpdate();
        }
        if (entries.isEmpty()) {
            return;
        }
        try (PreparedStatement insert =
                connection.prepareStatement(
                        "INSERT INTO file_ledger (namespace, source_name, stream, path,"
                                + " size_bytes, modified_at, row_count, job_id, loaded_at)"
                                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (FileLedgerEntry entry : entries) {
                insert.setString(1, namespace);
                insert.setString(2, source);
                insert.setString(3, stream);
                insert.setString(4, entry.path());
                insert.setLong(5, entry.size());
                JdbcValues.setInstant(insert, 6, entry.modified());
                insert.setLong(7, entry.rows());
                JdbcValues.setNullableLong(insert, 8, entry.jobId());
                JdbcValues.setInstant(insert, 9, entry.loadedAt());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /** The files of every stream of the source, by path. */
    public List<FileLedgerEntry> list(Connection connection, String namespace, String source)
            throws SQLException {
        try (PreparedStatement query =
                connection.prepareStatement(
                        "SELECT path, size_bytes, modified_at, row_count, job_id, loaded_at"
                                + " FROM file_ledger WHERE namespace = ? AND source_name = ?"
                                + " ORDER BY path, stream")) {
            query.setString(1, namespace);
            query.setString(2, source);
            List<FileLedgerEntry> entries = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    entries.add(
                            new FileLedgerEntry(
                                    rows.getString("path"),
                                    rows.getLong("size_bytes"),
                                    JdbcValues.getInstant(rows, "modified_at"),
                                    rows.getLong("row_count"),
                                    JdbcValues.getNullableLong(rows, "job_id"),
                                    JdbcValues.getInstant(rows, "loaded_at")));
                }
            }
            return entries;
        }
    }
}
