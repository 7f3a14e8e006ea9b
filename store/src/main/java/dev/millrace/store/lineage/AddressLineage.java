package dev.millrace.store.lineage;

import dev.millrace.store.jdbc.Database;
import dev.millrace.store.jdbc.JdbcValues;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Addresses, address types and the lineage edges pipelines draw between addresses (Watcher
 * semantics), per namespace. Upserts go by name: the first caller creates, later ones find. Loading
 * a pipeline's lineage replaces its edges whole, in one transaction, creating the addresses and
 * types it names.
 *
 * <p>Each method is one transaction on the store's {@link Database}.
 */
public final class AddressLineage {
    private static final String TYPE_COLUMNS = "id, name, group_name, created_at, updated_at";
    private static final String ADDRESS_COLUMNS =
            "id, name, address_type_id, database_name, schema_name, table_name, primary_key,"
                    + " address_metadata, created_at, updated_at";

    private final Database database;

    public AddressLineage(Database database) {
        this.database = database;
    }

    // ---- address types -----------------------------------------------------------------------

    /** The type named {@code name}, created in {@code groupName} if there is none. */
    public Upserted<AddressType> upsertType(String namespace, String name, String groupName) {
        Objects.requireNonNull(namespace, "namespace");
        AddressInput.requireName("name", name);
        AddressInput.requireName("groupName", groupName);
        return database.transaction(
                "upsert address type " + name, c -> upsertType(c, namespace, name, groupName));
    }

    private static Upserted<AddressType> upsertType(
            Connection c, String namespace, String name, String groupName) throws SQLException {
        Optional<AddressType> existing = typeByName(c, namespace, name);
        if (existing.isPresent()) {
            return new Upserted<>(existing.get(), false);
        }
        try (PreparedStatement insert =
                c.prepareStatement(
                        "INSERT INTO address_types (id, namespace, name, group_name, created_at)"
                                + " VALUES (nextval('address_type_ids'), ?, ?, ?, ?)"
                                + " ON CONFLICT (namespace, name) DO NOTHING RETURNING id")) {
            insert.setString(1, namespace);
            insert.setString(2, name);
            insert.setString(3, groupName);
            JdbcValues.setInstant(insert, 4, Instant.now());
            try (ResultSet row = insert.executeQuery()) {
                boolean created = row.next();
                // Another process sharing a PostgreSQL store made it first: theirs is the type.
                return new Upserted<>(typeByName(c, namespace, name).orElseThrow(), created);
            }
        }
    }

    public List<AddressType> types(String namespace) {
        return database.transaction(
                "list address types",
                c -> {
                    try (PreparedStatement query =
                            c.prepareStatement(
                                    "SELECT "
                                            + TYPE_COLUMNS
                                            + " FROM address_types WHERE namespace = ?"
                                            + " ORDER BY id")) {
                        query.setString(1, namespace);
                        return types(query);
                    }
                });
    }

    public Optional<AddressType> type(String namespace, long id) {
        return database.transaction("find address type " + id, c -> typeById(c, namespace, id));
    }

    private static Optional<AddressType> typeById(Connection c, String namespace, long id)
            throws SQLException {
        try (PreparedStatement query =
                c.prepareStatement(
                        "SELECT "
                                + TYPE_COLUMNS
                                + " FROM address_types WHERE namespace = ? AND id = ?")) {
            query.setString(1, namespace);
            query.setLong(2, id);
            return types(query).stream().findFirst();
        }
    }

    private static Optional<AddressType> typeByName(Connection c, String namespace, String name)
            throws SQLException {
        try (PreparedStatement query =
                c.prepareStatement(
                        "SELECT "
                                + TYPE_COLUMNS
                                + " FROM address_types WHERE namespace = ? AND name = ?")) {
            query.setString(1, namespace);
            query.setString(2, name);
            return types(query).stream().findFirst();
        }
    }

    private static List<AddressType> types(PreparedStatement query) throws SQLException {
        List<AddressType> types = new ArrayList<>();
        try (ResultSet row = query.executeQuery()) {
            while (row.next()) {
                types.add(
                        new AddressType(
                                row.getLong("id"),
                                row.getString("name"),
                                row.getString("group_name"),
                                JdbcValues.getInstant(row, "created_at"),
                                JdbcValues.getInstant(row, "updated_at")));
            }
        }
        return types;
    }

    // ---- addresses ---------------------------------------------------------------------------

    /**
     * The address named {@code input.name()}, created (with its type, if that is new too) if there
     * is none. An existing address is returned as it is.
     */
    public Upserted<Address> upsertAddress(String namespace, AddressInput input) {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(input, "input");
        return database.transaction(
                "upsert address " + input.name(), c -> upsertAddress(c, namespace, input));
    }

    private static Upserted<Address> upsertAddress(
            Connection c, String namespace, AddressInput input) throws SQLException {
        Optional<Address> existing = addressByName(c, namespace, input.name());
        if (existing.isPresent()) {
            return new Upserted<>(existing.get(), false);
        }
        AddressType type = upsertType(c, namespace, input.typeName(), input.groupName()).value();
        try (PreparedStatement insert =
                c.prepareStatement(
                        "INSERT INTO addresses (id, namespace, name, address_type_id,"
                                + " database_name, schema_name, table_name, primary_key,"
                                + " address_metadata, created_at)"
                                + " VALUES (nextval('address_ids'), ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                                + " ON CONFLICT (namespace, name) DO NOTHING RETURNING id")) {
            insert.setString(1, namespace);
            insert.setString(2, input.name());
            insert.setLong(3, type.id());
            JdbcValues.setNullableString(insert, 4, input.databaseName());
            JdbcValues.setNullableString(insert, 5, input.schemaName());
            JdbcValues.setNullableString(insert, 6, input.tableName());
            JdbcValues.setNullableString(insert, 7, input.primaryKey());
            JdbcValues.setNullableString(insert, 8, input.metadataJson());
            JdbcValues.setInstant(insert, 9, Instant.now());
            try (ResultSet row = insert.executeQuery()) {
                boolean created = row.next();
                return new Upserted<>(
                        addressByName(c, namespace, input.name()).orElseThrow(), created);
            }
        }
    }

    public List<Address> addresses(String namespace) {
        return database.transaction(
                "list addresses",
                c -> {
                    try (PreparedStatement query =
                            c.prepareStatement(
                                    "SELECT "
                                            + ADDRESS_COLUMNS
                                            + " FROM addresses WHERE namespace = ? ORDER BY id")) {
                        query.setString(1, namespace);
                        return addresses(query);
                    }
                });
    }

    public Optional<Address> address(String namespace, long id) {
        return database.transaction("find address " + id, c -> addressById(c, namespace, id));
    }

    /**
     * Applies {@code change} to the address.
     *
     * @return empty if there is no such address
     * @throws IllegalArgumentException if the new name is another address's, or the new type does
     *     not exist
     */
    public Optional<Address> update(String namespace, long id, AddressChange change) {
        Objects.requireNonNull(change, "change");
        return database.transaction(
                "update address " + id,
                c -> {
                    Optional<Address> current = addressById(c, namespace, id);
                    if (current.isEmpty()) {
                        return current;
                    }
                    if (change.name() != null && !change.name().equals(current.get().name())) {
                        if (addressByName(c, namespace, change.name()).isPresent()) {
                            throw new IllegalArgumentException(
                                    "an address named '" + change.name() + "' exists already");
                        }
                    }
                    if (change.addressTypeId() != null
                            && typeById(c, namespace, change.addressTypeId()).isEmpty()) {
                        throw new IllegalArgumentException(
                                "there is no address type with id " + change.addressTypeId());
                    }
                    Address a = current.get();
                    try (PreparedStatement update =
                            c.prepareStatement(
                                    "UPDATE addresses SET name = ?, address_type_id = ?,"
                                            + " database_name = ?, schema_name = ?,"
                                            + " table_name = ?, primary_key = ?, updated_at = ?"
                                            + " WHERE namespace = ? AND id = ?")) {
                        update.setString(1, or(change.name(), a.name()));
                        update.setLong(2, or(change.addressTypeId(), a.addressTypeId()));
                        JdbcValues.setNullableString(
                                update, 3, or(change.databaseName(), a.databaseName()));
                        JdbcValues.setNullableString(
                                update, 4, or(change.schemaName(), a.schemaName()));
                        JdbcValues.setNullableString(
                                update, 5, or(change.tableName(), a.tableName()));
                        JdbcValues.setNullableString(
                                update, 6, or(change.primaryKey(), a.primaryKey()));
                        JdbcValues.setInstant(update, 7, Instant.now());
                        update.setString(8, namespace);
                        update.setLong(9, id);
                        update.executeUpdate();
                    }
                    return addressById(c, namespace, id);
                });
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }

    private static Optional<Address> addressById(Connection c, String namespace, long id)
            throws SQLException {
        try (PreparedStatement query =
                c.prepareStatement(
                        "SELECT "
                                + ADDRESS_COLUMNS
                                + " FROM addresses WHERE namespace = ? AND id = ?")) {
            query.setString(1, namespace);
            query.setLong(2, id);
            return addresses(query).stream().findFirst();
        }
    }

    private static Optional<Address> addressByName(Connection c, String namespace, String name)
            throws SQLException {
        try (PreparedStatement query =
                c.prepareStatement(
                        "SELECT "
                                + ADDRESS_COLUMNS
                                + " FROM addresses WHERE namespace = ? AND name = ?")) {
            query.setString(1, namespace);
            query.setString(2, name);
            return addresses(query).stream().findFirst();
        }
    }

    private static List<Address> addresses(PreparedStatement query) throws SQLException {
        List<Address> addresses = new ArrayList<>();
        try (ResultSet row = query.executeQuery()) {
            while (row.next()) {
                addresses.add(
                        new Address(
                                row.getLong("id"),
                                row.getString("name"),
                                row.getLong("address_type_id"),
                                row.getString("database_name"),
                                row.getString("schema_name"),
                                row.getString("table_name"),
                                row.getString("primary_key"),
                                row.getString("address_metadata"),
                                JdbcValues.getInstant(row, "created_at"),
                                JdbcValues.getInstant(row, "updated_at")));
            }
        }
        return addresses;
    }

    // ---- lineage -----------------------------------------------------------------------------

    /**
     * Replaces the pipeline's edges with one from every source to every target, creating the
     * addresses and types named. An address listed twice counts once.
     *
     * @return how many edges the pipeline has now
     */
    public int replaceLineage(
            String namespace,
            long pipelineId,
            List<AddressInput> sources,
            List<AddressInput> targets) {
        Objects.requireNonNull(namespace, "namespace");
        List<AddressInput> from = List.copyOf(sources);
        List<AddressInput> to = List.copyOf(targets);
        return database.transaction(
                "load the lineage of pipeline " + pipelineId,
                c -> {
                    Set<Long> sourceIds = ids(c, namespace, from);
                    Set<Long> targetIds = ids(c, namespace, to);
                    try (PreparedStatement delete =
                            c.prepareStatement(
                                    "DELETE FROM address_lineage WHERE pipeline_id = ?")) {
                        delete.setLong(1, pipelineId);
                        delete.executeUpdate();
                    }
                    List<LineageEdge> edges = new ArrayList<>();
                    for (long source : sourceIds) {
                        for (long target : targetIds) {
                            edges.add(new LineageEdge(pipelineId, source, target));
                        }
                    }
                    insertEdges(c, edges, Instant.now());
                    return edges.size();
                });
    }

    private static Set<Long> ids(Connection c, String namespace, List<AddressInput> inputs)
            throws SQLException {
        Set<Long> ids = new LinkedHashSet<>();
        for (AddressInput input : inputs) {
            ids.add(upsertAddress(c, namespace, input).value().id());
        }
        return ids;
    }

    /** Edges per INSERT statement: one statement per row costs milliseconds each on DuckDB. */
    private static final int CHUNK = 300;

    private static void insertEdges(Connection c, List<LineageEdge> edges, Instant now)
            throws SQLException {
        for (int from = 0; from < edges.size(); from += CHUNK) {
            List<LineageEdge> chunk = edges.subList(from, Math.min(edges.size(), from + CHUNK));
            String rows = chunk.stream().map(e -> "(?, ?, ?, ?)").collect(Collectors.joining(", "));
            try (PreparedStatement insert =
                    c.prepareStatement(
                            "INSERT INTO address_lineage (pipeline_id, source_address_id,"
                                    + " target_address_id, created_at) VALUES "
                                    + rows)) {
                int i = 1;
                for (LineageEdge e : chunk) {
                    insert.setLong(i++, e.pipelineId());
                    insert.setLong(i++, e.sourceAddressId());
                    insert.setLong(i++, e.targetAddressId());
                    JdbcValues.setInstant(insert, i++, now);
                }
                insert.executeUpdate();
            }
        }
    }

    /** The pipeline's edges, by source then target. */
    public List<LineageEdge> edgesOf(long pipelineId) {
        return database.transaction(
                "list the lineage of pipeline " + pipelineId,
                c -> {
                    try (PreparedStatement query =
                            c.prepareStatement(
                                    "SELECT pipeline_id, source_address_id, target_address_id"
                                            + " FROM address_lineage WHERE pipeline_id = ?"
                                            + " ORDER BY source_address_id, target_address_id")) {
                        query.setLong(1, pipelineId);
                        List<LineageEdge> edges = new ArrayList<>();
                        try (ResultSet row = query.executeQuery()) {
                            while (row.next()) {
                                edges.add(
                                        new LineageEdge(
                                                row.getLong(1), row.getLong(2), row.getLong(3)));
                            }
                        }
                        return edges;
                    }
                });
    }

    /** The addresses of the namespace by name, for callers that show edges by name. */
    public Map<Long, Address> addressesById(String namespace) {
        return addresses(namespace).stream()
                .collect(Collectors.toMap(Address::id, Function.identity()));
    }
}
