package dev.millrace.sync.destination.duckdb;

import java.time.Instant;

/**
 * The metadata every landed row carries: when this run extracted it and which job wrote it. The
 * third column, {@code _millrace_raw_id}, is generated per row by DuckDB.
 */
public record RowStamp(Instant extractedAt, long jobId) {}
