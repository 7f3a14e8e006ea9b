package dev.millrace.store.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class JobStatusTest {

    @Test
    void wireNamesAreTheAirbyteStatuses() {
        assertThat(Arrays.stream(JobStatus.values()).map(JobStatus::wireName))
                .containsExactly(
                        "pending",
                        "queued",
                        "running",
                        "incomplete",
                        "succeeded",
                        "failed",
                        "cancelled");
    }

    @Test
    void onlySucceededFailedAndCancelledAreTerminal() {
        assertThat(Arrays.stream(JobStatus.values()).filter(JobStatus::isTerminal))
                .containsExactlyInAnyOrder(
                        JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED);
    }

    @Test
    void wireNamesParseBackAndUnknownOnesAreRejectedWithTheChoices() {
        for (JobStatus status : JobStatus.values()) {
            assertThat(JobStatus.fromWireName(status.wireName())).isEqualTo(status);
        }
        assertThat(JobType.fromWireName("reset")).isEqualTo(JobType.RESET);
        assertThatThrownBy(() -> JobStatus.fromWireName("RUNNING"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'RUNNING'")
                .hasMessageContaining("pending, queued, running");
        assertThatThrownBy(() -> JobType.fromWireName("clear"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sync, reset");
    }
}
