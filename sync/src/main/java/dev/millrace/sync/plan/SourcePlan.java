package dev.millrace.sync.plan;

/**
 * The source side of a sync.
 *
 * @param name the Source resource's name, for logs
 * @param type the source type; this engine reads {@code csv}
 * @param files the folder settings of a file source
 */
public record SourcePlan(String name, String type, FilesPlan files) {

    public static final String CSV = "csv";
}
