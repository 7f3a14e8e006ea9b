package dev.millrace.store.lineage;

/** What an upsert found or made, and whether it made it. */
public record Upserted<T>(T value, boolean created) {}
