package dev.millrace.sync.result;

import java.time.Instant;

/**
 * One file of a file source's ledger as the sync committed it: what the operator copies into the
 * store so the API can list a source's files with their load status.
 *
 * @param path relative to the source directory, with {@code /} separators
 * @param size bytes when loaded
 * @param modified the file's modification time when loaded
 * @param rows rows the file held when loaded
 */
public record FileEntry(String path, long size, Instant modified, long rows) {}
