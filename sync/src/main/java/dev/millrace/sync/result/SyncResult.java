package dev.millrace.sync.result;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The outcome of one sync. Its JSON is the Job container's termination message, which Kubernetes
 * caps at 4096 bytes, so {@link #toJson()} always fits in {@link #MAX_JSON_BYTES}.
 *
 * @param jobId the plan's job id; null when the plan could not be read
 * @param streams per-stream counts; empty unless the sync committed
 * @param streamsOmitted how many trailing streams were left out to fit the size limit
 * @param error why the sync failed or was cancelled; absent on success
 * @param retryable for a failed sync, whether running it again may succeed: false when a person
 *     must act first (an invalid plan, a {@link SyncFailure} such as empty-replace protection),
 *     true for everything else (a database or file error that may pass); absent otherwise
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SyncResult(
        SyncStatus status,
        Long jobId,
        Instant startedAt,
        Instant endedAt,
        double durationSeconds,
        @JsonInclude(JsonInclude.Include.ALWAYS) List<StreamResult> streams,
        Integer streamsOmitted,
        String error,
        Boolean retryable) {

    /** Leaves headroom under Kubernetes' 4096-byte termination message limit. */
    public static final int MAX_JSON_BYTES = 4000;

    private static final String TRUNCATION_MARK = " …[truncated]";

    private static final ObjectMapper MAPPER =
            JsonMapper.builder()
                    .addModule(new JavaTimeModule())
                    .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                    .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .build();

    public SyncResult {
        streams = streams == null ? List.of() : List.copyOf(streams);
    }

    /** A result that says nothing about retrying. */
    public SyncResult(
            SyncStatus status,
            Long jobId,
            Instant startedAt,
            Instant endedAt,
            double durationSeconds,
            List<StreamResult> streams,
            Integer streamsOmitted,
            String error) {
        this(
                status,
                jobId,
                startedAt,
                endedAt,
                durationSeconds,
                streams,
                streamsOmitted,
                error,
                null);
    }

    public static SyncResult succeeded(Long jobId, Instant startedAt, List<StreamResult> streams) {
        return ended(SyncStatus.SUCCEEDED, jobId, startedAt, streams, null);
    }

    public static SyncResult failed(Long jobId, Instant startedAt, String error) {
        return ended(SyncStatus.FAILED, jobId, startedAt, List.of(), error);
    }

    /**
     * @param retryable whether running the same plan again may succeed
     */
    public static SyncResult failed(
            Long jobId, Instant startedAt, String error, boolean retryable) {
        SyncResult failed = failed(jobId, startedAt, error);
        return new SyncResult(
                failed.status,
                jobId,
                startedAt,
                failed.endedAt,
                failed.durationSeconds,
                List.of(),
                null,
                error,
                retryable);
    }

    public static SyncResult cancelled(Long jobId, Instant startedAt, String reason) {
        return ended(SyncStatus.CANCELLED, jobId, startedAt, List.of(), reason);
    }

    private static SyncResult ended(
            SyncStatus status,
            Long jobId,
            Instant startedAt,
            List<StreamResult> streams,
            String error) {
        Instant endedAt = Instant.now();
        double seconds = Duration.between(startedAt, endedAt).toMillis() / 1000.0;
        return new SyncResult(status, jobId, startedAt, endedAt, seconds, streams, null, error);
    }

    public boolean succeeded() {
        return status == SyncStatus.SUCCEEDED;
    }

    /**
     * Compact JSON of at most {@link #MAX_JSON_BYTES} UTF-8 bytes. A long error is shortened first;
     * then streams' file lists are dropped, from the last stream back, each marked {@code
     * filesOmitted}; if the streams alone are still too many, trailing ones are dropped and counted
     * in {@code streamsOmitted}.
     */
    public String toJson() {
        String json = write(this);
        if (utf8Length(json) <= MAX_JSON_BYTES) {
            return json;
        }
        SyncResult shortened = this;
        if (error != null) {
            shortened = withError(shortenedError());
            json = write(shortened);
        }
        // File lists go before whole streams: counts matter more than the per-file detail, which
        // the next successful sync reports again.
        List<StreamResult> kept = new ArrayList<>(shortened.streams);
        for (int index = kept.size() - 1;
                index >= 0 && utf8Length(json) > MAX_JSON_BYTES;
                index--) {
            if (kept.get(index).files() != null) {
                kept.set(index, kept.get(index).withoutFiles());
                shortened =
                        new SyncResult(
                                status,
                                jobId,
                                startedAt,
                                endedAt,
                                durationSeconds,
                                kept,
                                streamsOmitted,
                                shortened.error,
                                retryable);
                json = write(shortened);
            }
        }
        while (utf8Length(json) > MAX_JSON_BYTES && !kept.isEmpty()) {
            kept.remove(kept.size() - 1);
            int omitted = streams.size() - kept.size();
            shortened =
                    new SyncResult(
                            status,
                            jobId,
                            startedAt,
                            endedAt,
                            durationSeconds,
                            kept,
                            omitted,
                            shortened.error,
                            retryable);
            json = write(shortened);
        }
        return json;
    }

    public static SyncResult fromJson(String json) {
        try {
            return MAPPER.readValue(json, SyncResult.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a sync result: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * The longest head of the error that lets the JSON fit. Escaping makes some characters cost
     * more in JSON than in the string (a quote two bytes, a control character six), so the fit is
     * found by serialising candidates rather than by arithmetic on the string.
     */
    private String shortenedError() {
        int fits = 0;
        int tooLong = utf8Length(error) + 1;
        while (tooLong - fits > 1) {
            int middle = (fits + tooLong) >>> 1;
            if (utf8Length(write(withError(truncatedError(middle)))) <= MAX_JSON_BYTES) {
                fits = middle;
            } else {
                tooLong = middle;
            }
        }
        return truncatedError(fits);
    }

    private String truncatedError(int keepBytes) {
        return prefixWithinBytes(error, keepBytes) + TRUNCATION_MARK;
    }

    private SyncResult withError(String newError) {
        return new SyncResult(
                status,
                jobId,
                startedAt,
                endedAt,
                durationSeconds,
                streams,
                streamsOmitted,
                newError,
                retryable);
    }

    /**
     * The longest prefix of {@code text} that fits in {@code maxBytes}, never splitting a code
     * point.
     */
    private static String prefixWithinBytes(String text, int maxBytes) {
        int bytes = 0;
        int index = 0;
        while (index < text.length()) {
            int codePoint = text.codePointAt(index);
            int size = utf8Length(new String(Character.toChars(codePoint)));
            if (bytes + size > maxBytes) {
                break;
            }
            bytes += size;
            index += Character.charCount(codePoint);
        }
        return text.substring(0, index);
    }

    private static int utf8Length(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    private static String write(SyncResult result) {
        try {
            return MAPPER.writeValueAsString(result);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
