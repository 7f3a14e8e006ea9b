package dev.millrace.crds.validation;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;

/**
 * Renders values the way the Kubernetes API server's Go code prints them in field errors (fmt's %q
 * for strings, %v for numbers), so a message from local mode reads exactly like one from a cluster.
 */
final class GoFormat {
    private GoFormat() {}

    /** Go's strconv.Quote for the characters that occur in manifests. */
    static String quote(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        s.codePoints()
                .forEach(
                        c -> {
                            switch (c) {
                                case '"' -> out.append("\\\"");
                                case '\\' -> out.append("\\\\");
                                case '\n' -> out.append("\\n");
                                case '\r' -> out.append("\\r");
                                case '\t' -> out.append("\\t");
                                default -> {
                                    if (c < 0x20 || c == 0x7f) {
                                        out.append(String.format("\\x%02x", c));
                                    } else {
                                        out.appendCodePoint(c);
                                    }
                                }
                            }
                        });
        return out.append('"').toString();
    }

    /**
     * A bad value as field.Error prints it: strings quoted, numbers and booleans bare, null as
     * "null", objects and arrays as JSON.
     */
    static String value(Object value) {
        if (value == null) {
            return quote("null");
        }
        if (value instanceof JsonNode node) {
            return node(node);
        }
        if (value instanceof String s) {
            return quote(s);
        }
        if (value instanceof Double || value instanceof Float) {
            return number(((Number) value).doubleValue());
        }
        return String.valueOf(value);
    }

    private static String node(JsonNode node) {
        if (node.isNull() || node.isMissingNode()) {
            return quote("null");
        }
        if (node.isTextual()) {
            return quote(node.textValue());
        }
        if (node.isIntegralNumber()) {
            return node.bigIntegerValue().toString();
        }
        if (node.isNumber()) {
            return number(node.doubleValue());
        }
        return node.toString();
    }

    /**
     * Go's %v for a float64: the shortest representation, without a trailing ".0", switching to
     * exponent form below 1e-4 and from 1e21 on (so a schema maximum of 10.0 prints as 10).
     */
    static String number(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "+Inf" : "-Inf";
        }
        if (d == 0) {
            return "0";
        }
        BigDecimal shortest = new BigDecimal(Double.toString(d)).stripTrailingZeros();
        int exponent = shortest.precision() - shortest.scale() - 1;
        if (exponent < -4 || exponent >= 21) {
            String digits = shortest.unscaledValue().abs().toString();
            String mantissa =
                    digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            return (d < 0 ? "-" : "")
                    + mantissa
                    + "e"
                    + (exponent < 0 ? "-" : "+")
                    + String.format("%02d", Math.abs(exponent));
        }
        return shortest.toPlainString();
    }
}
