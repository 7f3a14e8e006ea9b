package dev.millrace.store.retention;

/**
 * How many rows a cleanup deleted, per table (the Watcher {@code log_cleanup} answer).
 *
 * @param closureParentRows closure rows whose ancestor was deleted
 * @param closureChildRows closure rows whose descendant was deleted and whose ancestor was not
 */
public record CleanupCounts(
        long executions,
        long timelinessLogs,
        long anomalyResults,
        long closureParentRows,
        long closureChildRows,
        long freshnessLogs) {

    CleanupCounts plus(CleanupCounts o) {
        return new CleanupCounts(
                executions + o.executions,
                timelinessLogs + o.timelinessLogs,
                anomalyResults + o.anomalyResults,
                closureParentRows + o.closureParentRows,
                closureChildRows + o.closureChildRows,
                freshnessLogs + o.freshnessLogs);
    }
}
