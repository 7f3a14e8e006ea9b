package dev.millrace.crds.connector;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.millrace.crds.common.*;
import io.fabric8.generator.annotation.*;
import java.util.*;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class ConnectorStatus extends MillraceStatus {
    @JsonPropertyDescription("The last connection test.")
    public TestResult lastTest;

    @JsonPropertyDescription(
            "Counts from the last metadata refresh; the catalog itself lives in the Millrace"
                    + " store, not in etcd.")
    public MetadataCounts metadata;

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class TestResult {
        public Boolean success;
        public String message;
        public String error;
        public Long durationMs;
        public String testedAt;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class MetadataCounts {
        public Long catalogs;
        public Long schemas;
        public Long tables;
        public String refreshedAt;
    }
}
