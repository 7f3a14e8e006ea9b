package dev.millrace.crds.source;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A declared column of a rest stream. */
public class RestColumn {
    @Required
    @Size(min = 1, max = 256)
    @JsonPropertyDescription("The record's field, also the column's name.")
    public String name;

    @Required
    @Pattern(
            "^(?i)(boolean|bigint|integer|double|varchar|string|text|date|timestamp|timestamptz|json|decimal\\(\\d{1,2},\\s*\\d{1,2}\\))$")
    @JsonPropertyDescription(
            "boolean, bigint, double, decimal(p,s), varchar, date, timestamp, timestamptz"
                    + " (ISO-8601 text or unix seconds) or json.")
    public String type;
}
