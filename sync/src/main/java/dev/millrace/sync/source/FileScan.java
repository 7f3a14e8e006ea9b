package dev.millrace.sync.source;

import dev.millrace.sync.plan.FilesPlan;
import dev.millrace.sync.plan.SourcePlan;
import dev.millrace.sync.source.csv.CsvScan;
import dev.millrace.sync.source.csv.SourceFile;
import dev.millrace.sync.source.json.JsonScan;
import dev.millrace.sync.source.parquet.ParquetScan;
import java.util.List;

/**
 * A DuckDB table function that reads a list of files of one format. DuckDB parses the files itself;
 * no row passes through Java. Every implementation lines columns up by name across files and fills
 * {@code filenameColumn} with each row's file as DuckDB was given it.
 */
public interface FileScan {

    /** The table function call over {@code files}, which must not be empty. */
    String tableFunction(List<SourceFile> files, String filenameColumn);

    /** The scan a file source's plan asks for. */
    static FileScan of(SourcePlan source) {
        FilesPlan files = source.files();
        return switch (source.type()) {
            case SourcePlan.CSV -> new CsvScan(files.header(), files.delimiter());
            case SourcePlan.PARQUET -> new ParquetScan();
            case SourcePlan.JSON -> new JsonScan(files.format());
            default ->
                    throw new IllegalArgumentException(
                            "source type " + source.type() + " is not a file source");
        };
    }
}
