package dev.millrace.crds.anomalyrule;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.millrace.crds.common.*;
import io.fabric8.generator.annotation.*;
import java.util.*;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class AnomalyRuleSpec {
    public enum Metric {
        @JsonProperty("total_rows")
        TOTAL_ROWS,
        @JsonProperty("inserts")
        INSERTS,
        @JsonProperty("updates")
        UPDATES,
        @JsonProperty("soft_deletes")
        SOFT_DELETES,
        @JsonProperty("duration_seconds")
        DURATION_SECONDS,
        @JsonProperty("throughput")
        THROUGHPUT
    }

    @Required
    @JsonPropertyDescription("The Pipeline whose executions are evaluated.")
    public ObjectRef pipelineRef;

    @Required
    @JsonPropertyDescription(
            "total_rows, inserts, updates, soft_deletes, duration_seconds or throughput.")
    public Metric metricField;

    @Min(1)
    @Max(10)
    @Default("3")
    @JsonPropertyDescription("How many standard deviations from the mean count as an anomaly.")
    public Double zThreshold = 3.0;

    @Min(1)
    @Max(365)
    @Default("30")
    @JsonPropertyDescription("Days of history in the baseline.")
    public Integer lookbackDays = 30;

    @Min(5)
    @Max(1000)
    @Default("30")
    @JsonPropertyDescription("Baseline executions needed before the rule evaluates.")
    public Integer minimumExecutions = 30;

    @Default("true")
    @JsonPropertyDescription("Inactive rules are not evaluated.")
    public Boolean active = true;
}
