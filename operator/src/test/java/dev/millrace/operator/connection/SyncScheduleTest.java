package dev.millrace.operator.connection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.crds.connection.Schedule;
import dev.millrace.crds.connection.ScheduleType;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SyncScheduleTest {
    private static final Instant CREATED = Instant.parse("2026-11-20T10:15:00Z");

    private static Schedule basic(String timing) {
        Schedule s = new Schedule();
        s.scheduleType = ScheduleType.BASIC;
        s.basicTiming = timing;
        return s;
    }

    private static Schedule cron(String expression, String zone) {
        Schedule s = new Schedule();
        s.scheduleType = ScheduleType.CRON;
        s.cronExpression = expression;
        s.timeZone = zone;
        return s;
    }

    @Test
    void aManualScheduleNeverStartsASync() {
        var decision =
                SyncSchedule.decide(Schedule.manual(), CREATED, null, CREATED.plusSeconds(86400));
        assertThat(decision.dueSlot()).isEmpty();
        assertThat(decision.nextSlot()).isEmpty();
    }

    @Test
    void aBasicScheduleSyncsAtCreationThenEveryNHours() {
        var first =
                SyncSchedule.decide(basic("every_6_hours"), CREATED, null, CREATED.plusSeconds(5));
        assertThat(first.dueSlot()).contains(CREATED);
        assertThat(first.nextSlot()).contains(CREATED.plusSeconds(6 * 3600));

        var quiet =
                SyncSchedule.decide(
                        basic("every_6_hours"), CREATED, CREATED, CREATED.plusSeconds(3600));
        assertThat(quiet.dueSlot()).isEmpty();
        assertThat(quiet.nextSlot()).contains(CREATED.plusSeconds(6 * 3600));
    }

    @Test
    void afterDowntimeOnlyTheLatestMissedBasicSlotRuns() {
        Instant now = CREATED.plusSeconds(20 * 3600);
        var decision = SyncSchedule.decide(basic("every_6_hours"), CREATED, CREATED, now);
        assertThat(decision.dueSlot()).contains(CREATED.plusSeconds(18 * 3600));
        assertThat(decision.nextSlot()).contains(CREATED.plusSeconds(24 * 3600));
    }

    @Test
    void aCronScheduleRunsAtItsFireTimesInItsTimeZone() {
        // 02:00 in Berlin is 01:00 UTC in winter.
        Schedule nightly = cron("0 2 * * *", "Europe/Berlin");
        var before =
                SyncSchedule.decide(nightly, CREATED, null, Instant.parse("2026-11-21T00:30:00Z"));
        assertThat(before.dueSlot()).isEmpty();
        assertThat(before.nextSlot()).contains(Instant.parse("2026-11-21T01:00:00Z"));

        var after =
                SyncSchedule.decide(nightly, CREATED, null, Instant.parse("2026-11-23T09:00:00Z"));
        assertThat(after.dueSlot()).contains(Instant.parse("2026-11-23T01:00:00Z"));
        assertThat(after.nextSlot()).contains(Instant.parse("2026-11-24T01:00:00Z"));
    }

    @Test
    void quartzCronExpressionsAreAcceptedToo() {
        var decision =
                SyncSchedule.decide(
                        cron("0 0/30 * * * ?", null), CREATED, CREATED, CREATED.plusSeconds(1));
        assertThat(decision.nextSlot()).contains(Instant.parse("2026-11-20T10:30:00Z"));
    }

    @Test
    void invalidCronExpressionsAndZonesAreReportedNotRun() {
        assertThat(SyncSchedule.problem(cron("61 * * * *", null)))
                .hasValueSatisfying(m -> assertThat(m).contains("invalid cron expression"));
        assertThat(SyncSchedule.problem(cron("0 2 * * *", "Mars/Olympus"))).isPresent();
        assertThat(SyncSchedule.problem(cron("0 2 * * *", "UTC"))).isEmpty();
        assertThat(SyncSchedule.problem(basic("every_0_hours"))).isPresent();
    }
}
