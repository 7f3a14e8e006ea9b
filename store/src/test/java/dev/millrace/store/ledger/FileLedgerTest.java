package dev.millrace.store.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.millrace.store.StoreException;
import dev.millrace.store.testing.Backend;
import dev.millrace.store.testing.StoreTestBase;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass(name = "on {0}")
@EnumSource(Backend.class)
class FileLedgerTest extends StoreTestBase {

    private static final Instant MODIFIED = Instant.parse("2025-12-09T08:00:00Z");
    private static final Instant LOADED = Instant.parse("2025-12-09T08:05:00Z");

    private static FileLedgerEntry loaded(String path, long rows) {
        return new FileLedgerEntry(path, rows * 100, MODIFIED, rows, 7L, LOADED);
    }

    @Test
    void replacingAStreamsLedgerSwapsAllOfItsRowsAndOnlyThose() {
        store.replaceFileLedger("team-a", "sales", "orders", List.of(loaded("/data/a.csv", 1)));
        store.replaceFileLedger("team-a", "sales", "refunds", List.of(loaded("/data/r.csv", 2)));

        store.replaceFileLedger(
                "team-a",
                "sales",
                "orders",
                List.of(loaded("/data/b.csv", 3), loaded("/data/c.csv", 4)));

        assertThat(store.fileLedger("team-a", "sales"))
                .extracting(FileLedgerEntry::path)
                .containsExactly("/data/b.csv", "/data/c.csv", "/data/r.csv");
    }

    @Test
    void aReplacementThatFailsHalfWayLeavesTheOldRows() {
        List<FileLedgerEntry> before = List.of(loaded("/data/a.csv", 1), loaded("/data/b.csv", 2));
        store.replaceFileLedger("team-a", "sales", "orders", before);

        // The duplicate path fails the insert after the old rows were deleted.
        assertThatThrownBy(
                        () ->
                                store.replaceFileLedger(
                                        "team-a",
                                        "sales",
                                        "orders",
                                        List.of(
                                                loaded("/data/c.csv", 3),
                                                loaded("/data/c.csv", 3))))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("replace the file ledger of team-a/sales stream orders");

        assertThat(store.fileLedger("team-a", "sales")).isEqualTo(before);
    }

    @Test
    void replacingWithNoEntriesEmptiesTheStream() {
        store.replaceFileLedger("team-a", "sales", "orders", List.of(loaded("/data/a.csv", 1)));

        store.replaceFileLedger("team-a", "sales", "orders", List.of());

        assertThat(store.fileLedger("team-a", "sales")).isEmpty();
    }

    @Test
    void aFileOnDiskThatWasNeverLoadedKeepsItsEmptyFields() {
        FileLedgerEntry notLoaded = new FileLedgerEntry("/data/new.csv", 2048, null, 0, null, null);
        FileLedgerEntry loaded = loaded("/data/old.csv", 5);

        store.replaceFileLedger("team-a", "sales", "orders", List.of(notLoaded, loaded));

        assertThat(store.fileLedger("team-a", "sales")).containsExactly(notLoaded, loaded);
    }

    @Test
    void eachSourceSeesOnlyItsOwnFiles() {
        store.replaceFileLedger("team-a", "sales", "orders", List.of(loaded("/data/a.csv", 1)));
        store.replaceFileLedger("team-a", "hr", "people", List.of(loaded("/data/p.csv", 1)));
        store.replaceFileLedger("team-b", "sales", "orders", List.of(loaded("/data/z.csv", 1)));

        assertThat(store.fileLedger("team-a", "sales"))
                .extracting(FileLedgerEntry::path)
                .containsExactly("/data/a.csv");
    }

    @Test
    void theLedgerSurvivesReopen() {
        List<FileLedgerEntry> entries = List.of(loaded("/data/a.csv", 1), loaded("/data/b.csv", 2));
        store.replaceFileLedger("team-a", "sales", "orders", entries);

        reopen();

        assertThat(store.fileLedger("team-a", "sales")).isEqualTo(entries);
    }
}
