package dev.millrace.sync.source.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millrace.sync.plan.RestStreamPlan;
import dev.millrace.sync.plan.SourcePlan;
import dev.millrace.sync.plan.StreamPlan;
import dev.millrace.sync.source.rest.RecordValues.ColumnType;
import dev.millrace.sync.source.rest.RecordValues.Kind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An API's streams as their first page shows them: columns typed the way a sync would land them
 * (declared ones as declared), the primary key, and the columns fit to be a cursor (numbers, dates
 * and timestamps). Discovery reads one page per stream and writes nothing.
 */
public final class RestCatalog {

    private RestCatalog() {}

    /**
     * @param streams the streams to describe; for a stripe source with none, every known Stripe
     *     list
     */
    public static ObjectNode discover(SourcePlan source, List<StreamPlan> streams, RestHttp http) {
        List<StreamPlan> described = new ArrayList<>(streams);
        if (described.isEmpty() && SourcePlan.STRIPE.equals(source.type())) {
            for (String name : StripePreset.streamNames()) {
                described.add(
                        StreamPlan.rest(
                                name,
                                null,
                                StripePreset.CURSOR_FIELD,
                                List.of(StripePreset.PRIMARY_KEY),
                                null));
            }
        }
        ObjectNode catalog = JsonNodeFactory.instance.objectNode();
        ArrayNode out = catalog.putArray("streams");
        for (StreamPlan stream : described) {
            out.add(describe(source, stream, http));
        }
        return catalog;
    }

    private static ObjectNode describe(SourcePlan source, StreamPlan stream, RestHttp http) {
        RestStreamPlan endpoint = RestRead.endpoint(source, stream);
        Map<String, ColumnType> columns = new LinkedHashMap<>();
        Map<String, String> lowerToName = new LinkedHashMap<>();
        boolean declared = endpoint.columns() != null;
        if (declared) {
            for (RestStreamPlan.RestColumn column : endpoint.columns()) {
                columns.put(
                        column.name(), RecordValues.kindOfDeclared(column.type()).orElseThrow());
            }
        }
        Pages pages = new Pages(http, RestRead.baseUrl(source), endpoint, null);
        long sampled =
                pages.walk(
                        record -> {
                            if (declared) {
                                return;
                            }
                            record.fields()
                                    .forEachRemaining(
                                            field -> {
                                                JsonNode value = field.getValue();
                                                if (value.isNull()) {
                                                    return;
                                                }
                                                String name =
                                                        lowerToName.computeIfAbsent(
                                                                field.getKey()
                                                                        .toLowerCase(Locale.ROOT),
                                                                lower -> field.getKey());
                                                Kind kind = RecordValues.inferred(value);
                                                ColumnType current = columns.get(name);
                                                columns.put(
                                                        name,
                                                        ColumnType.of(
                                                                current == null
                                                                        ? kind
                                                                        : RecordValues.widened(
                                                                                current.kind(),
                                                                                kind)));
                                            });
                        },
                        1);

        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("name", stream.name());
        node.put("path", endpoint.path());
        node.put("schema", declared ? "declared" : "discovered");
        node.put("sampledRecords", sampled);
        ArrayNode columnNodes = node.putArray("columns");
        List<String> cursorCandidates = new ArrayList<>();
        columns.forEach(
                (name, type) -> {
                    ObjectNode column = columnNodes.addObject();
                    column.put("name", name);
                    column.put("type", type.duckDbType());
                    if (type.kind().isCursorCandidate()) {
                        cursorCandidates.add(name);
                    }
                });
        ArrayNode primaryKey = node.putArray("primaryKey");
        if (!stream.primaryKey().isEmpty()) {
            stream.primaryKey().forEach(primaryKey::add);
        } else if (columns.containsKey("id")) {
            primaryKey.add("id");
        }
        ArrayNode cursors = node.putArray("cursorCandidates");
        if (stream.cursorField() != null && cursorCandidates.remove(stream.cursorField())) {
            cursors.add(stream.cursorField());
        }
        cursorCandidates.forEach(cursors::add);
        if (stream.cursorField() != null) {
            node.put("cursorField", stream.cursorField());
        }
        return node;
    }
}
