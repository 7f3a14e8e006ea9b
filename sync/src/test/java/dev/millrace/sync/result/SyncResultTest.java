package dev.millrace.sync.result;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SyncResultTest {

    private static final Instant STARTED = Instant.parse("2026-11-22T10:00:00Z");
    private static final Instant ENDED = Instant.parse("2026-11-22T10:00:01.234Z");

    private static StreamResult stream(String name) {
        return new StreamResult(
                name,
                "raw_orders." + name,
                "incremental_append",
                10,
                8,
                6,
                2,
                1,
                1234,
                100,
                2,
                4,
                "2026-04-30");
    }

    private static int bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8).length;
    }

    @Test
    void serialisesTheAgreedShape() {
        SyncResult result =
                new SyncResult(
                        SyncStatus.SUCCEEDED,
                        12L,
                        STARTED,
                        ENDED,
                        1.23,
                        List.of(stream("orders")),
                        null,
                        null);

        assertThat(result.toJson())
                .isEqualTo(
                        "{\"status\":\"succeeded\",\"jobId\":12,\"startedAt\":\"2026-11-22T10:00:00Z\","
                            + "\"endedAt\":\"2026-11-22T10:00:01.234Z\",\"durationSeconds\":1.23,"
                            + "\"streams\":[{\"name\":\"orders\",\"table\":\"raw_orders.orders\","
                            + "\"syncMode\":\"incremental_append\",\"rowsRead\":10,\"rowsWritten\":8,"
                            + "\"inserts\":6,\"updates\":2,\"deletes\":1,\"bytes\":1234,"
                            + "\"tableRowCount\":100,\"filesLoaded\":2,\"filesTotal\":4,"
                            + "\"cursor\":\"2026-04-30\"}]}");
    }

    @Test
    void roundTripsThroughJson() {
        SyncResult result =
                new SyncResult(
                        SyncStatus.FAILED, 12L, STARTED, ENDED, 1.234, List.of(), null, "boom");

        assertThat(SyncResult.fromJson(result.toJson())).isEqualTo(result);
        assertThat(result.toJson()).contains("\"streams\":[]").endsWith("\"error\":\"boom\"}");
    }

    @Test
    void aLongErrorIsTruncatedToFitTheTerminationMessage() {
        // Quotes, newlines and multi-byte characters cost more bytes in JSON than in the string.
        String error = "Invalid Input Error: \"ünïcödé\"\n\t€ ".repeat(500);
        SyncResult result =
                new SyncResult(SyncStatus.FAILED, 12L, STARTED, ENDED, 1.0, List.of(), null, error);

        String json = result.toJson();

        assertThat(bytes(json)).isLessThanOrEqualTo(SyncResult.MAX_JSON_BYTES);
        assertThat(bytes(json)).isGreaterThan(SyncResult.MAX_JSON_BYTES - 16);
        SyncResult parsed = SyncResult.fromJson(json);
        assertThat(parsed.error()).endsWith("…[truncated]");
        String kept =
                parsed.error().substring(0, parsed.error().length() - " …[truncated]".length());
        assertThat(error).startsWith(kept);
        assertThat(parsed.status()).isEqualTo(SyncStatus.FAILED);
    }

    @Test
    void manyStreamsAreCutToFitAndCounted() {
        List<StreamResult> streams = new ArrayList<>();
        for (int index = 0; index < 60; index++) {
            streams.add(stream("stream_with_a_rather_long_name_" + index));
        }
        SyncResult result = SyncResult.succeeded(12L, STARTED, streams);

        String json = result.toJson();

        assertThat(bytes(json)).isLessThanOrEqualTo(SyncResult.MAX_JSON_BYTES);
        SyncResult parsed = SyncResult.fromJson(json);
        assertThat(parsed.streams()).isNotEmpty();
        assertThat(parsed.streams().size() + parsed.streamsOmitted()).isEqualTo(60);
        assertThat(parsed.streams()).isEqualTo(streams.subList(0, parsed.streams().size()));
    }

    private static StreamResult streamWithFiles(String name, int fileCount) {
        List<FileEntry> files = new ArrayList<>();
        for (int index = 0; index < fileCount; index++) {
            files.add(
                    new FileEntry(
                            "2026/orders-" + index + ".csv",
                            1000 + index,
                            Instant.parse("2026-11-01T08:00:00.123456Z"),
                            10 + index));
        }
        StreamResult plain = stream(name);
        return new StreamResult(
                plain.name(),
                plain.table(),
                plain.syncMode(),
                plain.rowsRead(),
                plain.rowsWritten(),
                plain.inserts(),
                plain.updates(),
                plain.deletes(),
                plain.bytes(),
                plain.tableRowCount(),
                plain.filesLoaded(),
                plain.filesTotal(),
                plain.cursor(),
                files,
                null);
    }

    @Test
    void fileListsSerialiseWithRelativePathSizeIsoTimeAndRows() {
        SyncResult result = SyncResult.succeeded(12L, STARTED, List.of(streamWithFiles("a", 1)));

        assertThat(result.toJson())
                .contains(
                        "\"files\":[{\"path\":\"2026/orders-0.csv\",\"size\":1000,"
                                + "\"modified\":\"2026-11-01T08:00:00.123456Z\",\"rows\":10}]")
                .doesNotContain("filesOmitted");
        assertThat(SyncResult.fromJson(result.toJson()).streams()).isEqualTo(result.streams());
    }

    @Test
    void fileListsAreDroppedFromTheLastStreamBackBeforeAnyStreamIs() {
        List<StreamResult> streams =
                List.of(streamWithFiles("first", 3), streamWithFiles("second", 40));
        SyncResult result = SyncResult.succeeded(12L, STARTED, streams);

        String json = result.toJson();

        assertThat(bytes(json)).isLessThanOrEqualTo(SyncResult.MAX_JSON_BYTES);
        SyncResult parsed = SyncResult.fromJson(json);
        assertThat(parsed.streamsOmitted()).isNull();
        assertThat(parsed.streams()).hasSize(2);
        assertThat(parsed.streams().get(0)).isEqualTo(streams.get(0));
        assertThat(parsed.streams().get(1).files()).isNull();
        assertThat(parsed.streams().get(1).filesOmitted()).isTrue();
        assertThat(parsed.streams().get(1).rowsRead()).isEqualTo(10);
    }

    @Test
    void aResultThatFitsIsLeftWhole() {
        SyncResult result = SyncResult.failed(12L, STARTED, "x".repeat(3000));

        assertThat(SyncResult.fromJson(result.toJson()).error()).isEqualTo("x".repeat(3000));
    }
}
