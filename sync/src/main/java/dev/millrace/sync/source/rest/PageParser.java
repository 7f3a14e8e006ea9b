package dev.millrace.sync.source.rest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.millrace.sync.result.SyncFailure;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Reads one page of an API response with Jackson's streaming parser: each record of the records
 * array is handed on as soon as it is parsed, so no more than one record is ever held as a tree,
 * and the few scalar fields paging needs ({@code has_more}, a next cursor) are picked up wherever
 * in the document they appear (Stripe sends {@code has_more} after {@code data}).
 */
final class PageParser {

    /** Receives the records of a page, one at a time. */
    interface RecordHandler {
        void record(JsonNode record) throws Exception;
    }

    /**
     * What a page said besides its records.
     *
     * @param found whether the records array was there
     * @param records how many records it held
     * @param values the values at the requested pointers that the page had
     */
    record Page(boolean found, long records, Map<String, JsonNode> values) {}

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private final String recordsPointer;
    private final Set<String> valuePointers;

    /**
     * @param recordsPointer JSON pointer to the records array; "" or "/" for a top-level array
     * @param valuePointers JSON pointers of the values paging needs
     */
    PageParser(String recordsPointer, Set<String> valuePointers) {
        this.recordsPointer =
                recordsPointer == null || recordsPointer.equals("/") ? "" : recordsPointer;
        this.valuePointers = valuePointers;
    }

    Page parse(InputStream body, RecordHandler handler) throws Exception {
        try (JsonParser parser = JSON.getFactory().createParser(body)) {
            State state = new State(handler);
            if (parser.nextToken() == null) {
                throw new SyncFailure("the page is empty, not JSON");
            }
            walk(parser, "", state);
            return new Page(state.found, state.records, state.values);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new SyncFailure("the page is not valid JSON: " + e.getOriginalMessage());
        }
    }

    private static final class State {
        final RecordHandler handler;
        final Map<String, JsonNode> values = new HashMap<>();
        boolean found;
        long records;

        State(RecordHandler handler) {
            this.handler = handler;
        }
    }

    /** Walks the value the parser stands on, whose pointer is {@code pointer}. */
    private void walk(JsonParser parser, String pointer, State state) throws Exception {
        JsonToken token = parser.currentToken();
        if (pointer.equals(recordsPointer)) {
            if (token == JsonToken.VALUE_NULL) {
                state.found = true;
                return;
            }
            if (token != JsonToken.START_ARRAY) {
                throw new SyncFailure(
                        "the value at "
                                + (pointer.isEmpty() ? "the top level" : pointer)
                                + " is not an array of records");
            }
            state.found = true;
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                JsonNode record = parser.readValueAsTree();
                if (!record.isObject()) {
                    throw new SyncFailure(
                            "the records at "
                                    + (pointer.isEmpty() ? "the top level" : pointer)
                                    + " are not JSON objects");
                }
                state.records++;
                state.handler.record(record);
            }
            return;
        }
        if (valuePointers.contains(pointer)) {
            state.values.put(pointer, parser.readValueAsTree());
            return;
        }
        if (!leadsSomewhere(pointer)) {
            parser.skipChildren();
            return;
        }
        if (token == JsonToken.START_OBJECT) {
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                walk(parser, pointer + "/" + escape(name), state);
            }
        } else if (token == JsonToken.START_ARRAY) {
            int index = 0;
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                walk(parser, pointer + "/" + index++, state);
            }
        }
    }

    private boolean leadsSomewhere(String pointer) {
        String prefix = pointer + "/";
        if (recordsPointer.startsWith(prefix) || pointer.isEmpty() && !recordsPointer.isEmpty()) {
            return true;
        }
        for (String wanted : valuePointers) {
            if (wanted.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    private static String escape(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }

    /** Reads a JSON document whole; for the small bodies of errors and tests. */
    static JsonNode tree(String json) throws IOException {
        return JSON.readTree(json);
    }
}
