package dev.millrace.store.check;

import dev.millrace.store.execution.ExecutionStatus;
import java.time.Instant;

/**
 * An execution that ran, or has been running, past its start plus the timeliness threshold.
 *
 * @param end null while it is still running
 * @param runningSeconds from start to its end, or to the check while running
 * @param newlyLogged true the first time this execution was found late
 */
public record LateExecution(
        long executionId,
        long pipelineId,
        ExecutionStatus status,
        Instant start,
        Instant end,
        Instant deadline,
        long runningSeconds,
        Threshold threshold,
        boolean newlyLogged) {}
