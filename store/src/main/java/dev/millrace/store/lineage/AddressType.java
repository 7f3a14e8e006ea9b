package dev.millrace.store.lineage;

import java.time.Instant;

/**
 * A kind of address (the Watcher {@code address_type}): {@code postgres} in group {@code database}.
 *
 * @param updatedAt null until changed
 */
public record AddressType(
        long id, String name, String groupName, Instant createdAt, Instant updatedAt) {}
