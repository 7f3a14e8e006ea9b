package dev.millrace.api.platform;

import static dev.millrace.api.platform.PlatformFixtures.connection;
import static dev.millrace.api.platform.PlatformFixtures.csvSource;
import static dev.millrace.api.platform.PlatformFixtures.fetchConnection;
import static dev.millrace.api.platform.PlatformFixtures.send;
import static dev.millrace.api.platform.PlatformFixtures.upload;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.millrace.api.ApiServer;
import dev.millrace.api.ApiTestCluster;
import dev.millrace.crds.common.MillraceApi;
import dev.millrace.store.ledger.FileLedgerEntry;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvFilesApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CSV = "id,amount\n1,10\n2,20\n";

    @TempDir Path tmp;
    private ApiTestCluster cluster;
    private Path folder;

    @BeforeEach
    void start() throws Exception {
        cluster = new ApiTestCluster(tmp);
        folder = tmp.resolve("files").resolve("sales");
        csvSource(cluster, "sales", "sales");
        connection(cluster, "sales-to-warehouse", "sales");
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    private String base() {
        return cluster.server.baseUrl();
    }

    private List<Path> filesIn(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        }
    }

    private boolean syncRequested() {
        var annotations =
                fetchConnection(cluster, "sales-to-warehouse").getMetadata().getAnnotations();
        return annotations != null && annotations.containsKey(MillraceApi.SYNC_ANNOTATION);
    }

    @Test
    void uploadWritesTheFileIntoTheSourceFolderAndCanRequestASync() throws Exception {
        HttpResponse<String> response =
                upload(
                        base(),
                        "/api/sources/sales/upload-csv?trigger_sync=true",
                        "file",
                        "sales_2024.csv",
                        CSV);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("success").asBoolean()).isTrue();
        assertThat(body.path("message").asText())
                .isEqualTo("CSV uploaded successfully: sales_2024.csv");
        assertThat(body.path("source_name").asText()).isEqualTo("sales");
        assertThat(body.path("file_name").asText()).isEqualTo("sales_2024.csv");
        assertThat(body.path("auto_sync").asBoolean()).isTrue();
        Path written = folder.resolve("sales_2024.csv");
        assertThat(Path.of(body.path("file_path").asText())).isEqualTo(written.toAbsolutePath());
        assertThat(Files.readString(written)).isEqualTo(CSV);
        assertThat(filesIn(folder)).containsExactly(written);
        assertThat(syncRequested()).isTrue();
    }

    @Test
    void uploadWithoutTriggerSyncRequestsNothing() throws Exception {
        HttpResponse<String> response =
                upload(base(), "/api/sources/sales/upload-csv", "file", "a.csv", CSV);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).path("auto_sync").asBoolean()).isFalse();
        assertThat(syncRequested()).isFalse();
    }

    @Test
    void uploadingAFileThatExistsIsAConflictAndKeepsTheOldFile() throws Exception {
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("a.csv"), "old\n");

        HttpResponse<String> response =
                upload(base(), "/api/sources/sales/upload-csv", "file", "a.csv", CSV);

        assertThat(response.statusCode()).isEqualTo(409);
        assertThat(JSON.readTree(response.body()).path("detail").asText())
                .contains("already exists");
        assertThat(Files.readString(folder.resolve("a.csv"))).isEqualTo("old\n");
        assertThat(filesIn(folder)).hasSize(1);
    }

    @Test
    void unsafeOrWrongFileNamesAreRejectedAndNothingIsWritten() throws Exception {
        for (String name :
                List.of(
                        "..%2F..%2Fetc%2Fpasswd.csv",
                        "..\\\\evil.csv", ".hidden.csv", "notes.txt", "x".repeat(300) + ".csv")) {
            HttpResponse<String> response =
                    upload(base(), "/api/sources/sales/upload-csv", "file", name, CSV);
            assertThat(response.statusCode()).as(name).isEqualTo(400);
            assertThat(JSON.readTree(response.body()).path("detail").asText())
                    .as(name)
                    .isNotBlank();
        }
        assertThat(filesIn(folder)).isEmpty();
        assertThat(filesIn(tmp.resolve("files"))).allMatch(p -> p.equals(folder));
        assertThat(syncRequested()).isFalse();
    }

    @Test
    void uploadNamesWithControlCharactersOrDotDotAreRejectedBeforeAnyPathIsBuilt() {
        var source = PlatformFixtures.fetchSource(cluster, "sales");
        var sourceFolder =
                dev.millrace.api.platform.csv.SourceFolder.of(source, tmp.resolve("files"));
        for (String name :
                List.of(
                        "a\u0001.csv",
                        "a\nb.csv",
                        "a\u007f.csv",
                        "..csv",
                        "a..b.csv",
                        "/etc/x.csv")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(
                            () -> sourceFolder.uploadTarget(name))
                    .as(name)
                    .isInstanceOfSatisfying(
                            PlatformApiException.class, e -> assertThat(e.status()).isEqualTo(400));
        }
        assertThat(sourceFolder.uploadTarget("q1.csv"))
                .isEqualTo(folder.toAbsolutePath().resolve("q1.csv"));
    }

    @Test
    void badUploadRequestsAreRejectedInTheDetailFormat() throws Exception {
        assertThat(
                        upload(base(), "/api/sources/sales/upload-csv", "other", "a.csv", CSV)
                                .statusCode())
                .isEqualTo(400);
        assertThat(
                        upload(
                                        base(),
                                        "/api/sources/sales/upload-csv?trigger_sync=maybe",
                                        "file",
                                        "a.csv",
                                        CSV)
                                .statusCode())
                .isEqualTo(400);
        assertThat(cluster.post("/api/sources/sales/upload-csv", "{}").statusCode()).isEqualTo(400);
        HttpResponse<String> unknown =
                upload(base(), "/api/sources/nope/upload-csv", "file", "a.csv", CSV);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(unknown.body()).path("detail").asText())
                .isEqualTo("Source 'nope' not found");
        assertThat(filesIn(folder)).isEmpty();
    }

    @Test
    void uploadsAboveTheLimitAreTooLarge() throws Exception {
        try (ApiServer small =
                PlatformFixtures.serverWith(
                        cluster,
                        tmp,
                        s -> PlatformFixtures.with(s, null, null, s.fileWatchDebounce(), 10))) {
            HttpResponse<String> response =
                    upload(small.baseUrl(), "/api/sources/sales/upload-csv", "file", "a.csv", CSV);

            assertThat(response.statusCode()).isEqualTo(413);
            assertThat(JSON.readTree(response.body()).path("detail").asText()).contains("limit");
            // A declared length far above the limit is refused before the body is read.
            HttpResponse<String> huge =
                    upload(
                            small.baseUrl(),
                            "/api/sources/sales/upload-csv",
                            "file",
                            "b.csv",
                            "x".repeat(2 * 1024 * 1024));
            assertThat(huge.statusCode()).isEqualTo(413);
            assertThat(JSON.readTree(huge.body()).path("detail").asText()).contains("limit");
        }
        assertThat(filesIn(folder)).isEmpty();
    }

    @Test
    void csvFilesListsFilesOnDiskWithWhatTheLedgerSaysWasLoaded() throws Exception {
        Files.createDirectories(folder);
        Instant mtime = Instant.parse("2026-11-20T08:00:00Z");
        Path loaded = Files.writeString(folder.resolve("2024.csv"), CSV);
        Files.setLastModifiedTime(loaded, FileTime.from(mtime));
        Files.writeString(folder.resolve("2025.csv"), CSV);
        Files.writeString(folder.resolve("readme.txt"), "not data");
        Files.writeString(folder.resolve(".upload-1.part"), "partial");
        cluster.store.replaceFileLedger(
                ApiTestCluster.NS,
                "sales",
                "sales",
                List.of(
                        new FileLedgerEntry("2024.csv", Files.size(loaded), mtime, 2, 7L, mtime),
                        new FileLedgerEntry("2023.csv", 100, mtime, 5, 6L, mtime)));

        HttpResponse<String> response = cluster.get("/api/sources/sales/csv-files");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("source_name").asText()).isEqualTo("sales");
        assertThat(body.path("directory").asText()).isEqualTo("sales");
        assertThat(body.path("file_pattern").asText()).isEqualTo("*.csv");
        assertThat(body.path("total_files").asInt()).isEqualTo(3);
        assertThat(body.path("files_on_disk").asInt()).isEqualTo(2);
        assertThat(body.path("files_loaded").asInt()).isEqualTo(2);
        JsonNode files = body.path("files");
        assertThat(files.get(0).path("filename").asText()).isEqualTo("2023.csv");
        assertThat(files.get(0).path("on_disk").asBoolean()).isFalse();
        assertThat(files.get(0).path("status").asText()).isEqualTo("deleted");
        JsonNode first = files.get(1);
        assertThat(first.path("filename").asText()).isEqualTo("2024.csv");
        assertThat(first.path("path").asText()).isEqualTo(loaded.toAbsolutePath().toString());
        assertThat(first.path("size").asLong()).isEqualTo(CSV.length());
        assertThat(first.path("modified").asText()).isEqualTo("2026-11-20T08:00:00Z");
        assertThat(first.path("on_disk").asBoolean()).isTrue();
        assertThat(first.path("loaded").asBoolean()).isTrue();
        assertThat(first.path("rows_loaded").asLong()).isEqualTo(2);
        assertThat(first.path("status").asText()).isEqualTo("success");
        JsonNode pending = files.get(2);
        assertThat(pending.path("filename").asText()).isEqualTo("2025.csv");
        assertThat(pending.path("loaded").asBoolean()).isFalse();
        assertThat(pending.path("status").asText()).isEqualTo("pending");
    }

    @Test
    void csvOperationsOnANonCsvSourceOrUnknownSourceAreRejected() throws Exception {
        var jdbc = new dev.millrace.crds.source.Source();
        jdbc.setMetadata(
                new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
                        .withName("crm")
                        .withNamespace(ApiTestCluster.NS)
                        .build());
        jdbc.setSpec(new dev.millrace.crds.source.SourceSpec());
        jdbc.getSpec().type = dev.millrace.crds.source.SourceType.JDBC;
        jdbc.getSpec().connectorRef = dev.millrace.crds.common.ObjectRef.to("crm-db");
        cluster.client.resource(jdbc).create();

        assertThat(cluster.get("/api/sources/crm/csv-files").statusCode()).isEqualTo(400);
        assertThat(upload(base(), "/api/sources/crm/upload-csv", "file", "a.csv", CSV).statusCode())
                .isEqualTo(400);
        assertThat(cluster.get("/api/sources/nope/csv-files").statusCode()).isEqualTo(404);
    }

    @Test
    void deleteRemovesTheFileAndRequestsABackgroundSync() throws Exception {
        Files.createDirectories(folder);
        Path file = Files.writeString(folder.resolve("2024.csv"), CSV);

        HttpResponse<String> response =
                send(
                        base(),
                        "DELETE",
                        "/api/sources/sales/csv-files?file_path="
                                + java.net.URLEncoder.encode(
                                        file.toAbsolutePath().toString(),
                                        java.nio.charset.StandardCharsets.UTF_8));

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("success").asBoolean()).isTrue();
        assertThat(body.path("message").asText()).isEqualTo("File deleted: 2024.csv");
        assertThat(body.path("file_path").asText()).isEqualTo(file.toAbsolutePath().toString());
        assertThat(body.path("source_name").asText()).isEqualTo("sales");
        assertThat(body.path("background_sync").asBoolean()).isTrue();
        assertThat(file).doesNotExist();
        assertThat(syncRequested()).isTrue();
    }

    @Test
    void deleteRefusesPathsOutsideTheSourceFolderAndDeletesNothing() throws Exception {
        Files.createDirectories(folder);
        Path kept = Files.writeString(folder.resolve("2024.csv"), CSV);
        Path outside = Files.writeString(tmp.resolve("files").resolve("other.csv"), CSV);
        for (String filePath :
                List.of(
                        "..%2F..%2Fetc%2Fpasswd",
                        "..%2Fother.csv",
                        "%2Fetc%2Fpasswd",
                        java.net.URLEncoder.encode(
                                outside.toAbsolutePath().toString(),
                                java.nio.charset.StandardCharsets.UTF_8),
                        "2024.csv%00.txt",
                        "",
                        "x".repeat(5000))) {
            HttpResponse<String> response =
                    send(base(), "DELETE", "/api/sources/sales/csv-files?file_path=" + filePath);
            assertThat(response.statusCode()).as(filePath).isEqualTo(400);
            assertThat(JSON.readTree(response.body()).path("detail").asText())
                    .as(filePath)
                    .isNotBlank();
        }
        assertThat(send(base(), "DELETE", "/api/sources/sales/csv-files").statusCode())
                .isEqualTo(400);
        assertThat(kept).exists();
        assertThat(outside).exists();
        assertThat(syncRequested()).isFalse();
    }

    @Test
    void deletingAMissingFileIsNotFound() throws Exception {
        HttpResponse<String> response =
                send(base(), "DELETE", "/api/sources/sales/csv-files?file_path=gone.csv");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(response.body()).path("detail").asText()).contains("gone.csv");
        assertThat(syncRequested()).isFalse();
    }
}
