package dev.millrace.crds.source;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import java.util.ArrayList;
import java.util.List;

/**
 * Stripe's list API (type stripe). Dango's {@code stripe.stripe_secret_key_env} becomes {@code
 * secretRef}: the key lives in a Secret, never in the spec.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class StripeSource {
    @Required
    @JsonPropertyDescription("The Secret key holding the Stripe secret (or restricted) key.")
    public SecretKeySelector secretRef;

    @Size(max = 50)
    @JsonPropertyDescription(
            "The lists to sync, e.g. charges, customers, invoices, subscriptions,"
                    + " payment_intents. Default: charges and customers. Ignored when streams are"
                    + " declared.")
    public List<String> endpoints = new ArrayList<>();

    @Size(min = 1, max = 2048)
    @Pattern("^https?://.+")
    @JsonPropertyDescription(
            "Overrides https://api.stripe.com/v1, e.g. for a Stripe mock in tests.")
    public String baseUrl;

    @Min(0.01)
    @Max(100)
    @JsonPropertyDescription(
            "Request budget; default 25 a second (Stripe allows 100 in live mode).")
    public Double requestsPerSecond;
}
