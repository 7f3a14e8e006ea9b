package dev.millrace.sync.plan;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Where a file source finds its files and how DuckDB should parse them.
 *
 * @param directory the folder holding the files; relative paths resolve against the data root
 * @param glob which files in the folder belong to the source (default by source type: {@code
 *     *.csv}, {@code *.parquet}, {@code *.{json,jsonl,ndjson}})
 * @param delimiter CSV only: the field separator; absent means DuckDB's sniffer decides
 * @param header CSV only: whether the first line names the columns (default true)
 * @param format JSON only: {@code auto} (default), {@code newline_delimited} or {@code array}
 */
public record FilesPlan(
        String directory,
        String glob,
        String delimiter,
        Boolean header,
        @JsonInclude(JsonInclude.Include.NON_NULL) String format) {

    public static final String DEFAULT_GLOB = "*.csv";

    public FilesPlan {
        header = header == null ? Boolean.TRUE : header;
    }

    /** A CSV folder. */
    public FilesPlan(String directory, String glob, String delimiter, Boolean header) {
        this(directory, glob, delimiter, header, null);
    }

    /** The default glob of a source type, used when the plan names none. */
    public static String defaultGlob(String sourceType) {
        if (SourcePlan.PARQUET.equals(sourceType)) {
            return "*.parquet";
        }
        if (SourcePlan.JSON.equals(sourceType)) {
            return "*.{json,jsonl,ndjson}";
        }
        return DEFAULT_GLOB;
    }

    FilesPlan withGlob(String newGlob) {
        return new FilesPlan(directory, newGlob, delimiter, header, format);
    }
}
