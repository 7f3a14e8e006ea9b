package dev.millrace.sync.result;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * What one stream's sync committed.
 *
 * @param table the landed table as {@code schema.table}
 * @param rowsRead rows parsed from the files this run read
 * @param rowsWritten rows inserted into the table (inserts plus updates)
 * @param inserts rows with a new primary key, or every appended row
 * @param updates rows that replaced an existing row with the same primary key
 * @param deletes rows removed: replaced by an overwrite, or belonging to a changed or vanished file
 * @param bytes size of the files read
 * @param tableRowCount rows in the table after the commit
 * @param filesLoaded files read by this run
 * @param filesTotal files currently matching the stream's glob
 * @param cursor the saved cursor after this run, if the stream has a cursor
 * @param files a file source's ledger as committed (every file the stream holds rows of); absent
 *     for other sources, and dropped when the result would not fit the termination message
 * @param filesOmitted true when {@code files} was dropped to fit the termination message
 * @param durationSeconds how long the stream took, from listing its source to having its rows and
 *     state written (before the sync's commit, which all streams share)
 */
public record StreamResult(
        String name,
        String table,
        String syncMode,
        long rowsRead,
        long rowsWritten,
        long inserts,
        long updates,
        long deletes,
        long bytes,
        long tableRowCount,
        int filesLoaded,
        int filesTotal,
        String cursor,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<FileEntry> files,
        @JsonInclude(JsonInclude.Include.NON_NULL) Boolean filesOmitted,
        @JsonInclude(JsonInclude.Include.NON_NULL) Double durationSeconds) {

    public StreamResult {
        files = files == null ? null : List.copyOf(files);
    }

    /** A stream whose duration is not known yet. */
    public StreamResult(
            String name,
            String table,
            String syncMode,
            long rowsRead,
            long rowsWritten,
            long inserts,
            long updates,
            long deletes,
            long bytes,
            long tableRowCount,
            int filesLoaded,
            int filesTotal,
            String cursor,
            List<FileEntry> files,
            Boolean filesOmitted) {
        this(
                name,
                table,
                syncMode,
                rowsRead,
                rowsWritten,
                inserts,
                updates,
                deletes,
                bytes,
                tableRowCount,
                filesLoaded,
                filesTotal,
                cursor,
                files,
                filesOmitted,
                null);
    }

    /** This stream with the time it took. */
    public StreamResult withDuration(double seconds) {
        return new StreamResult(
                name,
                table,
                syncMode,
                rowsRead,
                rowsWritten,
                inserts,
                updates,
                deletes,
                bytes,
                tableRowCount,
                filesLoaded,
                filesTotal,
                cursor,
                files,
                filesOmitted,
                seconds);
    }

    /** A stream without a file ledger. */
    public StreamResult(
            String name,
            String table,
            String syncMode,
            long rowsRead,
            long rowsWritten,
            long inserts,
            long updates,
            long deletes,
            long bytes,
            long tableRowCount,
            int filesLoaded,
            int filesTotal,
            String cursor) {
        this(
                name,
                table,
                syncMode,
                rowsRead,
                rowsWritten,
                inserts,
                updates,
                deletes,
                bytes,
                tableRowCount,
                filesLoaded,
                filesTotal,
                cursor,
                null,
                null);
    }

    /** This stream without its file list, marked so that readers know the list was cut. */
    public StreamResult withoutFiles() {
        return new StreamResult(
                name,
                table,
                syncMode,
                rowsRead,
                rowsWritten,
                inserts,
                updates,
                deletes,
                bytes,
                tableRowCount,
                filesLoaded,
                filesTotal,
                cursor,
                null,
                Boolean.TRUE,
                durationSeconds);
    }
}
