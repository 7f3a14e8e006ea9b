package dev.millrace.sync.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The plan's JSON form, shared by the operator (which writes it into the Job) and the sync engine
 * (which reads it back): reading validates and explains which field is wrong.
 */
public final class PlanJson {

    // Unknown fields are ignored so that an operator newer than this engine can add fields.
    private static final ObjectMapper MAPPER =
            JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    private PlanJson() {}

    public static SyncPlan read(String json) {
        if (json == null || json.isBlank()) {
            throw new InvalidPlanException(
                    List.of("plan: empty; pass --plan or set MILLRACE_SYNC_PLAN"));
        }
        SyncPlan plan;
        try {
            plan = MAPPER.readValue(json, SyncPlan.class);
        } catch (JsonMappingException e) {
            throw new InvalidPlanException(List.of(describe(e)));
        } catch (JsonProcessingException e) {
            throw new InvalidPlanException(
                    List.of("plan: not valid JSON: " + e.getOriginalMessage()));
        }
        if (plan == null) {
            throw new InvalidPlanException(List.of("plan: must be a JSON object"));
        }
        PlanValidator.check(plan);
        return plan;
    }

    /**
     * The source of a plan for discovery, which needs no streams or destination; only a jdbc source
     * can be discovered.
     */
    public static SourcePlan readSource(String json) {
        if (json == null || json.isBlank()) {
            throw new InvalidPlanException(
                    List.of("plan: empty; pass --plan or set MILLRACE_SYNC_PLAN"));
        }
        SourcePlan source;
        try {
            source = MAPPER.treeToValue(MAPPER.readTree(json).path("source"), SourcePlan.class);
        } catch (JsonMappingException e) {
            throw new InvalidPlanException(List.of(describe(e)));
        } catch (JsonProcessingException e) {
            throw new InvalidPlanException(
                    List.of("plan: not valid JSON: " + e.getOriginalMessage()));
        }
        if (source == null || !(SourcePlan.JDBC.equals(source.type()) || source.isRestSource())) {
            throw new InvalidPlanException(
                    List.of("source.type: discovery needs a jdbc, rest or stripe source"));
        }
        List<String> problems = PlanValidator.sourceProblems(source);
        if (!problems.isEmpty()) {
            throw new InvalidPlanException(problems);
        }
        return source;
    }

    /**
     * The streams a discovery plan names, checked as far as discovery needs (a rest stream's
     * endpoint); none is fine for a stripe source, which then describes every known list.
     */
    public static List<StreamPlan> readDiscoveryStreams(String json, SourcePlan source) {
        List<StreamPlan> streams;
        try {
            JsonNode node = MAPPER.readTree(json).path("streams");
            streams =
                    node.isArray()
                            ? List.of(MAPPER.treeToValue(node, StreamPlan[].class))
                            : List.of();
        } catch (JsonMappingException e) {
            throw new InvalidPlanException(List.of(describe(e)));
        } catch (JsonProcessingException e) {
            throw new InvalidPlanException(
                    List.of("plan: not valid JSON: " + e.getOriginalMessage()));
        }
        if (source.isRestSource()) {
            List<String> problems = new java.util.ArrayList<>();
            RestPlanRules.checkStreams(problems, source, streams);
            if (SourcePlan.REST.equals(source.type()) && streams.isEmpty()) {
                problems.add("streams: a rest source is discovered per declared stream");
            }
            if (!problems.isEmpty()) {
                throw new InvalidPlanException(problems);
            }
        }
        return streams;
    }

    /** The plan as the Job receives it; null fields are written as null, as the operator's are. */
    public static String write(SyncPlan plan) {
        try {
            return MAPPER.writeValueAsString(plan);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("plan cannot be written as JSON", e);
        }
    }

    /**
     * The job id of a plan that may be invalid, so that even an invalid-plan result names its job;
     * null when there is none to find.
     */
    public static Long jobIdOf(String json) {
        if (json == null) {
            return null;
        }
        try {
            JsonNode jobId = MAPPER.readTree(json).path("jobId");
            return jobId.canConvertToLong() && jobId.isIntegralNumber() ? jobId.longValue() : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static String describe(JsonMappingException e) {
        String field = fieldPath(e.getPath());
        if (e instanceof InvalidFormatException invalid && invalid.getTargetType().isEnum()) {
            String expected =
                    Arrays.stream(invalid.getTargetType().getEnumConstants())
                            .map(PlanJson::wireName)
                            .collect(Collectors.joining(", "));
            return field
                    + ": unsupported value \""
                    + invalid.getValue()
                    + "\" (expected one of "
                    + expected
                    + ")";
        }
        return field + ": " + e.getOriginalMessage();
    }

    private static String wireName(Object enumConstant) {
        return enumConstant instanceof SyncMode mode ? mode.wireName() : enumConstant.toString();
    }

    private static String fieldPath(List<JsonMappingException.Reference> path) {
        StringBuilder field = new StringBuilder();
        for (JsonMappingException.Reference reference : path) {
            if (reference.getFieldName() != null) {
                if (field.length() > 0) {
                    field.append('.');
                }
                field.append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                field.append('[').append(reference.getIndex()).append(']');
            }
        }
        return field.length() == 0 ? "plan" : field.toString();
    }
}
