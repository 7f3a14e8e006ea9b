package dev.millrace.sync.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millrace.sync.plan.InvalidPlanException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What one model run builds: the operator renders the model's {@code ref()}s to schema-qualified
 * names and writes this into the Job; the Job reads it back. No secrets: a DuckDB destination is a
 * file.
 *
 * @param jobId the store's job id of the run
 * @param model the relation's name (the Model's metadata.name with - as _)
 * @param destination the Destination's name, for messages
 * @param databasePath the DuckDB file; a relative path resolves against the warehouse root
 * @param schema the schema the relation is created in
 * @param materialization {@code view} or {@code table}
 * @param sql the model's SELECT with every {@code ref()} already rendered
 */
public record ModelPlan(
        long jobId,
        String model,
        String destination,
        String databasePath,
        String schema,
        String materialization,
        String sql) {

    public static final String VIEW = "view";
    public static final String TABLE = "table";

    /** The names the CRD allows for schemas; the engine checks again rather than trust input. */
    private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private static final ObjectMapper MAPPER = new ObjectMapper();

    public String toJson() {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("jobId", jobId);
        node.put("model", model);
        node.put("destination", destination);
        node.put("databasePath", databasePath);
        node.put("schema", schema);
        node.put("materialization", materialization);
        node.put("sql", sql);
        return node.toString();
    }

    /**
     * @throws InvalidPlanException naming every missing or wrong field
     */
    public static ModelPlan read(String json) {
        if (json == null || json.isBlank()) {
            throw new InvalidPlanException(
                    List.of("plan: empty; pass --plan or set " + ModelRunMain.PLAN));
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(json);
        } catch (Exception e) {
            throw new InvalidPlanException(List.of("plan: not valid JSON"));
        }
        List<String> problems = new ArrayList<>();
        if (!node.path("jobId").canConvertToLong()) {
            problems.add("jobId: required integer");
        }
        for (String field : List.of("model", "databasePath", "schema", "sql")) {
            if (!node.path(field).isTextual() || node.path(field).asText().isBlank()) {
                problems.add(field + ": required");
            }
        }
        String materialization = node.path("materialization").asText("");
        if (!materialization.equals(VIEW) && !materialization.equals(TABLE)) {
            problems.add("materialization: must be view or table");
        }
        if (node.path("schema").isTextual()
                && !SCHEMA.matcher(node.path("schema").asText()).matches()) {
            problems.add("schema: must match " + SCHEMA.pattern());
        }
        if (!problems.isEmpty()) {
            throw new InvalidPlanException(problems);
        }
        return new ModelPlan(
                node.path("jobId").asLong(),
                node.path("model").asText(),
                node.path("destination").asText(null),
                node.path("databasePath").asText(),
                node.path("schema").asText(),
                materialization,
                node.path("sql").asText());
    }

    /** The job id of a plan that may not parse, for the failure result. */
    static long jobIdOf(String json) {
        try {
            return MAPPER.readTree(json).path("jobId").asLong(0);
        } catch (Exception e) {
            return 0;
        }
    }
}
