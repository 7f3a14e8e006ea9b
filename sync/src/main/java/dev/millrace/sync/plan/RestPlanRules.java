package dev.millrace.sync.plan;

import dev.millrace.sync.plan.RestPlan.RestAuthPlan;
import dev.millrace.sync.plan.RestStreamPlan.PaginationPlan;
import dev.millrace.sync.plan.RestStreamPlan.RestColumn;
import dev.millrace.sync.source.rest.RecordValues;
import dev.millrace.sync.source.rest.StripePreset;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;

/** The plan rules of HTTP API sources ({@code rest} and {@code stripe}). */
final class RestPlanRules {

    private RestPlanRules() {}

    static void checkSource(List<String> problems, SourcePlan source) {
        RestPlan rest = source.rest();
        boolean stripe = SourcePlan.STRIPE.equals(source.type());
        if (rest == null) {
            problems.add("source.rest: required for a " + source.type() + " source");
            return;
        }
        if (rest.baseUrl() != null || !stripe) {
            if (PlanValidator.requireText(problems, "source.rest.baseUrl", rest.baseUrl())) {
                checkUrl(problems, rest.baseUrl());
            }
        }
        RestAuthPlan auth = rest.auth();
        if (stripe && (auth == null || !RestAuthPlan.BEARER.equals(auth.type()))) {
            problems.add(
                    "source.rest.auth: a stripe source authenticates with a bearer secret key");
        }
        if (auth != null) {
            checkAuth(problems, auth);
        }
        if (rest.requestsPerSecond() != null && !(rest.requestsPerSecond() > 0)) {
            problems.add(
                    "source.rest.requestsPerSecond: must be greater than 0, was "
                            + rest.requestsPerSecond());
        }
        if (rest.maxRetries() < 0 || rest.maxRetries() > 20) {
            problems.add(
                    "source.rest.maxRetries: must be between 0 and 20, was " + rest.maxRetries());
        }
        if (rest.timeoutSeconds() < 1 || rest.timeoutSeconds() > 3600) {
            problems.add(
                    "source.rest.timeoutSeconds: must be between 1 and 3600, was "
                            + rest.timeoutSeconds());
        }
        rest.headers()
                .forEach(
                        (name, value) -> {
                            if (name.equalsIgnoreCase("authorization")) {
                                problems.add(
                                        "source.rest.headers: Authorization comes from auth and its"
                                                + " Secret, never from a plain header");
                            }
                        });
    }

    private static void checkUrl(List<String> problems, String url) {
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
                problems.add("source.rest.baseUrl: must be an http or https URL, was " + url);
            }
        } catch (URISyntaxException e) {
            problems.add("source.rest.baseUrl: not a valid URL: " + e.getMessage());
        }
    }

    private static void checkAuth(List<String> problems, RestAuthPlan auth) {
        String type = auth.type() == null ? RestAuthPlan.NONE : auth.type();
        if (!RestAuthPlan.TYPES.contains(type)) {
            problems.add(
                    "source.rest.auth.type: unsupported value \""
                            + type
                            + "\" (expected one of "
                            + String.join(", ", RestAuthPlan.TYPES)
                            + ")");
            return;
        }
        if (!type.equals(RestAuthPlan.NONE)) {
            PlanValidator.requireText(problems, "source.rest.auth.secretEnv", auth.secretEnv());
        }
        if (type.equals(RestAuthPlan.BASIC)) {
            PlanValidator.requireText(problems, "source.rest.auth.username", auth.username());
        }
        if (type.equals(RestAuthPlan.API_KEY)
                && (auth.header() == null) == (auth.queryParam() == null)) {
            problems.add("source.rest.auth: api_key needs exactly one of header and queryParam");
        }
    }

    static void checkStreams(List<String> problems, SourcePlan source, List<StreamPlan> streams) {
        boolean stripe = SourcePlan.STRIPE.equals(source.type());
        for (int index = 0; index < streams.size(); index++) {
            String field = "streams[" + index + "]";
            StreamPlan stream = streams.get(index);
            if (stream == null) {
                continue;
            }
            // An API has no files to tell new records from old ones: only a cursor can.
            if (stream.syncMode() == SyncMode.INCREMENTAL_APPEND && !stream.hasCursor()) {
                problems.add(
                        field
                                + ".cursorField: required by incremental_append on a "
                                + source.type()
                                + " source");
            }
            RestStreamPlan rest = stream.rest();
            if (rest == null) {
                if (!stripe) {
                    problems.add(field + ".rest: required for a stream of a rest source");
                } else if (stream.name() != null && StripePreset.stream(stream.name()).isEmpty()) {
                    problems.add(
                            field
                                    + ".name: \""
                                    + stream.name()
                                    + "\" is not a known Stripe list (known: "
                                    + String.join(", ", StripePreset.streamNames())
                                    + "); declare its rest endpoint to read it");
                }
                continue;
            }
            if (PlanValidator.requireText(problems, field + ".rest.path", rest.path())
                    && rest.path().contains("://")) {
                problems.add(field + ".rest.path: a path below the base URL, not a URL");
            }
            if (rest.recordsPath() != null
                    && !rest.recordsPath().isEmpty()
                    && !rest.recordsPath().startsWith("/")) {
                problems.add(
                        field
                                + ".rest.recordsPath: a JSON pointer starting with /, e.g. /data,"
                                + " was \""
                                + rest.recordsPath()
                                + "\"");
            }
            if (rest.pagination() != null) {
                checkPagination(problems, field + ".rest.pagination", rest.pagination());
            }
            if (rest.columns() != null) {
                for (int column = 0; column < rest.columns().size(); column++) {
                    RestColumn declared = rest.columns().get(column);
                    String where = field + ".rest.columns[" + column + "]";
                    PlanValidator.requireText(problems, where + ".name", declared.name());
                    if (declared.type() == null
                            || RecordValues.kindOfDeclared(declared.type()).isEmpty()) {
                        problems.add(
                                where
                                        + ".type: unsupported value \""
                                        + declared.type()
                                        + "\" (expected one of boolean, bigint, double,"
                                        + " decimal(p,s), varchar, date, timestamp, timestamptz,"
                                        + " json)");
                    }
                }
            }
        }
    }

    private static void checkPagination(List<String> problems, String field, PaginationPlan page) {
        if (!PaginationPlan.TYPES.contains(page.type())) {
            problems.add(
                    field
                            + ".type: unsupported value \""
                            + page.type()
                            + "\" (expected one of "
                            + String.join(", ", PaginationPlan.TYPES)
                            + ")");
        }
        if (page.pageSize() < 1 || page.pageSize() > 10_000) {
            problems.add(field + ".pageSize: must be between 1 and 10000, was " + page.pageSize());
        }
        for (String pointer : new String[] {page.nextCursorPath(), page.hasMorePath()}) {
            if (pointer != null && !pointer.startsWith("/")) {
                problems.add(field + ": \"" + pointer + "\" is not a JSON pointer (start with /)");
            }
        }
    }
}
