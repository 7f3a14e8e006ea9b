package dev.millrace.sync.source.csv;

import dev.millrace.sync.destination.duckdb.Sql;
import dev.millrace.sync.source.FileScan;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A DuckDB {@code read_csv} call over a list of files. DuckDB parses the files itself, in parallel
 * and spilling to disk under its memory limit; no row passes through Java.
 *
 * @param header whether the first line of each file names its columns
 * @param delimiter the field separator, or null to let DuckDB's sniffer pick one per file
 */
public record CsvScan(boolean header, String delimiter) implements FileScan {

    /**
     * The table function call. {@code union_by_name} lines columns up by header name, so files that
     * gained or lost a column load together; {@code filenameColumn} tells each row's file. Parse
     * errors (a row with the wrong number of fields, a value that does not fit the sniffed type)
     * fail the statement, which fails the sync.
     */
    @Override
    public String tableFunction(List<SourceFile> files, String filenameColumn) {
        String fileList = fileList(files);
        StringBuilder call =
                new StringBuilder("read_csv(")
                        .append(fileList)
                        .append(", union_by_name = true")
                        .append(", filename = ")
                        .append(Sql.literal(filenameColumn))
                        .append(", header = ")
                        .append(header)
                        // Left to itself, the sniffer may skip leading lines until the rest looks
                        // consistent, silently dropping the header and rows above a malformed row.
                        .append(", skip = 0");
        if (delimiter != null) {
            call.append(", delim = ").append(Sql.literal(delimiter));
        }
        return call.append(')').toString();
    }

    /** The files as a DuckDB list literal of absolute paths, for any of DuckDB's file readers. */
    public static String fileList(List<SourceFile> files) {
        if (files.isEmpty()) {
            throw new IllegalArgumentException("a file scan needs at least one file");
        }
        return files.stream()
                .map(file -> Sql.literal(file.absolutePath().toString()))
                .collect(Collectors.joining(", ", "[", "]"));
    }
}
