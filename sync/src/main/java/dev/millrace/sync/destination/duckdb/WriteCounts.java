package dev.millrace.sync.destination.duckdb;

/**
 * What applying a sync mode did to a table, in the terms the Watcher API and the result use.
 *
 * @param inserts rows with a new key, or every appended row
 * @param updates rows that replaced a row with the same key
 * @param deletes rows removed and not replaced
 */
public record WriteCounts(long inserts, long updates, long deletes) {

    public long written() {
        return inserts + updates;
    }
}
