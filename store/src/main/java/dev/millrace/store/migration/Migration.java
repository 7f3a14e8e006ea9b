package dev.millrace.store.migration;

import dev.millrace.store.StoreException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One versioned SQL script, {@code V<version>__<description>.sql}, e.g. {@code
 * V2__add_anomaly_results.sql}: version 2, description "add anomaly results".
 *
 * @param resource where the script was found, for messages
 * @param checksum SHA-256 of the script with line endings normalised, so a checkout that turns LF
 *     into CRLF does not look like an edited migration
 */
public record Migration(
        int version, String description, String script, String checksum, String resource) {

    private static final Pattern FILE_NAME = Pattern.compile("V([0-9]+)__([A-Za-z0-9_]+)\\.sql");

    /**
     * Reads a migration from its file name and bytes; empty for files that are not SQL (a README
     * next to the scripts), an exception for SQL files whose name does not follow the pattern, so a
     * misnamed migration is never silently skipped.
     */
    static Optional<Migration> fromFile(String fileName, byte[] content, String resource) {
        if (!fileName.endsWith(".sql")) {
            return Optional.empty();
        }
        Matcher name = FILE_NAME.matcher(fileName);
        if (!name.matches()) {
            throw new StoreException(
                    "migration file "
                            + resource
                            + " is not named V<version>__<description>.sql"
                            + " (description: letters, digits and underscores)");
        }
        String script = new String(content, StandardCharsets.UTF_8);
        return Optional.of(
                new Migration(
                        Integer.parseInt(name.group(1)),
                        name.group(2).replace('_', ' '),
                        script,
                        checksumOf(script),
                        resource));
    }

    static String checksumOf(String script) {
        String normalised = script.replace("\r\n", "\n");
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            return HexFormat.of()
                    .formatHex(sha256.digest(normalised.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides SHA-256", e);
        }
    }

    /** "V2 (add anomaly results)", how messages name a migration. */
    String label() {
        return "V" + version + " (" + description + ")";
    }
}
