package dev.millrace.store.testing;

import dev.millrace.store.Store;
import java.sql.Connection;
import java.sql.SQLException;

/** One empty database that a test may open as a store, close, and open again. */
public interface TestDatabase {

    Store open();

    /** A plain JDBC connection, for looking under the store; open it only while no store is. */
    Connection connect() throws SQLException;
}
