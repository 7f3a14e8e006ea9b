package dev.millrace.sync.state;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What a stream remembers between runs besides the file ledger; stored as JSON in {@code
 * _millrace.stream_state}.
 *
 * @param cursorField the column the cursor was taken from; a cursor saved for another field is
 *     ignored
 * @param cursor the largest cursor value landed, as text
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StreamState(String cursorField, String cursor) {

    public static final StreamState EMPTY = new StreamState(null, null);

    /** The saved cursor if it belongs to {@code field}, else null. */
    public String cursorFor(String field) {
        return field != null && field.equals(cursorField) ? cursor : null;
    }
}
