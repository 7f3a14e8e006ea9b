package dev.millrace.store.jdbc;

import dev.millrace.store.StoreException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One JDBC connection that every thread of the process shares, one transaction at a time.
 *
 * <p>Why a single connection behind a lock rather than a pool: DuckDB allows one writing process,
 * and two connections of that process writing at once fail with "Transaction conflict" on
 * optimistic concurrency control. Serialising writes in the JVM removes those failures instead of
 * retrying them. Reads take the same lock: every store query is short (a key lookup, a small
 * filtered page, the newest log lines), so a second read path (duplicated DuckDB connections, a
 * PostgreSQL pool) would add a second set of transaction rules for little gain at the store's size.
 */
public final class Database implements AutoCloseable {

    private final Connection connection;
    private final ReentrantLock lock = new ReentrantLock(true);
    private boolean closed;

    /** Takes ownership of {@code connection}; switches auto-commit off. */
    public Database(Connection connection) {
        this.connection = connection;
        try {
            connection.setAutoCommit(false);
        } catch (SQLException e) {
            throw new StoreException("store could not start transactions: " + e.getMessage(), e);
        }
    }

    /**
     * Runs {@code work} in its own transaction: committed when it returns, rolled back when it
     * throws. A {@link SQLException} reaches the caller as a {@link StoreException} naming {@code
     * operation}; runtime exceptions thrown by {@code work} pass through unchanged.
     */
    public <T> T transaction(String operation, SqlWork<T> work) {
        if (lock.isHeldByCurrentThread()) {
            // A nested call would commit the outer transaction half-way through.
            throw new IllegalStateException(
                    "store transactions do not nest: '" + operation + "' started inside another");
        }
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("the store is closed");
            }
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException e) {
                rollbackAfter(e);
                throw new StoreException("store could not " + operation + ": " + e.getMessage(), e);
            } catch (RuntimeException | Error e) {
                rollbackAfter(e);
                throw e;
            }
        } finally {
            lock.unlock();
        }
    }

    private void rollbackAfter(Throwable failure) {
        try {
            connection.rollback();
        } catch (SQLException rollbackFailure) {
            failure.addSuppressed(rollbackFailure);
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            connection.close();
        } catch (SQLException e) {
            throw new StoreException("store could not close its database: " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }
}
