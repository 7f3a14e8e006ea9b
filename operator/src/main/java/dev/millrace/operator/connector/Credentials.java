package dev.millrace.operator.connector;

import dev.millrace.crds.connector.ConnectorSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The one credential of a Connector (password, API key or token), read from the Secret key its
 * {@code secretRef} names, together with what it takes to keep it out of messages: a driver's error
 * can echo a connection string, so every message leaving this package goes through {@link #scrub}.
 */
final class Credentials {
    private static final Pattern PASSWORD_PARAMETER =
            Pattern.compile("(?i)(password|pwd|passwd|token|api[_-]?key)=[^;&\\s,)]*");

    private final String secret;

    private Credentials(String secret) {
        this.secret = secret;
    }

    static Credentials none() {
        return new Credentials(null);
    }

    /** Reads the referenced Secret key; a Connector without secretRef has no credential. */
    static Credentials of(ConnectorSpec spec, String namespace, KubernetesClient client)
            throws ConnectorProblem {
        SecretKeySelector ref = spec.secretRef;
        if (ref == null || ref.getName() == null) {
            return none();
        }
        Secret s = client.secrets().inNamespace(namespace).withName(ref.getName()).get();
        if (s == null) {
            throw new ConnectorProblem(
                    "SecretNotFound", "secret " + ref.getName() + " (secretRef) does not exist");
        }
        String key = ref.getKey();
        String value = null;
        Map<String, String> data = s.getData();
        if (key != null && data != null && data.get(key) != null) {
            value =
                    new String(
                            Base64.getMimeDecoder().decode(data.get(key)), StandardCharsets.UTF_8);
        } else if (key != null && s.getStringData() != null) {
            // Only an API server folds stringData into data; the embedded one keeps it.
            value = s.getStringData().get(key);
        }
        if (value == null) {
            throw new ConnectorProblem(
                    "SecretKeyNotFound",
                    "secret " + ref.getName() + " has no key " + key + " (secretRef.key)");
        }
        return new Credentials(value);
    }

    /** The credential, or null; only for driver properties and HTTP headers. */
    String secret() {
        return secret;
    }

    /**
     * The message without the credential (as written or URL-encoded) and without {@code
     * password=…}-style parameters.
     */
    String scrub(String message) {
        if (message == null) {
            return null;
        }
        String clean = message;
        if (secret != null && !secret.isEmpty()) {
            for (String form : forms(secret)) {
                clean = clean.replace(form, "****");
            }
        }
        return PASSWORD_PARAMETER.matcher(clean).replaceAll("$1=****");
    }

    private static List<String> forms(String secret) {
        List<String> forms = new ArrayList<>();
        forms.add(secret);
        forms.add(java.net.URLEncoder.encode(secret, StandardCharsets.UTF_8));
        return forms;
    }
}
