package dev.millrace.store.ledger;

import java.time.Instant;
import java.util.Objects;

/**
 * One file of a CSV source as its ledger records it.
 *
 * @param size in bytes
 * @param modified the file's modification time, null if unknown
 * @param rows rows loaded from the file
 * @param jobId the job that loaded it, null if none has
 * @param loadedAt when it was loaded, null if it has not been
 */
public record FileLedgerEntry(
        String path, long size, Instant modified, long rows, Long jobId, Instant loadedAt) {

    public FileLedgerEntry {
        Objects.requireNonNull(path, "path");
    }
}
