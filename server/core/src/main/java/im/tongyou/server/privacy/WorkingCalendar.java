package im.tongyou.server.privacy;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * PRC working days for the deadlines of rights requests (privacy requirements C-22, AC-14, AC-26,
 * R-DSR-7; 隐私政策 十.2 "五个工作日内回复…最长将在不超过七天"): Monday to Friday, less the public
 * holidays (法定节假日 and the 放假调休 days of the State Council's yearly notice), plus the weekend
 * days that notice makes working days (调休上班). Days are Beijing time. Periods follow the Civil Code
 * (民法典 art. 201, 203): the day of receipt does not count, and a period ends at 24:00 of its last day.
 *
 * <p>The shipped calendar holds the 2026 notice (国务院办公厅关于2026年部分节假日安排的通知, dated
 * 2025-11-04, published by Xinhua); other years must be configured ({@code privacy.holidays},
 * {@code privacy.make-up-workdays}) when their notice is published, else only weekends rest.
 */
public final class WorkingCalendar {

    /** The zone of the deadlines: the users' and the regulator's. */
    public static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    /** The policy's reply promise: 5 working days ... */
    public static final int REPLY_WORKING_DAYS = 5;
    /** ... and at most 7 calendar days (C-22: both hold). */
    public static final Duration REPLY_AT_MOST = Duration.ofDays(7);
    /** The legal cap of any manual step (认定方法 六(3)(5), R-DSR-7): 15 working days. */
    public static final int CAP_WORKING_DAYS = 15;

    /** 2026: 元旦 1-3 Jan, 春节 15-23 Feb, 清明 4-6 Apr, 劳动节 1-5 May, 端午 19-21 Jun, 中秋 25-27 Sep, 国庆 1-7 Oct. */
    static final Set<LocalDate> HOLIDAYS_2026 = Stream.of(
            range("2026-01-01", "2026-01-03"), range("2026-02-15", "2026-02-23"), range("2026-04-04", "2026-04-06"),
            range("2026-05-01", "2026-05-05"), range("2026-06-19", "2026-06-21"), range("2026-09-25", "2026-09-27"),
            range("2026-10-01", "2026-10-07")).flatMap(Collection::stream).collect(Collectors.toUnmodifiableSet());
    /** 2026 调休上班: Sun 4 Jan, Sat 14 Feb, Sat 28 Feb, Sat 9 May, Sun 20 Sep, Sat 10 Oct. */
    static final Set<LocalDate> MAKE_UP_2026 = Set.of(LocalDate.parse("2026-01-04"), LocalDate.parse("2026-02-14"),
            LocalDate.parse("2026-02-28"), LocalDate.parse("2026-05-09"), LocalDate.parse("2026-09-20"),
            LocalDate.parse("2026-10-10"));

    private final Set<LocalDate> holidays;
    private final Set<LocalDate> makeUpWorkdays;

    private WorkingCalendar(Set<LocalDate> holidays, Set<LocalDate> makeUpWorkdays) {
        for (LocalDate d : holidays) {
            if (makeUpWorkdays.contains(d)) {
                throw new IllegalArgumentException(d + " is both a holiday and a make-up working day");
            }
        }
        this.holidays = Set.copyOf(holidays);
        this.makeUpWorkdays = Set.copyOf(makeUpWorkdays);
    }

    /** The shipped calendar: weekends, and the State Council's notices this version knows (2026). */
    public static WorkingCalendar official() {
        return new WorkingCalendar(HOLIDAYS_2026, MAKE_UP_2026);
    }

    /** Weekends only: for a year without a notice. */
    public static WorkingCalendar weekendsOnly() {
        return new WorkingCalendar(Set.of(), Set.of());
    }

    /** This calendar with more holidays and make-up working days (a later year's notice, a correction). */
    public WorkingCalendar with(Collection<LocalDate> moreHolidays, Collection<LocalDate> moreMakeUpWorkdays) {
        Set<LocalDate> h = new TreeSet<>(holidays);
        Set<LocalDate> m = new TreeSet<>(makeUpWorkdays);
        h.addAll(moreHolidays);
        m.addAll(moreMakeUpWorkdays);
        return new WorkingCalendar(h, m);
    }

    /** Whether a (Beijing) day is a working day. */
    public boolean isWorkingDay(LocalDate day) {
        if (makeUpWorkdays.contains(day)) {
            return true;
        }
        DayOfWeek dow = day.getDayOfWeek();
        return dow != DayOfWeek.SATURDAY && dow != DayOfWeek.SUNDAY && !holidays.contains(day);
    }

    /** Whether the calendar knows a year's holidays (a notice was shipped or configured). */
    public boolean knowsYear(int year) {
        return holidays.stream().anyMatch(d -> d.getYear() == year);
    }

    /**
     * The end (24:00 Beijing time) of the {@code n}th working day after the day of {@code from}; the
     * day of {@code from} itself does not count (民法典 art. 201).
     */
    public Instant endOfWorkingDays(Instant from, int n) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be at least 1");
        }
        LocalDate day = LocalDate.ofInstant(from, ZONE);
        int counted = 0;
        while (counted < n) {
            day = day.plusDays(1);
            if (isWorkingDay(day)) {
                counted++;
            }
        }
        return day.plusDays(1).atStartOfDay(ZONE).toInstant();
    }

    /** A rights request's reply deadline: the earlier of 5 working days and 7 calendar days (C-22). */
    public Instant replyDeadline(Instant receivedAt) {
        return earlier(endOfWorkingDays(receivedAt, REPLY_WORKING_DAYS), receivedAt.plus(REPLY_AT_MOST));
    }

    /** A deadline of at most {@code within} that also keeps the reply promise (a cancellation's 24 hours). */
    public Instant deadlineWithin(Instant receivedAt, Duration within) {
        return earlier(replyDeadline(receivedAt), receivedAt.plus(within));
    }

    /** Whether something received then and still open now has been open longer than the 15-working-day cap. */
    public boolean pastCap(Instant receivedAt, Instant now) {
        return now.isAfter(endOfWorkingDays(receivedAt, CAP_WORKING_DAYS));
    }

    private static Instant earlier(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static Set<LocalDate> range(String first, String last) {
        Set<LocalDate> days = new TreeSet<>();
        for (LocalDate d = LocalDate.parse(first); !d.isAfter(LocalDate.parse(last)); d = d.plusDays(1)) {
            days.add(d);
        }
        return days;
    }
}
