package dev.millrace.crds.anomalyrule;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.millrace.crds.common.*;
import io.fabric8.generator.annotation.*;
import java.util.*;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class AnomalyRuleStatus extends MillraceStatus {
    @JsonPropertyDescription("The most recent evaluation.")
    public Evaluation lastEvaluation;

    @JsonPropertyDescription("Executions flagged by this rule.")
    public Long anomalyCount;

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Evaluation {
        public Long executionId;
        public Double value;
        public Double mean;
        public Double stddev;
        public Double z;
        public Boolean anomalous;
        public Long baselineSize;
        public String evaluatedAt;
    }
}
