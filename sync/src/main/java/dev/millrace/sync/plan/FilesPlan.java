package dev.millrace.sync.plan;

/**
 * Where a file source finds its files and how DuckDB should parse them.
 *
 * @param directory the folder holding the files; relative paths resolve against the data root
 * @param glob which files in the folder belong to the source (default {@code *.csv})
 * @param delimiter the field separator; absent means DuckDB's sniffer decides
 * @param header whether the first line names the columns (default true)
 */
public record FilesPlan(String directory, String glob, String delimiter, Boolean header) {

    public static final String DEFAULT_GLOB = "*.csv";

    public FilesPlan {
        glob = glob == null ? DEFAULT_GLOB : glob;
        header = header == null ? Boolean.TRUE : header;
    }
}
