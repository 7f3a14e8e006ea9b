package dev.millrace.crds.source;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.SecretKeySelector;

/** The credential of an HTTP API; its value only ever lives in the Secret. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
        value = "self.type == 'none' || has(self.secretRef)",
        message = "secretRef is required when auth type is bearer, basic or api_key")
@ValidationRule(
        value = "self.type != 'basic' || has(self.username)",
        message = "username is required when auth type is basic")
@ValidationRule(
        value = "self.type != 'api_key' || (has(self.header) != has(self.queryParam))",
        message = "api_key auth needs exactly one of header and queryParam")
public class RestAuth {
    public enum Type {
        @JsonProperty("none")
        NONE,
        @JsonProperty("bearer")
        BEARER,
        @JsonProperty("basic")
        BASIC,
        @JsonProperty("api_key")
        API_KEY;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    @Default("none")
    @JsonPropertyDescription(
            "none, bearer (Authorization: Bearer <secret>), basic (username + secret as"
                    + " password) or api_key (the secret in a header or query parameter).")
    public Type type = Type.NONE;

    @JsonPropertyDescription("The Secret key holding the token, password or API key.")
    public SecretKeySelector secretRef;

    @Size(min = 1, max = 256)
    @JsonPropertyDescription("basic: the user name (not secret).")
    public String username;

    @Size(min = 1, max = 256)
    @io.fabric8.generator.annotation.Pattern("^[A-Za-z0-9-]+$")
    @JsonPropertyDescription("api_key: the header carrying the key, e.g. X-API-Key.")
    public String header;

    @Size(min = 1, max = 256)
    @JsonPropertyDescription("api_key: the query parameter carrying the key instead of a header.")
    public String queryParam;
}
