package dev.millrace.store.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

/** Statements run on the store's connection inside one transaction. */
@FunctionalInterface
public interface SqlWork<T> {
    T run(Connection connection) throws SQLException;
}
