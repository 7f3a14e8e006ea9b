package dev.millrace.store.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.store.testing.Backend;
import dev.millrace.store.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Only PostgreSQL is shared by several processes (DuckDB allows one writer), so only there can
 * migrations start at the same moment: the operator and the API replicas of a fresh install do.
 */
class ConcurrentMigrationTest {
    static final int PROCESSES = 6;

    @TempDir Path tempDir;

    @Test
    void processesMigratingAnEmptyPostgresDatabaseAtOnceApplyEachMigrationOnce() throws Exception {
        TestDatabase database = Backend.POSTGRESQL.freshDatabase(tempDir);
        MigrationRunner runner = MigrationRunner.fromClasspath(getClass().getClassLoader());
        CountDownLatch ready = new CountDownLatch(PROCESSES);
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(PROCESSES);
        List<Future<List<Migration>>> results = new ArrayList<>();
        try {
            for (int i = 0; i < PROCESSES; i++) {
                results.add(
                        pool.submit(
                                () -> {
                                    // A connection of its own, like a separate process.
                                    try (Connection connection = database.connect()) {
                                        ready.countDown();
                                        go.await();
                                        return runner.migrate(connection);
                                    }
                                }));
            }
            assertThat(ready.await(60, TimeUnit.SECONDS)).isTrue();
            go.countDown();
            List<Integer> applied = new ArrayList<>();
            for (Future<List<Migration>> result : results) {
                result.get(120, TimeUnit.SECONDS).forEach(m -> applied.add(m.version()));
            }
            // Every migration applied by exactly one of them; the others found it done.
            assertThat(applied)
                    .containsExactlyInAnyOrderElementsOf(
                            runner.migrations().stream().map(Migration::version).toList());
        } finally {
            pool.shutdownNow();
        }
        try (Connection connection = database.connect();
                Statement statement = connection.createStatement();
                ResultSet rows =
                        statement.executeQuery(
                                "SELECT count(*), count(DISTINCT version) FROM schema_version")) {
            rows.next();
            assertThat(rows.getInt(1)).isEqualTo(runner.migrations().size());
            assertThat(rows.getInt(2)).isEqualTo(runner.migrations().size());
        }
    }
}
