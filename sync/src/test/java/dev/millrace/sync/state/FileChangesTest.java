package dev.millrace.sync.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.sync.source.csv.SourceFile;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class FileChangesTest {

    private static SourceFile file(String path, long size, long mtime) {
        return new SourceFile(path, Path.of("/data", path), size, mtime);
    }

    @Test
    void classifiesFilesByPathSizeAndMtime() {
        List<SourceFile> current =
                List.of(
                        file("same.csv", 10, 100),
                        file("grown.csv", 20, 100),
                        file("touched.csv", 10, 200),
                        file("new.csv", 5, 300));
        List<LedgerEntry> ledger =
                List.of(
                        new LedgerEntry("same.csv", 10, 100, 1),
                        new LedgerEntry("grown.csv", 10, 100, 1),
                        new LedgerEntry("touched.csv", 10, 100, 1),
                        new LedgerEntry("gone.csv", 10, 100, 1));

        FileChanges changes = FileChanges.between(current, ledger);

        assertThat(changes.added()).extracting(SourceFile::relativePath).containsExactly("new.csv");
        assertThat(changes.changed())
                .extracting(SourceFile::relativePath)
                .containsExactly("grown.csv", "touched.csv");
        assertThat(changes.unchanged())
                .extracting(SourceFile::relativePath)
                .containsExactly("same.csv");
        assertThat(changes.removed()).extracting(LedgerEntry::path).containsExactly("gone.csv");
        assertThat(changes.toLoad())
                .extracting(SourceFile::relativePath)
                .containsExactly("grown.csv", "new.csv", "touched.csv");
        assertThat(changes.outdatedPaths()).containsExactly("grown.csv", "touched.csv", "gone.csv");
        assertThat(changes.summary()).isEqualTo("1 new, 2 changed, 1 unchanged, 1 removed");
    }

    @Test
    void withAnEmptyLedgerEveryFileIsNew() {
        FileChanges changes = FileChanges.between(List.of(file("a.csv", 1, 1)), List.of());

        assertThat(changes.toLoad()).hasSize(1);
        assertThat(changes.outdatedPaths()).isEmpty();
    }
}
