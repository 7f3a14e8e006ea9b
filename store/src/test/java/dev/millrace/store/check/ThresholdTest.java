package dev.millrace.store.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class ThresholdTest {

    private static Instant at(String iso) {
        return Instant.parse(iso);
    }

    @Test
    void aMonthAfterTheLastDayOfAMonthIsTheLastDayOfTheNextMonth() {
        assertThat(new Threshold(1, DatePart.MONTH).after(at("2026-01-31T10:00:00Z")))
                .isEqualTo(at("2026-02-28T10:00:00Z"));
        assertThat(new Threshold(1, DatePart.MONTH).after(at("2028-01-31T10:00:00Z")))
                .isEqualTo(at("2028-02-29T10:00:00Z"));
        assertThat(new Threshold(2, DatePart.MONTH).after(at("2026-12-31T23:30:00Z")))
                .isEqualTo(at("2027-02-28T23:30:00Z"));
    }

    @Test
    void aWeekIsSevenCalendarDaysAcrossMonthAndYearEnds() {
        assertThat(new Threshold(1, DatePart.WEEK).after(at("2026-12-28T06:00:00Z")))
                .isEqualTo(at("2027-01-04T06:00:00Z"));
        assertThat(new Threshold(2, DatePart.WEEK).after(at("2026-02-20T00:00:00Z")))
                .isEqualTo(at("2026-03-06T00:00:00Z"));
    }

    @Test
    void aYearAfterTheTwentyNinthOfFebruaryIsTheTwentyEighth() {
        assertThat(new Threshold(1, DatePart.YEAR).after(at("2028-02-29T12:00:00Z")))
                .isEqualTo(at("2029-02-28T12:00:00Z"));
    }

    @Test
    void minutesHoursAndDaysAreExact() {
        Instant t = at("2026-03-31T23:59:00Z");
        assertThat(new Threshold(2, DatePart.MINUTE).after(t))
                .isEqualTo(at("2026-04-01T00:01:00Z"));
        assertThat(new Threshold(25, DatePart.HOUR).after(t)).isEqualTo(at("2026-04-02T00:59:00Z"));
        assertThat(new Threshold(1, DatePart.DAY).after(t)).isEqualTo(at("2026-04-01T23:59:00Z"));
        assertThat(new Threshold(1, DatePart.MONTH).before(at("2026-03-31T00:00:00Z")))
                .isEqualTo(at("2026-02-28T00:00:00Z"));
    }

    @Test
    void aThresholdNeedsAPositiveNumber() {
        assertThatThrownBy(() -> new Threshold(0, DatePart.DAY))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
