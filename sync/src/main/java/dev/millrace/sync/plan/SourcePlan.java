package dev.millrace.sync.plan;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The source side of a sync.
 *
 * @param name the Source resource's name, for logs
 * @param type the source type: {@code csv}, {@code parquet}, {@code json} or {@code jdbc}
 * @param files the folder settings of a file source
 * @param jdbc the database of a {@code jdbc} source
 * @param rest the HTTP API of a {@code rest} or {@code stripe} source
 */
public record SourcePlan(
        String name,
        String type,
        FilesPlan files,
        @JsonInclude(JsonInclude.Include.NON_NULL) JdbcPlan jdbc,
        @JsonInclude(JsonInclude.Include.NON_NULL) RestPlan rest) {

    public static final String CSV = "csv";
    public static final String PARQUET = "parquet";
    public static final String JSON = "json";
    public static final String JDBC = "jdbc";
    public static final String REST = "rest";
    public static final String STRIPE = "stripe";

    /** The file formats DuckDB reads itself. */
    public static final List<String> FILE_TYPES = List.of(CSV, PARQUET, JSON);

    public SourcePlan {
        if (files != null && files.glob() == null) {
            files = files.withGlob(FilesPlan.defaultGlob(type));
        }
    }

    /** A file source. */
    public SourcePlan(String name, String type, FilesPlan files) {
        this(name, type, files, null, null);
    }

    /** A file or jdbc source. */
    public SourcePlan(String name, String type, FilesPlan files, JdbcPlan jdbc) {
        this(name, type, files, jdbc, null);
    }

    /** An HTTP API source ({@code rest} or {@code stripe}). */
    public static SourcePlan rest(String name, String type, RestPlan rest) {
        return new SourcePlan(name, type, null, null, rest);
    }

    @JsonIgnore
    public boolean isRestSource() {
        return REST.equals(type) || STRIPE.equals(type);
    }

    @JsonIgnore
    public boolean isFileSource() {
        return FILE_TYPES.contains(type);
    }
}
