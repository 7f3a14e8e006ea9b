package dev.millrace.crds.validation;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The metadata checks the API server makes on every custom resource (ValidateObjectMetaAccessor
 * with NameIsDNSSubdomain): a name, which is a DNS-1123 subdomain, and a namespace, when given,
 * which is a DNS-1123 label. Messages are apimachinery's, word for word.
 */
final class ObjectMetaValidation {
    private static final String LABEL_FORMAT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    private static final String SUBDOMAIN_FORMAT = LABEL_FORMAT + "(\\." + LABEL_FORMAT + ")*";
    private static final Pattern LABEL = Pattern.compile(LABEL_FORMAT);
    private static final Pattern SUBDOMAIN = Pattern.compile(SUBDOMAIN_FORMAT);
    private static final int LABEL_MAX_LENGTH = 63;
    private static final int SUBDOMAIN_MAX_LENGTH = 253;

    private ObjectMetaValidation() {}

    static void validate(JsonNode metadata, List<FieldError> errors) {
        String name = text(metadata.path("name"));
        if (name.isEmpty()) {
            if (text(metadata.path("generateName")).isEmpty()) {
                errors.add(
                        FieldError.required("metadata.name", "name or generateName is required"));
            }
        } else {
            for (String problem : dns1123Subdomain(name)) {
                errors.add(FieldError.invalid("metadata.name", name, problem));
            }
        }
        String namespace = text(metadata.path("namespace"));
        if (!namespace.isEmpty()) {
            for (String problem : dns1123Label(namespace)) {
                errors.add(FieldError.invalid("metadata.namespace", namespace, problem));
            }
        }
    }

    /** A name of the wrong JSON type is the structural validation's to report. */
    private static String text(JsonNode node) {
        return node.isTextual() ? node.textValue() : "";
    }

    static List<String> dns1123Subdomain(String value) {
        List<String> problems = new ArrayList<>();
        if (byteLength(value) > SUBDOMAIN_MAX_LENGTH) {
            problems.add(maxLength(SUBDOMAIN_MAX_LENGTH));
        }
        if (!SUBDOMAIN.matcher(value).matches()) {
            problems.add(
                    regexError(
                            "a lowercase RFC 1123 subdomain must consist of lower case"
                                    + " alphanumeric characters, '-' or '.', and must start and"
                                    + " end with an alphanumeric character",
                            SUBDOMAIN_FORMAT,
                            "example.com"));
        }
        return problems;
    }

    static List<String> dns1123Label(String value) {
        List<String> problems = new ArrayList<>();
        if (byteLength(value) > LABEL_MAX_LENGTH) {
            problems.add(maxLength(LABEL_MAX_LENGTH));
        }
        if (!LABEL.matcher(value).matches()) {
            if (SUBDOMAIN.matcher(value).matches()) {
                problems.add("must not contain dots");
            } else {
                problems.add(
                        regexError(
                                "a lowercase RFC 1123 label must consist of lower case"
                                        + " alphanumeric characters or '-', and must start and"
                                        + " end with an alphanumeric character",
                                LABEL_FORMAT,
                                "my-name",
                                "123-abc"));
            }
        }
        return problems;
    }

    /** Go's len() counts bytes. */
    private static int byteLength(String value) {
        return value.getBytes(StandardCharsets.UTF_8).length;
    }

    private static String maxLength(int length) {
        return "must be no more than " + length + " characters";
    }

    /** apimachinery's RegexError, examples and all. */
    private static String regexError(String message, String format, String... examples) {
        StringBuilder out = new StringBuilder(message).append(" (e.g. ");
        for (int i = 0; i < examples.length; i++) {
            if (i > 0) {
                out.append(" or ");
            }
            out.append('\'').append(examples[i]).append("', ");
        }
        return out.append("regex used for validation is '").append(format).append("')").toString();
    }
}
