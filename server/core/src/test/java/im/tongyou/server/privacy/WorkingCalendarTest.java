package im.tongyou.server.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * PRC working days (privacy requirements C-22, AC-26, AC-14) with the State Council's 2026 notice:
 * the Spring Festival week and its make-up Saturdays, a make-up Sunday that brings a deadline
 * forward, a request on a Friday evening (Beijing time, not UTC), and the 15-working-day cap across
 * the National Day week.
 */
class WorkingCalendarTest {

    private final WorkingCalendar calendar = WorkingCalendar.official();

    private static Instant beijing(String localDateTime) {
        return ZonedDateTime.of(java.time.LocalDateTime.parse(localDateTime), WorkingCalendar.ZONE).toInstant();
    }

    private static LocalDate day(String iso) {
        return LocalDate.parse(iso);
    }

    @Test
    void theSpringFestivalWeekRestsAndItsMakeUpSaturdaysWork() {
        for (LocalDate d = day("2026-02-15"); !d.isAfter(day("2026-02-23")); d = d.plusDays(1)) {
            assertThat(calendar.isWorkingDay(d)).as(d.toString()).isFalse();
        }
        assertThat(calendar.isWorkingDay(day("2026-02-14"))).as("Saturday, 调休上班").isTrue();
        assertThat(calendar.isWorkingDay(day("2026-02-28"))).as("Saturday, 调休上班").isTrue();
        assertThat(calendar.isWorkingDay(day("2026-03-07"))).as("an ordinary Saturday").isFalse();
        assertThat(calendar.isWorkingDay(day("2026-02-24"))).isTrue();
        // Received Friday 13 Feb: Sat 14 (make-up), then Tue 24 to Fri 27 are working days 2 to 5.
        Instant received = beijing("2026-02-13T10:00");
        assertThat(calendar.endOfWorkingDays(received, 5)).isEqualTo(beijing("2026-02-28T00:00"));
        assertThat(calendar.replyDeadline(received)).as("7 calendar days come first over the festival")
                .isEqualTo(beijing("2026-02-20T10:00"));
        // Without the make-up Saturday the fifth working day would be Monday 2 March.
        WorkingCalendar noMakeUp = WorkingCalendar.weekendsOnly().with(WorkingCalendar.HOLIDAYS_2026, List.of());
        assertThat(noMakeUp.endOfWorkingDays(received, 5)).isEqualTo(beijing("2026-03-03T00:00"));
    }

    @Test
    void aMakeUpSundayBringsTheWorkingDayDeadlineForward() {
        // Received Saturday 19 Sep: Sun 20 (make-up) and Mon 21 to Thu 24 are the five working days.
        Instant received = beijing("2026-09-19T10:00");
        assertThat(calendar.replyDeadline(received)).as("5 working days end before 7 calendar days")
                .isEqualTo(beijing("2026-09-25T00:00"));
        WorkingCalendar noMakeUp = WorkingCalendar.weekendsOnly().with(WorkingCalendar.HOLIDAYS_2026, List.of());
        assertThat(noMakeUp.replyDeadline(received)).as("without 调休: Fri 25 is the Mid-Autumn holiday")
                .isEqualTo(received.plus(Duration.ofDays(7)));
    }

    @Test
    void aRequestOnFridayEveningCountsInBeijingTime() {
        // 20:00 on Friday in Beijing: Mon 30 Nov to Fri 4 Dec; 7 days (Fri 4 Dec 20:00) come first.
        Instant friday = beijing("2026-11-27T20:00");
        assertThat(calendar.endOfWorkingDays(friday, 5)).isEqualTo(beijing("2026-12-05T00:00"));
        assertThat(calendar.replyDeadline(friday)).isEqualTo(beijing("2026-12-04T20:00"));
        // 17:00 UTC on Friday is 01:00 on Saturday in Beijing: the same five days, now the earlier limit.
        Instant lateFriday = Instant.parse("2026-11-27T17:00:00Z");
        assertThat(calendar.replyDeadline(lateFriday)).isEqualTo(Instant.parse("2026-12-04T16:00:00Z"))
                .isBefore(lateFriday.plus(Duration.ofDays(7)));
    }

    @Test
    void fifteenWorkingDaysAcrossTheNationalDayWeek() {
        // Received Wed 30 Sep: Oct 8, 9, 10 (Saturday, make-up), 12-16, 19-23, 26, 27.
        Instant received = beijing("2026-09-30T10:00");
        Instant cap = beijing("2026-10-28T00:00");
        assertThat(calendar.endOfWorkingDays(received, WorkingCalendar.CAP_WORKING_DAYS)).isEqualTo(cap);
        assertThat(calendar.pastCap(received, cap)).isFalse();
        assertThat(calendar.pastCap(received, cap.plusSeconds(1))).isTrue();
    }

    @Test
    void aCancellationsTwentyFourHoursKeepTheWorkingDayPromise() {
        Instant received = beijing("2026-02-14T23:00"); // the make-up Saturday before the festival
        assertThat(calendar.deadlineWithin(received, Duration.ofHours(24))).isEqualTo(received.plus(Duration.ofHours(24)));
    }

    @Test
    void configuredYearsAddToTheShippedNotice() {
        assertThat(calendar.knowsYear(2026)).isTrue();
        assertThat(calendar.knowsYear(2027)).isFalse();
        WorkingCalendar more = calendar.with(List.of(day("2027-01-01")), List.of(day("2027-01-02")));
        assertThat(more.knowsYear(2027)).isTrue();
        assertThat(more.isWorkingDay(day("2027-01-01"))).isFalse();
        assertThat(more.isWorkingDay(day("2027-01-02"))).as("a Saturday made a working day").isTrue();
        assertThat(more.isWorkingDay(day("2026-02-16"))).as("the shipped holidays stay").isFalse();
        assertThatThrownBy(() -> calendar.with(List.of(day("2026-02-14")), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
