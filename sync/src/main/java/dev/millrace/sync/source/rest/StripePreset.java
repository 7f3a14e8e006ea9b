package dev.millrace.sync.source.rest;

import dev.millrace.sync.plan.RestPlan;
import dev.millrace.sync.plan.RestStreamPlan;
import dev.millrace.sync.plan.RestStreamPlan.PaginationPlan;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Stripe's standard list endpoints as REST streams. Every Stripe list answers {@code {"object":
 * "list", "data": [...], "has_more": …}}, pages with {@code starting_after=<last id>}, and filters
 * by creation time with {@code created[gte]=<unix seconds>}; every object has an {@code id} and a
 * {@code created} timestamp, so those are the primary key and the cursor.
 */
public final class StripePreset {

    public static final String PRIMARY_KEY = "id";
    public static final String CURSOR_FIELD = "created";
    public static final String CURSOR_PARAM = "created[gte]";

    /** Stripe's largest page. */
    public static final int PAGE_SIZE = 100;

    /** The endpoints a stripe source offers when it names none. */
    public static final List<String> DEFAULT_ENDPOINTS = List.of("charges", "customers");

    private static final Map<String, Endpoint> ENDPOINTS = new LinkedHashMap<>();

    static {
        add("charges", "/charges");
        add("customers", "/customers");
        add("invoices", "/invoices");
        // Without status=all Stripe leaves cancelled subscriptions out of the list.
        add("subscriptions", "/subscriptions", Map.of("status", "all"));
        add("payment_intents", "/payment_intents");
        add("setup_intents", "/setup_intents");
        add("refunds", "/refunds");
        add("disputes", "/disputes");
        add("balance_transactions", "/balance_transactions");
        add("payouts", "/payouts");
        add("transfers", "/transfers");
        add("products", "/products");
        add("prices", "/prices");
        add("plans", "/plans");
        add("coupons", "/coupons");
        add("invoice_items", "/invoiceitems");
        add("checkout_sessions", "/checkout/sessions");
        add("events", "/events");
    }

    private StripePreset() {}

    private record Endpoint(String path, Map<String, String> params) {}

    private static void add(String name, String path) {
        add(name, path, Map.of());
    }

    private static void add(String name, String path, Map<String, String> params) {
        ENDPOINTS.put(name, new Endpoint(path, params));
    }

    /** The names of the known streams, in a stable order. */
    public static List<String> streamNames() {
        return List.copyOf(ENDPOINTS.keySet());
    }

    /** The endpoint of a known stream. */
    public static Optional<RestStreamPlan> stream(String name) {
        Endpoint endpoint = ENDPOINTS.get(name);
        if (endpoint == null) {
            return Optional.empty();
        }
        return Optional.of(
                new RestStreamPlan(
                        endpoint.path(),
                        "/data",
                        pagination(),
                        endpoint.params(),
                        CURSOR_PARAM,
                        null));
    }

    /** Stripe's list paging: the last record's id as {@code starting_after}, while has_more. */
    public static PaginationPlan pagination() {
        return new PaginationPlan(
                PaginationPlan.CURSOR,
                PAGE_SIZE,
                "limit",
                "starting_after",
                "id",
                null,
                "/has_more",
                null,
                null,
                null);
    }

    /** The base URL of a stripe plan: its own when set (a test server), else Stripe's. */
    public static String baseUrl(RestPlan rest) {
        return rest == null || rest.baseUrl() == null ? RestPlan.STRIPE_BASE_URL : rest.baseUrl();
    }
}
