package dev.millrace.store.job;

import java.util.Arrays;
import java.util.Set;

/**
 * Which jobs to list, newest first. Null filters and an empty status set match everything. Start
 * from {@link #all()} and narrow it: {@code JobQuery.all().inNamespace("team-a")
 * .withStatuses(JobStatus.FAILED).page(10, 20)}.
 *
 * @param limit the page size, at least 1; ignored when counting
 * @param offset how many matching jobs to skip, at least 0; ignored when counting
 */
public record JobQuery(
        String namespace,
        String connection,
        String source,
        Set<JobStatus> statuses,
        JobType type,
        int limit,
        int offset) {

    /** Airbyte's default page size. */
    public static final int DEFAULT_LIMIT = 20;

    public JobQuery {
        statuses = statuses == null ? Set.of() : Set.copyOf(statuses);
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative, was " + offset);
        }
    }

    /** Every job, first page of {@link #DEFAULT_LIMIT}. */
    public static JobQuery all() {
        return new JobQuery(null, null, null, Set.of(), null, DEFAULT_LIMIT, 0);
    }

    public JobQuery inNamespace(String namespace) {
        return new JobQuery(namespace, connection, source, statuses, type, limit, offset);
    }

    public JobQuery forConnection(String connection) {
        return new JobQuery(namespace, connection, source, statuses, type, limit, offset);
    }

    public JobQuery forSource(String source) {
        return new JobQuery(namespace, connection, source, statuses, type, limit, offset);
    }

    public JobQuery withStatuses(JobStatus... statuses) {
        return new JobQuery(
                namespace,
                connection,
                source,
                Set.copyOf(Arrays.asList(statuses)),
                type,
                limit,
                offset);
    }

    public JobQuery ofType(JobType type) {
        return new JobQuery(namespace, connection, source, statuses, type, limit, offset);
    }

    public JobQuery page(int limit, int offset) {
        return new JobQuery(namespace, connection, source, statuses, type, limit, offset);
    }
}
