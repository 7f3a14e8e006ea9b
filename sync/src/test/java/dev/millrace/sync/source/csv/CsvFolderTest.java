package dev.millrace.sync.source.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvFolderTest {

    @TempDir Path folder;

    @Test
    void listsMatchingVisibleFilesInPathOrderWithSizeAndMtime() throws Exception {
        Files.writeString(folder.resolve("b.csv"), "x\n1\n");
        Files.writeString(folder.resolve("a.csv"), "x\n");
        Files.writeString(folder.resolve(".partial-upload.csv"), "x\n");
        Files.writeString(folder.resolve("notes.txt"), "x\n");
        Files.createDirectories(folder.resolve("sub"));
        Files.writeString(folder.resolve("sub/c.csv"), "x\n");
        Files.createDirectories(folder.resolve("dir.csv"));
        Instant mtime = Instant.parse("2026-03-01T12:00:00.123456Z");
        Files.setLastModifiedTime(folder.resolve("b.csv"), FileTime.from(mtime));

        var files = new CsvFolder(folder, "*.csv").list();

        assertThat(files).extracting(SourceFile::relativePath).containsExactly("a.csv", "b.csv");
        SourceFile b = files.get(1);
        assertThat(b.size()).isEqualTo(4);
        assertThat(b.mtimeMicros()).isEqualTo(mtime.getEpochSecond() * 1_000_000 + 123_456);
        assertThat(b.absolutePath()).isEqualTo(folder.toAbsolutePath().resolve("b.csv"));
    }

    @Test
    void aGlobWithFoldersReachesIntoSubfolders() throws Exception {
        Files.createDirectories(folder.resolve("2026/01"));
        Files.writeString(folder.resolve("2026/01/orders.csv"), "x\n");
        Files.writeString(folder.resolve("top.csv"), "x\n");

        var files = new CsvFolder(folder, "**/*.csv").list();

        assertThat(files)
                .extracting(SourceFile::relativePath)
                .containsExactly("2026/01/orders.csv");
    }

    @Test
    void aMissingFolderIsAnErrorNotAnEmptyList() {
        Path missing = folder.resolve("not-mounted");

        assertThatThrownBy(() -> new CsvFolder(missing, "*.csv").list())
                .isInstanceOf(NoSuchFileException.class)
                .hasMessage(missing + ": source directory does not exist");
    }
}
