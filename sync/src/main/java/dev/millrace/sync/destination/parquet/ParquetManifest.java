package dev.millrace.sync.destination.parquet;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The commit point of a Parquet destination: {@code <schema>/_millrace/state.json} names the files
 * that make up each stream and holds the sync state (file ledger and cursors) that describes them.
 * A new version is written beside it and renamed over it atomically, so a reader who follows the
 * manifest, and the next sync, see either the old files with the old cursors or the new files with
 * the new cursors, whenever the writer dies.
 *
 * @param format version of this layout
 * @param jobId the sync that committed this version
 * @param committedAt when, as ISO-8601
 * @param streams per stream (by name): its columns and files, paths relative to the schema folder
 * @param retired files the previous version named and this one does not; kept on disk for one more
 *     commit so that a reader still holding the previous manifest can finish
 * @param ledger rows of the file ledger, as the DuckDB destination keeps them in {@code _millrace}
 * @param state rows of the stream state (cursors)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ParquetManifest(
        int format,
        Long jobId,
        String committedAt,
        Map<String, StreamFiles> streams,
        List<String> retired,
        List<LedgerRow> ledger,
        List<StateRow> state) {

    public static final int FORMAT = 1;
    public static final String FOLDER = "_millrace";
    public static final String FILE = "state.json";

    private static final ObjectMapper JSON =
            JsonMapper.builder()
                    .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .enable(SerializationFeature.INDENT_OUTPUT)
                    .build();

    public ParquetManifest {
        streams = streams == null ? new LinkedHashMap<>() : new LinkedHashMap<>(streams);
        retired = retired == null ? List.of() : List.copyOf(retired);
        ledger = ledger == null ? List.of() : List.copyOf(ledger);
        state = state == null ? List.of() : List.copyOf(state);
    }

    public static final ParquetManifest EMPTY =
            new ParquetManifest(FORMAT, null, null, Map.of(), List.of(), List.of(), List.of());

    /**
     * @param columns name and DuckDB type of every column, in table order
     * @param files the stream's Parquet files, relative to the schema folder
     * @param rows rows in those files
     */
    public record StreamFiles(List<ColumnType> columns, List<String> files, long rows) {}

    public record ColumnType(String name, String type) {}

    public record LedgerRow(
            String namespace,
            String connection,
            String stream,
            String path,
            long size,
            long mtimeMicros,
            long rows,
            long jobId,
            String loadedAt) {}

    public record StateRow(
            String namespace,
            String connection,
            String stream,
            String state,
            long jobId,
            String updatedAt) {}

    public static Path location(Path schemaFolder) {
        return schemaFolder.resolve(FOLDER).resolve(FILE);
    }

    /** The committed manifest of a schema folder, or {@link #EMPTY} before the first commit. */
    public static ParquetManifest read(Path schemaFolder) throws IOException {
        Path file = location(schemaFolder);
        if (!Files.exists(file)) {
            return EMPTY;
        }
        return JSON.readValue(file.toFile(), ParquetManifest.class);
    }

    /** Every file this manifest keeps on disk: the streams' and the retired ones. */
    public List<String> referencedFiles() {
        List<String> files = new ArrayList<>(retired);
        streams.values().forEach(stream -> files.addAll(stream.files()));
        return files;
    }

    /**
     * Writes this manifest as the schema folder's committed one: to a temporary file first, forced
     * to disk, then renamed over the old one in one atomic step, and the folder forced so that the
     * rename itself survives a power loss.
     */
    public void commit(Path schemaFolder) throws IOException {
        Path target = location(schemaFolder);
        Files.createDirectories(target.getParent());
        Path temporary = target.resolveSibling(FILE + ".tmp-" + jobId);
        try (FileChannel channel =
                FileChannel.open(
                        temporary,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.TRUNCATE_EXISTING,
                        StandardOpenOption.WRITE)) {
            channel.write(java.nio.ByteBuffer.wrap(JSON.writeValueAsBytes(this)));
            channel.force(true);
        }
        Files.move(
                temporary,
                target,
                StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
        forceDirectory(target.getParent());
    }

    static void forceDirectory(Path directory) {
        // Linux lets a directory be opened for reading and fsynced; elsewhere this is best effort.
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException notSupported) {
            // The rename is atomic either way; only its durability across a power cut is at stake.
        }
    }
}
