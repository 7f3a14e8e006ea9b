package dev.millrace.store.testing;

import dev.millrace.store.Store;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/** The databases the store runs on. Store tests run once against each. */
public enum Backend {
    DUCKDB {
        @Override
        public TestDatabase freshDatabase(Path tempDir) {
            Path file = tempDir.resolve("history.duckdb");
            return new TestDatabase() {
                @Override
                public Store open() {
                    return Store.openDuckDb(file);
                }

                @Override
                public Connection connect() throws SQLException {
                    return DriverManager.getConnection("jdbc:duckdb:" + file);
                }
            };
        }
    },
    POSTGRESQL {
        @Override
        public TestDatabase freshDatabase(Path tempDir) {
            String url = EmbeddedPostgresServer.newDatabaseUrl();
            return new TestDatabase() {
                @Override
                public Store open() {
                    return Store.open(url, null, null);
                }

                @Override
                public Connection connect() throws SQLException {
                    return DriverManager.getConnection(url);
                }
            };
        }
    };

    public abstract TestDatabase freshDatabase(Path tempDir);
}
