package dev.millrace.store.execution;

import java.time.Instant;
import java.util.Objects;

/**
 * What starting an execution records.
 *
 * @param parentId the parent execution, or null for a root
 * @param watermark the watermark the execution starts from, or null (at most 50 characters)
 * @param nextWatermark the watermark a success moves the pipeline to, or null
 * @param metadataJson execution metadata as JSON text, or null
 * @param jobId the sync Job this execution records, or null; starting twice for one Job returns the
 *     first execution
 */
public record ExecutionStart(
        long pipelineId,
        Long parentId,
        Instant start,
        String watermark,
        String nextWatermark,
        String metadataJson,
        Long jobId) {

    public ExecutionStart {
        Objects.requireNonNull(start, "start");
        requireWatermark("watermark", watermark);
        requireWatermark("nextWatermark", nextWatermark);
    }

    /** A root execution of {@code pipelineId} starting at {@code start}. */
    public static ExecutionStart of(long pipelineId, Instant start) {
        return new ExecutionStart(pipelineId, null, start, null, null, null, null);
    }

    public ExecutionStart underParent(long parent) {
        return new ExecutionStart(
                pipelineId, parent, start, watermark, nextWatermark, metadataJson, jobId);
    }

    public ExecutionStart forJob(long job) {
        return new ExecutionStart(
                pipelineId, parentId, start, watermark, nextWatermark, metadataJson, job);
    }

    public ExecutionStart withWatermarks(String from, String to) {
        return new ExecutionStart(pipelineId, parentId, start, from, to, metadataJson, jobId);
    }

    private static void requireWatermark(String field, String value) {
        if (value != null && value.length() > 50) {
            throw new IllegalArgumentException(field + " is longer than 50 characters");
        }
    }
}
