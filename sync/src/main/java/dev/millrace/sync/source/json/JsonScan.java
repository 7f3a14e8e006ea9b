package dev.millrace.sync.source.json;

import dev.millrace.sync.destination.duckdb.Sql;
import dev.millrace.sync.source.FileScan;
import dev.millrace.sync.source.csv.CsvScan;
import dev.millrace.sync.source.csv.SourceFile;
import java.util.List;

/**
 * A DuckDB {@code read_json} call with automatic type detection (what {@code read_json_auto} does).
 * Each top-level object is a row; its keys are the columns.
 *
 * @param format {@code auto} (default: DuckDB tells newline-delimited JSON from a top-level array),
 *     {@code newline_delimited} or {@code array}
 */
public record JsonScan(String format) implements FileScan {

    public static final String AUTO = "auto";
    public static final List<String> FORMATS = List.of(AUTO, "newline_delimited", "array");

    public JsonScan {
        format = format == null ? AUTO : format;
    }

    @Override
    public String tableFunction(List<SourceFile> files, String filenameColumn) {
        return "read_json("
                + CsvScan.fileList(files)
                + ", format = "
                + Sql.literal(format)
                + ", union_by_name = true, filename = "
                + Sql.literal(filenameColumn)
                + ")";
    }
}
