package dev.millrace.crds.source;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A folder of files read by DuckDB's own readers. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class FileSource {
    @Required
    @Size(min = 1, max = 1024)
    @Pattern("^[^\\x00]*$")
    @JsonPropertyDescription(
            "Folder to read. A relative path is resolved against the data root (the uploads"
                    + " volume; ./.millrace/files in local mode).")
    public String directory;

    @Default("\"*.csv\"")
    @Size(min = 1, max = 256)
    @JsonPropertyDescription(
            "Glob of the files to read inside the folder. For parquet and json sources the default"
                    + " *.csv stands for the type's own: *.parquet, *.{json,jsonl,ndjson}.")
    public String glob = "*.csv";

    @Size(min = 1, max = 1)
    @JsonPropertyDescription("CSV delimiter; sniffed by DuckDB when unset.")
    public String delimiter;

    @Default("true")
    @JsonPropertyDescription("Whether CSV files start with a header row.")
    public Boolean header = true;

    @JsonPropertyDescription(
            "JSON layout: auto (DuckDB tells newline-delimited JSON from a top-level array),"
                    + " newline_delimited or array. JSON sources only.")
    public JsonFormat format;

    /** How the objects of a JSON file are laid out. */
    public enum JsonFormat {
        @JsonProperty("auto")
        AUTO,
        @JsonProperty("newline_delimited")
        NEWLINE_DELIMITED,
        @JsonProperty("array")
        ARRAY;

        /** The name the sync plan and DuckDB's read_json use. */
        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
