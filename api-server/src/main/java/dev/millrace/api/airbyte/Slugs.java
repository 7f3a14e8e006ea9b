package dev.millrace.api.airbyte;

import java.text.Normalizer;
import java.util.Locale;

/**
 * metadata.name from an Airbyte name: "Orders (EU) Café" becomes {@code orders-eu-cafe}. Kept to 50
 * characters so a collision suffix and the Job name derived from a Connection still fit the
 * 63-character label limit.
 */
final class Slugs {
    static final int MAX = 50;

    private Slugs() {}

    static String slug(String name, String fallback) {
        String ascii =
                Normalizer.normalize(name == null ? "" : name, Normalizer.Form.NFD)
                        .replaceAll("\\p{M}+", "")
                        .toLowerCase(Locale.ROOT)
                        .replaceAll("[^a-z0-9]+", "-")
                        .replaceAll("^-+|-+$", "");
        if (ascii.length() > MAX) {
            ascii = ascii.substring(0, MAX).replaceAll("-+$", "");
        }
        return ascii.isEmpty() ? fallback : ascii;
    }

    /** The n-th candidate: the slug itself, then {@code slug-2}, {@code slug-3}, ... */
    static String candidate(String slug, int n) {
        return n == 1 ? slug : slug + "-" + n;
    }
}
