package dev.millrace.sync.source.csv;

import java.nio.file.Path;

/**
 * A file of a source as listed at the start of a sync. Size and modification time are what the
 * ledger compares to tell a changed file from an unchanged one.
 *
 * @param relativePath the path below the source directory, with {@code /} separators; stored in
 *     {@code _millrace_file} and the ledger so that moving the data root does not reload anything
 * @param absolutePath the path DuckDB reads
 * @param mtimeMicros last modification, microseconds since the epoch
 */
public record SourceFile(String relativePath, Path absolutePath, long size, long mtimeMicros) {}
