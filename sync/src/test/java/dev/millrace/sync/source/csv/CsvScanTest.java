package dev.millrace.sync.source.csv;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvScanTest {

    @Test
    void pathsAndDelimiterAreQuotedAsStringLiterals() {
        SourceFile file = new SourceFile("it's.csv", Path.of("/data/it's.csv"), 1, 1);

        String call = new CsvScan(true, "'").tableFunction(List.of(file), "_src");

        assertThat(call)
                .isEqualTo(
                        "read_csv(['/data/it''s.csv'], union_by_name = true, filename = '_src',"
                                + " header = true, skip = 0, delim = '''')");
    }

    @Test
    void withoutADelimiterDuckDbSniffsIt() {
        SourceFile file = new SourceFile("a.csv", Path.of("/data/a.csv"), 1, 1);

        assertThat(new CsvScan(false, null).tableFunction(List.of(file), "_src"))
                .doesNotContain("delim")
                .contains("header = false");
    }
}
