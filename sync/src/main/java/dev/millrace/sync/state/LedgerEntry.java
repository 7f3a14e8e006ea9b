package dev.millrace.sync.state;

/**
 * A file as the ledger remembers it from the run that last loaded it.
 *
 * @param path relative to the source directory
 * @param mtimeMicros modification time, microseconds since the epoch
 * @param rows rows the file held when loaded
 */
public record LedgerEntry(String path, long size, long mtimeMicros, long rows) {}
