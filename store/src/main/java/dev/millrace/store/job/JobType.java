package dev.millrace.store.job;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What a job does: copy data, or reset the destination and the saved cursor state. */
public enum JobType {
    SYNC,
    RESET;

    /** The lower-case name the Airbyte API uses and the store saves, e.g. {@code "sync"}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @throws IllegalArgumentException naming the accepted values
     */
    public static JobType fromWireName(String wireName) {
        return Arrays.stream(values())
                .filter(type -> type.wireName().equals(wireName))
                .findFirst()
                .orElseThrow(
                        () ->
                                new IllegalArgumentException(
                                        "unknown job type '"
                                                + wireName
                                                + "'; expected one of "
                                                + Arrays.stream(values())
                                                        .map(JobType::wireName)
                                                        .collect(Collectors.joining(", "))));
    }
}
