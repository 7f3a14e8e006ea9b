package dev.millrace.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreOpeningTest {

    @TempDir Path tempDir;

    @Test
    void openingADuckDbFileCreatesItAndTheDirectoriesAboveIt() {
        Path file = tempDir.resolve(".millrace").resolve("state").resolve("history.duckdb");

        try (Store store = Store.openDuckDb(file)) {
            assertThat(store.idFor("Pipeline", "team-a", "orders", "uid-1")).isEqualTo(1);
        }

        assertThat(file).isRegularFile();
    }

    @Test
    void aFileThatIsNotADuckDbDatabaseIsRefusedNamingIt() throws IOException {
        Path file = Files.writeString(tempDir.resolve("history.duckdb"), "not a database");

        assertThatThrownBy(() -> Store.openDuckDb(file))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining(file.toString());
    }

    @Test
    void aSecondStoreOnAFileThisProcessHasOpenIsRefusedUntilTheFirstCloses() {
        Path file = tempDir.resolve("history.duckdb");
        Store first = Store.openDuckDb(file);

        assertThatThrownBy(() -> Store.openDuckDb(tempDir.resolve(".").resolve("history.duckdb")))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("already open in this process");

        first.close();
        try (Store second = Store.openDuckDb(file)) {
            assertThat(second.idFor("Pipeline", "team-a", "orders", "uid-1")).isEqualTo(1);
            first.close(); // closing the first again must not release the second's claim
            assertThatThrownBy(() -> Store.openDuckDb(file))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("already open in this process");
        }
    }

    @Test
    void aDatabaseThatCannotBeReachedIsReportedWithoutTheUrlParameters() {
        assertThatThrownBy(
                        () ->
                                Store.open(
                                        "jdbc:postgresql://127.0.0.1:1/history?password=hunter2",
                                        null,
                                        null))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("jdbc:postgresql://127.0.0.1:1/history")
                .hasMessageNotContaining("hunter2");
    }
}
