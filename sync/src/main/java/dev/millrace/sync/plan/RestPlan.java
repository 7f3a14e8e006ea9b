package dev.millrace.sync.plan;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An HTTP API read page by page. No credential is here: {@code auth.secretEnv} names the
 * environment variable that holds it (the Job gets it from a Secret through {@code secretKeyRef}).
 *
 * @param baseUrl every stream's path is resolved against it; a stripe source defaults to Stripe's
 * @param auth how requests authenticate; absent means none
 * @param headers extra request headers (non-secret)
 * @param requestsPerSecond the source's request budget; requests are spaced to stay under it
 * @param maxRetries attempts after the first for a 429, a 5xx or a timeout, per request
 * @param timeoutSeconds how long one request may take
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RestPlan(
        String baseUrl,
        RestAuthPlan auth,
        Map<String, String> headers,
        Double requestsPerSecond,
        Integer maxRetries,
        Integer timeoutSeconds) {

    public static final String STRIPE_BASE_URL = "https://api.stripe.com/v1";
    public static final int DEFAULT_MAX_RETRIES = 5;
    public static final int DEFAULT_TIMEOUT_SECONDS = 30;

    /** Stripe's own limit in live mode is 100 read requests a second; 25 leaves room for others. */
    public static final double STRIPE_REQUESTS_PER_SECOND = 25;

    public RestPlan {
        headers = headers == null ? Map.of() : new LinkedHashMap<>(headers);
        maxRetries = maxRetries == null ? DEFAULT_MAX_RETRIES : maxRetries;
        timeoutSeconds = timeoutSeconds == null ? DEFAULT_TIMEOUT_SECONDS : timeoutSeconds;
    }

    /**
     * How a request proves who sends it.
     *
     * @param type {@code none}, {@code bearer}, {@code basic} or {@code api_key}
     * @param secretEnv the environment variable holding the token, password or key
     * @param username basic auth: the user (not secret)
     * @param header api_key: the header that carries the key, e.g. {@code X-API-Key}
     * @param queryParam api_key: the query parameter that carries the key instead of a header
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RestAuthPlan(
            String type, String secretEnv, String username, String header, String queryParam) {
        public static final String NONE = "none";
        public static final String BEARER = "bearer";
        public static final String BASIC = "basic";
        public static final String API_KEY = "api_key";
        public static final java.util.List<String> TYPES =
                java.util.List.of(NONE, BEARER, BASIC, API_KEY);
    }
}
