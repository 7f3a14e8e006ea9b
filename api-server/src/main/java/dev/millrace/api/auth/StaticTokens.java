package dev.millrace.api.auth;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Static bearer tokens from one Secret: each data key names a token, its value is the token. The
 * Secret is read again periodically, so adding or revoking a token needs no restart; if a re-read
 * fails, the tokens read last stay in force (a Kubernetes API hiccup must not lock everyone out).
 */
final class StaticTokens implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StaticTokens.class);

    private final KubernetesClient client;
    private final String namespace;
    private final String name;
    private final ScheduledExecutorService reloader;
    private volatile Map<String, byte[]> tokens = Map.of();

    StaticTokens(KubernetesClient client, String namespace, String name, Duration reload) {
        this.client = client;
        this.namespace = namespace;
        this.name = name;
        reload();
        this.reloader =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, "millrace-auth-token-reload");
                            t.setDaemon(true);
                            return t;
                        });
        long millis = Math.max(10, reload.toMillis());
        reloader.scheduleWithFixedDelay(this::reload, millis, millis, TimeUnit.MILLISECONDS);
    }

    void reload() {
        try {
            Secret secret = client.secrets().inNamespace(namespace).withName(name).get();
            Map<String, byte[]> read = new LinkedHashMap<>();
            if (secret != null) {
                if (secret.getData() != null) {
                    secret.getData()
                            .forEach(
                                    (key, value) -> {
                                        if (value != null && !value.isBlank()) {
                                            read.put(
                                                    key, Base64.getDecoder().decode(value.strip()));
                                        }
                                    });
                }
                if (secret.getStringData() != null) {
                    secret.getStringData()
                            .forEach(
                                    (key, value) -> {
                                        if (value != null && !value.isBlank()) {
                                            read.put(key, value.getBytes(StandardCharsets.UTF_8));
                                        }
                                    });
                }
            } else if (!tokens.isEmpty()) {
                LOG.warn(
                        "Token Secret {}/{} is gone: no static token is accepted", namespace, name);
            }
            if (!read.keySet().equals(tokens.keySet())) {
                LOG.info("Static API tokens from Secret {}/{}: {}", namespace, name, read.keySet());
            }
            tokens = Map.copyOf(read);
        } catch (RuntimeException e) {
            LOG.warn(
                    "Could not read token Secret {}/{}; keeping the {} tokens read before: {}",
                    namespace,
                    name,
                    tokens.size(),
                    e.getMessage());
        }
    }

    /**
     * The name of the token equal to {@code presented}; every token is compared in constant time.
     */
    Optional<Caller> match(String presented) {
        byte[] given = presented.getBytes(StandardCharsets.UTF_8);
        String found = null;
        for (Map.Entry<String, byte[]> token : tokens.entrySet()) {
            // No early exit: the time taken does not tell which token, or how much of it, matched.
            if (MessageDigest.isEqual(token.getValue(), given) && found == null) {
                found = token.getKey();
            }
        }
        return Optional.ofNullable(found).map(n -> new Caller(n, AuthMode.TOKEN));
    }

    @Override
    public void close() {
        reloader.shutdownNow();
    }
}
