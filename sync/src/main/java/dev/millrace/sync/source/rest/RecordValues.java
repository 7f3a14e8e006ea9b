package dev.millrace.sync.source.rest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millrace.sync.result.SyncFailure;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.duckdb.DuckDBAppender;

/**
 * How JSON values of API records become DuckDB values: the types a column can be declared as, the
 * type a discovered column gets from the values it has seen, and the conversion of one value.
 */
public final class RecordValues {

    private static final Pattern DECIMAL =
            Pattern.compile("decimal\\((\\d{1,2}),\\s*(\\d{1,2})\\)");

    private RecordValues() {}

    /** The kinds of value a landed column holds. */
    public enum Kind {
        BOOLEAN,
        BIGINT,
        DOUBLE,
        DECIMAL,
        VARCHAR,
        DATE,
        TIMESTAMP,
        TIMESTAMPTZ,
        JSON;

        /** Kinds that usually only grow for new records, offered as cursors by discovery. */
        public boolean isCursorCandidate() {
            return this == BIGINT
                    || this == DOUBLE
                    || this == DECIMAL
                    || this == DATE
                    || this == TIMESTAMP
                    || this == TIMESTAMPTZ;
        }
    }

    /**
     * A column's type.
     *
     * @param duckDbType the DuckDB type it lands as
     */
    public record ColumnType(Kind kind, String duckDbType, int scale) {
        public static ColumnType of(Kind kind) {
            return switch (kind) {
                case TIMESTAMPTZ -> new ColumnType(kind, "TIMESTAMP WITH TIME ZONE", 0);
                case DECIMAL -> new ColumnType(kind, "DECIMAL(38,9)", 9);
                default -> new ColumnType(kind, kind.name(), 0);
            };
        }
    }

    /** The type a declared column's {@code type} names, if it is one this source supports. */
    public static Optional<ColumnType> kindOfDeclared(String type) {
        String name = type.trim().toLowerCase(Locale.ROOT);
        Matcher decimal = DECIMAL.matcher(name);
        if (decimal.matches()) {
            int precision = Integer.parseInt(decimal.group(1));
            int scale = Integer.parseInt(decimal.group(2));
            if (precision < 1 || precision > 38 || scale > precision) {
                return Optional.empty();
            }
            return Optional.of(
                    new ColumnType(
                            Kind.DECIMAL, "DECIMAL(" + precision + "," + scale + ")", scale));
        }
        return switch (name) {
            case "boolean" -> Optional.of(ColumnType.of(Kind.BOOLEAN));
            case "bigint", "integer" -> Optional.of(ColumnType.of(Kind.BIGINT));
            case "double" -> Optional.of(ColumnType.of(Kind.DOUBLE));
            case "varchar", "string", "text" -> Optional.of(ColumnType.of(Kind.VARCHAR));
            case "date" -> Optional.of(ColumnType.of(Kind.DATE));
            case "timestamp" -> Optional.of(ColumnType.of(Kind.TIMESTAMP));
            case "timestamptz" -> Optional.of(ColumnType.of(Kind.TIMESTAMPTZ));
            case "json" -> Optional.of(ColumnType.of(Kind.JSON));
            default -> Optional.empty();
        };
    }

    /**
     * The kind a discovered column takes from a non-null value. Strings stay text (no date
     * sniffing: a string that looks like a date on one page need not on the next), numbers too
     * large for BIGINT become text rather than lose digits, objects and arrays become JSON.
     */
    public static Kind inferred(JsonNode value) {
        if (value.isContainerNode()) {
            return Kind.JSON;
        }
        if (value.isBoolean()) {
            return Kind.BOOLEAN;
        }
        if (value.isIntegralNumber()) {
            return value.canConvertToLong() ? Kind.BIGINT : Kind.VARCHAR;
        }
        if (value.isNumber()) {
            return Kind.DOUBLE;
        }
        return Kind.VARCHAR;
    }

    /** The narrowest discovered kind holding values of both kinds. */
    public static Kind widened(Kind current, Kind incoming) {
        if (current == incoming) {
            return current;
        }
        if (current == Kind.JSON || incoming == Kind.JSON) {
            return Kind.JSON;
        }
        if ((current == Kind.BIGINT && incoming == Kind.DOUBLE)
                || (current == Kind.DOUBLE && incoming == Kind.BIGINT)) {
            return Kind.DOUBLE;
        }
        return Kind.VARCHAR;
    }

    /** Appends one value (a missing field or JSON null as NULL), converted to the column's type. */
    public static void append(DuckDBAppender appender, ColumnType type, JsonNode value)
            throws SQLException {
        if (value == null || value.isNull() || value.isMissingNode()) {
            appender.appendNull();
            return;
        }
        switch (type.kind()) {
            case BOOLEAN -> appender.append(toBoolean(value));
            case BIGINT -> appender.append(toLong(value));
            case DOUBLE -> appender.append(toDouble(value));
            case DECIMAL -> appender.append(toDecimal(value, type.scale()));
            case VARCHAR ->
                    appender.append(value.isTextual() ? value.textValue() : value.toString());
            case DATE -> appender.append(toDate(value));
            case TIMESTAMP ->
                    appender.append(toInstant(value).atOffset(ZoneOffset.UTC).toLocalDateTime());
            case TIMESTAMPTZ -> appender.append(toInstant(value).atOffset(ZoneOffset.UTC));
            case JSON -> appender.append(value.toString());
        }
    }

    private static boolean toBoolean(JsonNode value) {
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (value.isTextual()) {
            String text = value.textValue().trim().toLowerCase(Locale.ROOT);
            if (text.equals("true") || text.equals("false")) {
                return Boolean.parseBoolean(text);
            }
        }
        throw mismatch(value, "boolean");
    }

    private static long toLong(JsonNode value) {
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            return value.longValue();
        }
        if (value.isTextual()) {
            try {
                return Long.parseLong(value.textValue().trim());
            } catch (NumberFormatException e) {
                throw mismatch(value, "bigint");
            }
        }
        throw mismatch(value, "bigint");
    }

    private static double toDouble(JsonNode value) {
        if (value.isNumber()) {
            return value.doubleValue();
        }
        if (value.isTextual()) {
            try {
                return Double.parseDouble(value.textValue().trim());
            } catch (NumberFormatException e) {
                throw mismatch(value, "double");
            }
        }
        throw mismatch(value, "double");
    }

    private static BigDecimal toDecimal(JsonNode value, int scale) {
        BigDecimal decimal;
        if (value.isNumber()) {
            decimal = value.decimalValue();
        } else if (value.isTextual()) {
            try {
                decimal = new BigDecimal(value.textValue().trim());
            } catch (NumberFormatException e) {
                throw mismatch(value, "decimal");
            }
        } else {
            throw mismatch(value, "decimal");
        }
        try {
            return decimal.setScale(scale, RoundingMode.UNNECESSARY);
        } catch (ArithmeticException e) {
            throw mismatch(value, "decimal with scale " + scale + " (it would be rounded)");
        }
    }

    private static LocalDate toDate(JsonNode value) {
        if (value.isTextual()) {
            try {
                return LocalDate.parse(value.textValue().trim());
            } catch (DateTimeParseException e) {
                throw mismatch(value, "date (yyyy-MM-dd)");
            }
        }
        throw mismatch(value, "date (yyyy-MM-dd)");
    }

    /**
     * A point in time from ISO-8601 text (with an offset, or UTC without one) or a number of unix
     * seconds, which is how Stripe and many other APIs send timestamps.
     */
    private static Instant toInstant(JsonNode value) {
        // Whole seconds, as Stripe sends them, without a BigDecimal per value.
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            return Instant.ofEpochSecond(value.longValue());
        }
        if (value.isNumber()) {
            BigDecimal seconds = value.decimalValue();
            return Instant.ofEpochSecond(
                    seconds.longValue(),
                    seconds.remainder(BigDecimal.ONE).movePointRight(9).intValue());
        }
        if (value.isTextual()) {
            String text = value.textValue().trim().replace(' ', 'T');
            try {
                return OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException withoutOffset) {
                try {
                    return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
                } catch (DateTimeParseException e) {
                    throw mismatch(value, "timestamp (ISO-8601 or unix seconds)");
                }
            }
        }
        throw mismatch(value, "timestamp (ISO-8601 or unix seconds)");
    }

    private static SyncFailure mismatch(JsonNode value, String expected) {
        String shown = value.toString();
        if (shown.length() > 80) {
            shown = shown.substring(0, 80) + "…";
        }
        return new SyncFailure("value " + shown + " is not a " + expected);
    }
}
