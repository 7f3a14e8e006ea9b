package dev.millrace.sync.state;

import dev.millrace.sync.source.csv.SourceFile;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * How the files of a stream differ from what the ledger remembers. A file is identified by its
 * relative path; it changed when its size or modification time differs.
 *
 * @param added files the ledger has never seen
 * @param changed files whose size or mtime differ from the ledger
 * @param unchanged files the ledger already holds as they are
 * @param removed ledger entries whose file no longer matches
 */
public record FileChanges(
        List<SourceFile> added,
        List<SourceFile> changed,
        List<SourceFile> unchanged,
        List<LedgerEntry> removed) {

    public static FileChanges between(List<SourceFile> current, List<LedgerEntry> ledger) {
        Map<String, LedgerEntry> known =
                ledger.stream()
                        .collect(
                                Collectors.toMap(
                                        LedgerEntry::path,
                                        Function.identity(),
                                        (first, second) -> second,
                                        HashMap::new));
        List<SourceFile> added = new ArrayList<>();
        List<SourceFile> changed = new ArrayList<>();
        List<SourceFile> unchanged = new ArrayList<>();
        for (SourceFile file : current) {
            LedgerEntry entry = known.remove(file.relativePath());
            if (entry == null) {
                added.add(file);
            } else if (entry.size() != file.size() || entry.mtimeMicros() != file.mtimeMicros()) {
                changed.add(file);
            } else {
                unchanged.add(file);
            }
        }
        List<LedgerEntry> removed = new ArrayList<>(known.values());
        removed.sort((a, b) -> a.path().compareTo(b.path()));
        return new FileChanges(
                List.copyOf(added),
                List.copyOf(changed),
                List.copyOf(unchanged),
                List.copyOf(removed));
    }

    /** The files a run must read: new ones and changed ones, in path order. */
    public List<SourceFile> toLoad() {
        List<SourceFile> files = new ArrayList<>(added);
        files.addAll(changed);
        files.sort((a, b) -> a.relativePath().compareTo(b.relativePath()));
        return files;
    }

    /** Paths whose previously loaded rows are outdated: changed files and removed ones. */
    public List<String> outdatedPaths() {
        List<String> paths = new ArrayList<>();
        changed.forEach(file -> paths.add(file.relativePath()));
        removed.forEach(entry -> paths.add(entry.path()));
        return paths;
    }

    public String summary() {
        return String.format(
                "%d new, %d changed, %d unchanged, %d removed",
                added.size(), changed.size(), unchanged.size(), removed.size());
    }
}
