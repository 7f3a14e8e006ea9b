package dev.millrace.store.id;

import dev.millrace.store.jdbc.JdbcValues;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/**
 * The integer ids the Watcher and Databasin APIs address objects by. An object is known by its
 * Kubernetes uid; its id is allocated the first time it is asked for, counts up per kind from 1,
 * and is never handed out again, not even after the object is forgotten, so a client holding an old
 * id can never reach a different object.
 *
 * <p>Statements only: the caller ({@code Store}) runs each method in a transaction.
 */
public final class IdRegistry {

    private static final String REF_COLUMNS = "kind, namespace, name, uid, id";

    /**
     * The id of the object with {@code uid}, allocated now if it has none. Asking for a forgotten
     * uid returns its old id and marks it live again: uids are never reused by Kubernetes, so the
     * object is the same one (a resource restored with its uid).
     */
    public long idFor(
            Connection connection,
            String kind,
            String namespace,
            String name,
            String uid,
            Instant now)
            throws SQLException {
        // Reconcilers ask on every pass, so the common case (a live registration) is one read.
        Optional<Registration> existing = registration(connection, kind, uid);
        if (existing.isPresent()) {
            if (existing.get().forgotten()) {
                revive(connection, kind, uid);
            }
            return existing.get().id();
        }
        long id = nextId(connection, kind);
        try (PreparedStatement insert =
                connection.prepareStatement(
                        "INSERT INTO object_ids (kind, id, namespace, name, uid, allocated_at)"
                                + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (kind, uid) DO NOTHING"
                                + " RETURNING id")) {
            insert.setString(1, kind);
            insert.setLong(2, id);
            insert.setString(3, namespace);
            insert.setString(4, name);
            insert.setString(5, uid);
            JdbcValues.setInstant(insert, 6, now);
            try (ResultSet inserted = insert.executeQuery()) {
                if (inserted.next()) {
                    return inserted.getLong("id");
                }
            }
        }
        // Another process sharing a PostgreSQL store registered the uid first: its id wins, and
        // the one counted here stays unused, which is allowed: ids are unique, not dense.
        return registration(connection, kind, uid).orElseThrow().id();
    }

    private record Registration(long id, boolean forgotten) {}

    private static Optional<Registration> registration(
            Connection connection, String kind, String uid) throws SQLException {
        try (PreparedStatement query =
                connection.prepareStatement(
                        "SELECT id, forgotten_at FROM object_ids WHERE kind = ? AND uid = ?")) {
            query.setString(1, kind);
            query.setString(2, uid);
            try (ResultSet row = query.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                return Optional.of(
                        new Registration(
                                row.getLong("id"),
                                JdbcValues.getInstant(row, "forgotten_at") != null));
            }
        }
    }

    /**
     * Counts the kind's id up by one. The upsert takes the counter row's lock on PostgreSQL, so
     * processes sharing the store count in turn.
     */
    private static long nextId(Connection connection, String kind) throws SQLException {
        try (PreparedStatement increment =
                connection.prepareStatement(
                        "INSERT INTO id_counters (kind, last_id) VALUES (?, 1) ON CONFLICT (kind)"
                                + " DO UPDATE SET last_id = id_counters.last_id + 1 RETURNING"
                                + " last_id")) {
            increment.setString(1, kind);
            try (ResultSet row = increment.executeQuery()) {
                row.next();
                return row.getLong("last_id");
            }
        }
    }

    private static void revive(Connection connection, String kind, String uid) throws SQLException {
        try (PreparedStatement update =
                connection.prepareStatement(
                        "UPDATE object_ids SET forgotten_at = NULL WHERE kind = ? AND uid = ?")) {
            update.setString(1, kind);
            update.setString(2, uid);
            update.executeUpdate();
        }
    }

    /** The live (not forgotten) object with this id. */
    public Optional<ObjectRef> findById(Connection connection, String kind, long id)
            throws SQLException {
        try (PreparedStatement query =
                connection.prepareStatement(
                        "SELECT "
                                + REF_COLUMNS
                                + " FROM object_ids"
                                + " WHERE kind = ? AND id = ? AND forgotten_at IS NULL")) {
            query.setString(1, kind);
            query.setLong(2, id);
            try (ResultSet row = query.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                return Optional.of(
                        new ObjectRef(
                                row.getString("kind"),
                                row.getString("namespace"),
                                row.getString("name"),
                                row.getString("uid"),
                                row.getLong("id")));
            }
        }
    }

    /** The id of the live (not forgotten) object with this uid. */
    public Optional<Long> findId(Connection connection, String kind, String uid)
            throws SQLException {
        return registration(connection, kind, uid)
                .filter(registration -> !registration.forgotten())
                .map(Registration::id);
    }

    /** Marks the object deleted; its id stays burned. Forgetting an unknown uid does nothing. */
    public void forget(Connection connection, String kind, String uid, Instant now)
            throws SQLException {
        try (PreparedStatement update =
                connection.prepareStatement(
                        "UPDATE object_ids SET forgotten_at = ?"
                                + " WHERE kind = ? AND uid = ? AND forgotten_at IS NULL")) {
            JdbcValues.setInstant(update, 1, now);
            update.setString(2, kind);
            update.setString(3, uid);
            update.executeUpdate();
        }
    }
}
