package dev.millrace.store.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.store.testing.Backend;
import dev.millrace.store.testing.StoreTestBase;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass(name = "on {0}")
@EnumSource(Backend.class)
class ActivityLogTest extends StoreTestBase {

    private static final Instant T0 = Instant.parse("2025-12-09T08:00:00Z");

    private static LogEntry line(int second, String source, String message) {
        return new LogEntry(T0.plusSeconds(second), "team-a", source, null, LogLevel.INFO, message);
    }

    @Test
    void theNewestLinesComeBackOldestFirst() {
        for (int i = 0; i < 10; i++) {
            store.appendLog(line(i, "stripe", "line " + i));
        }

        assertThat(store.logs("team-a", "stripe", 3))
                .extracting(LogEntry::message)
                .containsExactly("line 7", "line 8", "line 9");
    }

    @Test
    void linesAreOrderedByTheirTimestampNotByWhenTheyArrived() {
        store.appendLog(line(2, "stripe", "second"));
        store.appendLog(line(1, "stripe", "first"));
        store.appendLog(line(3, "stripe", "third"));

        assertThat(store.logs("team-a", "stripe", 2))
                .extracting(LogEntry::message)
                .containsExactly("second", "third");
    }

    @Test
    void linesWithTheSameTimestampKeepTheOrderTheyWereAppendedIn() {
        for (int i = 0; i < 5; i++) {
            store.appendLog(line(0, "stripe", "line " + i));
        }

        assertThat(store.logs("team-a", "stripe", 4))
                .extracting(LogEntry::message)
                .containsExactly("line 1", "line 2", "line 3", "line 4");
    }

    @Test
    void aSourcesLogLeavesOutOtherSourcesAndOtherNamespaces() {
        store.appendLog(line(1, "stripe", "stripe line"));
        store.appendLog(line(2, "sales_csv", "csv line"));
        store.appendLog(line(3, null, "platform started"));
        store.appendLog(
                new LogEntry(T0, "team-b", "stripe", null, LogLevel.INFO, "other team's stripe"));

        assertThat(store.logs("team-a", "stripe", 100))
                .extracting(LogEntry::message)
                .containsExactly("stripe line");
        assertThat(store.logs("team-a", null, 100))
                .extracting(LogEntry::message)
                .containsExactly("stripe line", "csv line", "platform started");
    }

    @Test
    void everyFieldOfALineIsKept() {
        LogEntry withJob =
                new LogEntry(
                        T0, "team-a", "stripe", 42L, LogLevel.SUCCESS, "Sync completed: 1523 rows");
        LogEntry withoutSourceOrJob =
                new LogEntry(
                        T0.plusSeconds(1), "team-a", null, null, LogLevel.WARNING, "disk 90% full");
        store.appendLog(withJob);
        store.appendLog(withoutSourceOrJob);

        assertThat(store.logs("team-a", null, 10)).containsExactly(withJob, withoutSourceOrJob);
    }

    @Test
    void anOverlongMessageIsCutAndMarkedAsTruncated() {
        String huge = "x".repeat(100_000);

        store.appendLog(line(0, "stripe", huge));

        String stored = store.logs("team-a", "stripe", 1).get(0).message();
        assertThat(stored).hasSize(ActivityLog.MAX_MESSAGE_LENGTH);
        assertThat(stored).startsWith("xxxx").endsWith(ActivityLog.TRUNCATION_MARK);
    }

    @Test
    void cuttingAMessageNeverSplitsACharacter() {
        // Each emoji is two chars; the cut falls between the halves of one unless it steps back.
        String emojis = "\uD83D\uDE00".repeat(ActivityLog.MAX_MESSAGE_LENGTH);

        String cut = ActivityLog.capped(emojis);

        assertThat(cut).endsWith(ActivityLog.TRUNCATION_MARK);
        String kept = cut.substring(0, cut.length() - ActivityLog.TRUNCATION_MARK.length());
        assertThat(kept.codePoints()).containsOnly(0x1F600);
    }

    @Test
    void aLimitOfZeroReturnsNoLines() {
        store.appendLog(line(0, "stripe", "line"));

        assertThat(store.logs("team-a", "stripe", 0)).isEmpty();
    }

    @Test
    void logsSurviveReopen() {
        store.appendLog(line(0, "stripe", "before restart"));

        reopen();
        store.appendLog(line(1, "stripe", "after restart"));

        assertThat(store.logs("team-a", "stripe", 10))
                .extracting(LogEntry::message)
                .isEqualTo(List.of("before restart", "after restart"));
    }
}
