package dev.millrace.api.platform.csv;

import dev.millrace.api.ApiSettings;
import dev.millrace.api.platform.PlatformApiException;
import dev.millrace.api.platform.SourceSyncs;
import dev.millrace.api.platform.Sources;
import dev.millrace.api.platform.ws.PlatformEvents;
import dev.millrace.crds.source.Source;
import dev.millrace.store.Store;
import dev.millrace.store.ledger.FileLedgerEntry;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Upload, list and delete the files of a CSV source. The API writes and deletes only inside the
 * source's folder; syncing is the operator's job, requested with the same annotation as POST sync.
 */
public final class CsvFiles {
    private final ApiSettings settings;
    private final Store store;
    private final Sources sources;
    private final SourceSyncs syncs;
    private final PlatformEvents events;

    public CsvFiles(
            ApiSettings settings,
            Store store,
            Sources sources,
            SourceSyncs syncs,
            PlatformEvents events) {
        this.settings = settings;
        this.store = store;
        this.sources = sources;
        this.syncs = syncs;
        this.events = events;
    }

    public void upload(Context ctx) {
        Source source = sources.find(ctx.pathParam("source_name"));
        SourceFolder folder = SourceFolder.of(source, settings.dataRoot());
        boolean triggerSync = bool(ctx.queryParam("trigger_sync"), "trigger_sync");
        String contentType = ctx.contentType();
        if (contentType == null || !contentType.toLowerCase().startsWith("multipart/form-data")) {
            throw PlatformApiException.badRequest(
                    "Upload a file as multipart/form-data in the field 'file'");
        }
        long declared = ctx.contentLength();
        if (declared > settings.uploadLimitBytes() + 64 * 1024) {
            throw tooLarge();
        }
        UploadedFile file;
        try {
            file = ctx.uploadedFile("file");
        } catch (RuntimeException e) {
            throw PlatformApiException.badRequest("The multipart/form-data body is malformed");
        }
        if (file == null) {
            throw PlatformApiException.badRequest("The form has no file in the field 'file'");
        }
        if (file.size() > settings.uploadLimitBytes()) {
            throw tooLarge();
        }
        Path target = folder.uploadTarget(file.filename());
        if (Files.exists(target)) {
            throw PlatformApiException.conflict(
                    "File already exists: " + file.filename() + ". Delete it first to replace it.");
        }
        write(file, folder.directory(), target);
        events.csvUploaded(folder.sourceName(), file.filename());
        boolean synced = false;
        String message = "CSV uploaded successfully: " + file.filename();
        if (triggerSync) {
            try {
                syncs.request(source, SourceSyncs.Options.INCREMENTAL);
                synced = true;
            } catch (PlatformApiException e) {
                message += " (sync not started: " + e.getMessage() + ")";
            }
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("success", true);
        body.put("message", message);
        body.put("source_name", folder.sourceName());
        body.put("file_path", target.toString());
        body.put("file_name", file.filename());
        body.put("auto_sync", synced);
        ctx.json(body);
    }

    private PlatformApiException tooLarge() {
        return new PlatformApiException(
                413,
                "File is larger than the upload limit of "
                        + settings.uploadLimitBytes()
                        + " bytes");
    }

    /**
     * Writes under a dot name in the same folder (the sync skips dot files) and moves it into place
     * atomically, without replacing a file that appeared meanwhile.
     */
    private static void write(UploadedFile file, Path directory, Path target) {
        Path temp = null;
        try {
            Files.createDirectories(directory);
            temp = Files.createTempFile(directory, ".upload-", ".part");
            try {
                // createTempFile makes it owner-only; a sync Job may run as another user.
                Files.setPosixFilePermissions(
                        temp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            } catch (UnsupportedOperationException notPosix) {
                // the file system's defaults apply
            }
            try (InputStream in = file.content()) {
                Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
            }
            try {
                // createLink fails if the target exists, so a concurrent upload of the same name
                // is never overwritten; the rename-based fallback is for file systems without
                // hard links.
                Files.createLink(target, temp);
            } catch (UnsupportedOperationException | IOException linkFailed) {
                if (linkFailed instanceof FileAlreadyExistsException) {
                    throw linkFailed;
                }
                if (Files.exists(target)) {
                    throw new FileAlreadyExistsException(target.toString());
                }
                try {
                    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temp, target);
                }
            }
        } catch (FileAlreadyExistsException e) {
            throw PlatformApiException.conflict(
                    "File already exists: "
                            + target.getFileName()
                            + ". Delete it first to replace it.");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // a stray dot file is skipped by syncs and listings
                }
            }
        }
    }

    public void list(Context ctx) {
        Source source = sources.find(ctx.pathParam("source_name"));
        SourceFolder folder = SourceFolder.of(source, settings.dataRoot());
        Map<String, Map<String, Object>> files = new TreeMap<>();
        Map<String, FileLedgerEntry> ledger = new LinkedHashMap<>();
        for (FileLedgerEntry entry : store.fileLedger(settings.namespace(), folder.sourceName())) {
            ledger.put(entry.path(), entry);
        }
        int onDisk = 0;
        for (Path path : folder.filesOnDisk()) {
            BasicFileAttributes attributes;
            try {
                attributes = Files.readAttributes(path, BasicFileAttributes.class);
            } catch (IOException e) {
                continue; // deleted while listing
            }
            onDisk++;
            String relative = folder.relative(path);
            Instant modified = attributes.lastModifiedTime().toInstant();
            FileLedgerEntry loaded = ledger.get(relative);
            String status;
            if (loaded == null) {
                status = "pending";
            } else if (loaded.size() == attributes.size()
                    && (loaded.modified() == null
                            || loaded.modified()
                                    .truncatedTo(ChronoUnit.MILLIS)
                                    .equals(modified.truncatedTo(ChronoUnit.MILLIS)))) {
                status = "success";
            } else {
                status = "modified";
            }
            files.put(
                    relative,
                    fileView(path, relative, attributes.size(), modified, true, loaded, status));
        }
        int loadedCount = 0;
        for (FileLedgerEntry entry : ledger.values()) {
            loadedCount++;
            if (!files.containsKey(entry.path())) {
                files.put(
                        entry.path(),
                        fileView(
                                folder.directory().resolve(entry.path()).normalize(),
                                entry.path(),
                                entry.size(),
                                entry.modified(),
                                false,
                                entry,
                                "deleted"));
            }
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("source_name", folder.sourceName());
        body.put("directory", folder.directorySpec());
        body.put("file_pattern", folder.glob());
        body.put("files", List.copyOf(files.values()));
        body.put("total_files", files.size());
        body.put("files_on_disk", onDisk);
        body.put("files_loaded", loadedCount);
        ctx.json(body);
    }

    private static Map<String, Object> fileView(
            Path path,
            String relative,
            long size,
            Instant modified,
            boolean onDisk,
            FileLedgerEntry loaded,
            String status) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("filename", relative);
        view.put("path", path.toString());
        view.put("size", size);
        view.put(
                "modified",
                modified == null ? null : modified.truncatedTo(ChronoUnit.SECONDS).toString());
        view.put("on_disk", onDisk);
        view.put("loaded", loaded != null);
        view.put("rows_loaded", loaded == null ? 0 : loaded.rows());
        view.put("status", status);
        return view;
    }

    public void delete(Context ctx) {
        Source source = sources.find(ctx.pathParam("source_name"));
        SourceFolder folder = SourceFolder.of(source, settings.dataRoot());
        Path file = folder.existingFileArgument(ctx.queryParam("file_path"));
        if (!Files.isRegularFile(file)) {
            throw PlatformApiException.notFound("File not found: " + ctx.queryParam("file_path"));
        }
        try {
            if (!Files.deleteIfExists(file)) {
                throw PlatformApiException.notFound(
                        "File not found: " + ctx.queryParam("file_path"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String name = folder.relative(file);
        events.csvDeleted(folder.sourceName(), name);
        // The next incremental sync removes the vanished file's rows; it is queued behind a sync
        // already running, which may have listed the file before it went.
        boolean background = syncs.requestAfterCurrent(source);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("success", true);
        body.put("message", "File deleted: " + name);
        body.put("file_path", file.toString());
        body.put("source_name", folder.sourceName());
        body.put("background_sync", background);
        ctx.json(body);
    }

    private static boolean bool(String value, String name) {
        if (value == null) {
            return false;
        }
        return switch (value.trim().toLowerCase()) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default ->
                    throw PlatformApiException.badRequest(
                            name + " must be a boolean (true or false), got '" + value + "'");
        };
    }
}
