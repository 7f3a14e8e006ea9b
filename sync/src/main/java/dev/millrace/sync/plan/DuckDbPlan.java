package dev.millrace.sync.plan;

/**
 * A DuckDB destination's database file.
 *
 * @param path the database file; relative paths resolve against the warehouse root
 */
public record DuckDbPlan(String path) {}
