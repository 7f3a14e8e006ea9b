package dev.millrace.store.alert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.store.testing.Backend;
import dev.millrace.store.testing.StoreTestBase;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass(name = "on {0}")
@EnumSource(Backend.class)
class AlertOutboxTest extends StoreTestBase {
    private static final Instant NOW = Instant.parse("2026-03-31T12:00:00Z");

    private static Alert failedSync(long jobId) {
        return new Alert(
                "sync_failed:team/orders:" + jobId,
                AlertEvent.SYNC_FAILED,
                "team",
                "Connection",
                "orders",
                "Sync of orders failed: boom",
                NOW.minusSeconds(5),
                "{\"jobId\":" + jobId + "}");
    }

    @Test
    void anOccurrenceIsEnqueuedOnceHoweverOftenItIsReported() {
        assertThat(store.alerts().enqueue(failedSync(7), NOW)).isTrue();
        assertThat(store.alerts().enqueue(failedSync(7), NOW.plusSeconds(60))).isFalse();
        assertThat(store.alerts().enqueue(failedSync(8), NOW)).isTrue();

        assertThat(store.alerts().inNamespace("team"))
                .extracting(e -> e.alert().occurrenceKey())
                .containsExactly("sync_failed:team/orders:7", "sync_failed:team/orders:8");
        OutboxEntry entry = store.alerts().find("sync_failed:team/orders:7").orElseThrow();
        assertThat(entry.alert()).isEqualTo(failedSync(7));
        assertThat(entry.status()).isEqualTo(DeliveryStatus.PENDING);
        assertThat(entry.attempts()).isZero();
        assertThat(entry.enqueuedAt()).isEqualTo(NOW);
    }

    @Test
    void aRescheduledAlertIsDueOnlyAtItsNextAttempt() {
        store.alerts().enqueue(failedSync(1), NOW);
        assertThat(store.alerts().due(NOW, 10)).hasSize(1);

        store.alerts().retryAt("sync_failed:team/orders:1", 1, "HTTP 500", NOW.plusSeconds(30));

        assertThat(store.alerts().due(NOW.plusSeconds(29), 10)).isEmpty();
        assertThat(store.alerts().due(NOW.plusSeconds(30), 10))
                .singleElement()
                .satisfies(
                        e -> {
                            assertThat(e.attempts()).isEqualTo(1);
                            assertThat(e.lastError()).isEqualTo("HTTP 500");
                        });
    }

    @Test
    void aSentAlertIsNeverDueAgainNorChangedByALateRetry() {
        store.alerts().enqueue(failedSync(1), NOW);
        store.alerts().sent("sync_failed:team/orders:1", 2, NOW.plusSeconds(3));
        store.alerts().retryAt("sync_failed:team/orders:1", 3, "late", NOW);
        store.alerts().failed("sync_failed:team/orders:1", 3, "late", NOW);

        assertThat(store.alerts().due(NOW.plus(Duration.ofDays(1)), 10)).isEmpty();
        OutboxEntry sent = store.alerts().find("sync_failed:team/orders:1").orElseThrow();
        assertThat(sent.status()).isEqualTo(DeliveryStatus.SENT);
        assertThat(sent.attempts()).isEqualTo(2);
        assertThat(sent.lastError()).isNull();
        assertThat(sent.finishedAt()).isEqualTo(NOW.plusSeconds(3));
    }

    @Test
    void givenUpAndSkippedAlertsKeepTheirReason() {
        store.alerts().enqueue(failedSync(1), NOW);
        store.alerts().enqueue(failedSync(2), NOW);
        store.alerts().failed("sync_failed:team/orders:1", 5, "x".repeat(5_000), NOW);
        store.alerts().skipped("sync_failed:team/orders:2", "no notifier", NOW);

        OutboxEntry failed = store.alerts().find("sync_failed:team/orders:1").orElseThrow();
        assertThat(failed.status()).isEqualTo(DeliveryStatus.FAILED);
        assertThat(failed.lastError()).hasSize(AlertOutbox.MAX_ERROR_LENGTH);
        OutboxEntry skipped = store.alerts().find("sync_failed:team/orders:2").orElseThrow();
        assertThat(skipped.status()).isEqualTo(DeliveryStatus.SKIPPED);
        assertThat(skipped.lastError()).isEqualTo("no notifier");
        assertThat(store.alerts().due(NOW.plusSeconds(1), 10)).isEmpty();
    }

    @Test
    void dueAlertsSurviveARestart() {
        store.alerts().enqueue(failedSync(1), NOW);
        assertThat(reopen().alerts().due(NOW, 10)).hasSize(1);
    }
}
