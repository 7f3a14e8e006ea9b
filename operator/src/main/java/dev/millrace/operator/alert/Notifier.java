package dev.millrace.operator.alert;

import dev.millrace.store.alert.AlertEvent;
import io.fabric8.kubernetes.api.model.Secret;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A namespace's alert receiver, read from its {@value #SECRET} Secret: keys {@code type} ({@code
 * slack} or {@code webhook}), {@code url}, and optionally {@code events}, a comma list of event
 * names (all when absent). The whole configuration is a Secret because webhook URLs carry tokens;
 * {@link #toString()} therefore leaves the URL out, and so must every message about a notifier.
 */
public record Notifier(Type type, URI url, Set<AlertEvent> events) {
    public static final String SECRET = "millrace-alerts";

    public enum Type {
        /** A Slack incoming webhook: {@code {"text": …}}. */
        SLACK,
        /** Any HTTP endpoint taking the alert as a JSON object. */
        WEBHOOK
    }

    /** A Secret that does not configure a notifier; the message never contains the URL. */
    public static final class InvalidNotifier extends RuntimeException {
        InvalidNotifier(String message) {
            super(message);
        }
    }

    /**
     * The notifier the Secret configures.
     *
     * @throws InvalidNotifier if a key is missing or has a value Millrace does not know
     */
    public static Notifier from(Secret secret) {
        String where = "Secret " + secret.getMetadata().getNamespace() + "/" + SECRET;
        String type = value(secret, "type");
        if (type == null) {
            throw new InvalidNotifier(where + " has no type (slack or webhook)");
        }
        Type parsed;
        try {
            parsed = Type.valueOf(type.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidNotifier(
                    where + " has type " + type.trim() + "; expected slack or webhook");
        }
        String url = value(secret, "url");
        if (url == null || url.isBlank()) {
            throw new InvalidNotifier(where + " has no url");
        }
        URI uri;
        try {
            uri = URI.create(url.trim());
        } catch (IllegalArgumentException e) {
            throw new InvalidNotifier(where + " has a url that is not a URI");
        }
        if (!"https".equalsIgnoreCase(uri.getScheme())
                && !"http".equalsIgnoreCase(uri.getScheme())) {
            throw new InvalidNotifier(where + " has a url that is not http(s)");
        }
        String events = value(secret, "events");
        Set<AlertEvent> subscribed = EnumSet.noneOf(AlertEvent.class);
        if (events == null || events.isBlank()) {
            subscribed = EnumSet.allOf(AlertEvent.class);
        } else {
            for (String name : events.split(",")) {
                if (name.isBlank()) {
                    continue;
                }
                try {
                    subscribed.add(AlertEvent.fromWireName(name.trim()));
                } catch (IllegalArgumentException e) {
                    throw new InvalidNotifier(
                            where
                                    + " lists unknown event "
                                    + name.trim()
                                    + "; known: "
                                    + String.join(
                                            ", ",
                                            Arrays.stream(AlertEvent.values())
                                                    .map(AlertEvent::wireName)
                                                    .toList()));
                }
            }
        }
        return new Notifier(parsed, uri, Set.copyOf(subscribed));
    }

    public boolean wants(AlertEvent event) {
        return events.contains(event);
    }

    /** Type and events only: the URL is a credential. */
    @Override
    public String toString() {
        return "Notifier[" + type.name().toLowerCase(Locale.ROOT) + ", events=" + events + "]";
    }

    private static String value(Secret secret, String key) {
        Map<String, String> data = secret.getData();
        if (data != null && data.get(key) != null) {
            return new String(Base64.getDecoder().decode(data.get(key)), StandardCharsets.UTF_8);
        }
        Map<String, String> plain = secret.getStringData();
        return plain == null ? null : plain.get(key);
    }
}
