package dev.millrace.operator.source;

import dev.millrace.crds.connection.Connection;
import dev.millrace.crds.connection.ConnectionStatus;
import dev.millrace.crds.source.SourceStatus;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** Computes a Source's status from its Connections' statuses (the Dango status values). */
record SourceRollup(
        SourceStatus.Phase phase,
        String lastSync,
        Long rowCount,
        List<SourceStatus.SourceTable> tables,
        String lastError) {
    private static final Set<String> RUNNING = Set.of("pending", "queued", "running", "incomplete");

    static SourceRollup of(Collection<Connection> connections) {
        List<ConnectionStatus> statuses =
                connections.stream().map(Connection::getStatus).filter(Objects::nonNull).toList();
        List<SourceStatus.SourceTable> tables = new ArrayList<>();
        long rows = 0;
        boolean anySuccess = false;
        String lastSync = null;
        for (ConnectionStatus s : statuses) {
            if (s.lastSuccessAt != null) {
                anySuccess = true;
                if (lastSync == null || s.lastSuccessAt.compareTo(lastSync) > 0) {
                    lastSync = s.lastSuccessAt;
                }
            }
            for (ConnectionStatus.StreamState stream : s.streams) {
                String table = stream.table == null ? stream.name : stream.table;
                int dot = table.indexOf('.');
                tables.add(
                        new SourceStatus.SourceTable(
                                dot < 0 ? table : table.substring(dot + 1),
                                dot < 0 ? null : table.substring(0, dot),
                                stream.rowCount));
                rows += stream.rowCount == null ? 0 : stream.rowCount;
            }
        }
        tables.sort(
                Comparator.comparing((SourceStatus.SourceTable t) -> String.valueOf(t.schema))
                        .thenComparing(t -> t.name));

        boolean running =
                statuses.stream()
                        .anyMatch(s -> s.lastJob != null && RUNNING.contains(s.lastJob.status));
        ConnectionStatus.JobSummary latestFinished =
                statuses.stream()
                        .map(s -> s.lastJob)
                        .filter(j -> j != null && j.endedAt != null)
                        .max(Comparator.comparing(j -> j.endedAt))
                        .orElse(null);
        SourceStatus.Phase phase;
        String lastError = null;
        if (running) {
            phase = SourceStatus.Phase.SYNCING;
        } else if (latestFinished != null && !"succeeded".equals(latestFinished.status)) {
            phase = SourceStatus.Phase.FAILED;
            lastError = latestFinished.error;
        } else if (anySuccess) {
            phase = rows > 0 ? SourceStatus.Phase.SYNCED : SourceStatus.Phase.EMPTY;
        } else {
            phase = SourceStatus.Phase.NOT_SYNCED;
        }
        return new SourceRollup(phase, lastSync, anySuccess ? rows : null, tables, lastError);
    }

    void applyTo(SourceStatus status) {
        status.status = phase;
        status.lastSync = lastSync;
        status.rowCount = rowCount;
        status.tables = tables;
        status.lastError = lastError;
    }
}
