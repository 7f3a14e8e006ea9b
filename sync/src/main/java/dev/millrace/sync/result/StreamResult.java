package dev.millrace.sync.result;

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
        String cursor) {}
