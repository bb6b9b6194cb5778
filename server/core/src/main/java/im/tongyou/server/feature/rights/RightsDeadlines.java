package im.tongyou.server.feature.rights;

import im.tongyou.api.privacy.CancellationRequests;
import im.tongyou.server.privacy.WorkingCalendar;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deadline check of rights requests (privacy requirements AC-26, AC-14, C-22, R-DSR-7), run with
 * every retention purge: the requests still open after their deadline (the earlier of 5 PRC working
 * days and 7 calendar days), the cancellations whose erasure has not ended by its deadline, and,
 * as a graver finding, anything open longer than the legal cap of 15 working days.
 */
final class RightsDeadlines {

    private static final Logger log = LoggerFactory.getLogger(RightsDeadlines.class);

    /**
     * What one check found, by request id.
     *
     * @param pastDeadline              open requests (export, correction) after their deadline
     * @param cancellationsPastDeadline cancellations whose erasure had not ended by its deadline
     * @param pastCap                   requests and cancellations open longer than 15 working days
     */
    record Overdue(List<String> pastDeadline, List<String> cancellationsPastDeadline, List<String> pastCap) {
        boolean none() {
            return pastDeadline.isEmpty() && cancellationsPastDeadline.isEmpty() && pastCap.isEmpty();
        }
    }

    private final RightsStore store;
    private final CancellationRequests cancellations;
    private final WorkingCalendar calendar;

    RightsDeadlines(RightsStore store, CancellationRequests cancellations, WorkingCalendar calendar) {
        this.store = store;
        this.cancellations = cancellations;
        this.calendar = calendar;
    }

    /** The deadline of a request received then: 5 working days, at most 7 days (C-22). */
    Instant deadline(Instant receivedAt) {
        return calendar.replyDeadline(receivedAt);
    }

    /** The open requests and cancellations past their deadline or the cap, at {@code now}. */
    Overdue check(Instant now) {
        List<String> pastDeadline = new ArrayList<>();
        List<String> cancelled = new ArrayList<>();
        List<String> pastCap = new ArrayList<>();
        for (RightsStore.Request r : store.open()) {
            if (now.isAfter(r.deadline())) {
                pastDeadline.add(r.id());
            }
            if (calendar.pastCap(r.receivedAt(), now)) {
                pastCap.add(r.id());
            }
        }
        if (cancellations != null) {
            for (CancellationRequests.Request c : cancellations.open()) {
                if (now.isAfter(c.deadline())) {
                    cancelled.add(c.id());
                }
                if (calendar.pastCap(c.receivedAt(), now)) {
                    pastCap.add(c.id());
                }
            }
        }
        return new Overdue(List.copyOf(pastDeadline), List.copyOf(cancelled), List.copyOf(pastCap));
    }

    /** Runs the check and logs what it found: each finding is a broken promise to a user. */
    Overdue report(Instant now) {
        Overdue o = check(now);
        if (!o.pastDeadline().isEmpty()) {
            log.error("{} rights request(s) are open past their deadline: answer them (urn:tongyou:rights:0#open): {}",
                    o.pastDeadline().size(), o.pastDeadline());
        }
        if (!o.cancellationsPastDeadline().isEmpty()) {
            log.error("{} cancellation(s) are not erased by their deadline (urn:tongyou:rights:0#cancellations): {}",
                    o.cancellationsPastDeadline().size(), o.cancellationsPastDeadline());
        }
        if (!o.pastCap().isEmpty()) {
            log.error("{} request(s) are open longer than the legal cap of {} working days: {}", o.pastCap().size(),
                    WorkingCalendar.CAP_WORKING_DAYS, o.pastCap());
        }
        return o;
    }
}
