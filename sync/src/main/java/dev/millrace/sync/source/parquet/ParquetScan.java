package dev.millrace.sync.source.parquet;

import dev.millrace.sync.destination.duckdb.Sql;
import dev.millrace.sync.source.FileScan;
import dev.millrace.sync.source.csv.CsvScan;
import dev.millrace.sync.source.csv.SourceFile;
import java.util.List;

/**
 * A DuckDB {@code read_parquet} call. Parquet files carry their schema, so nothing is sniffed;
 * files whose schemas differ are lined up by column name.
 */
public record ParquetScan() implements FileScan {

    @Override
    public String tableFunction(List<SourceFile> files, String filenameColumn) {
        return "read_parquet("
                + CsvScan.fileList(files)
                + ", union_by_name = true, filename = "
                + Sql.literal(filenameColumn)
                + ")";
    }
}
