package im.tongyou.server.feature.rights;

import static org.assertj.core.api.Assertions.assertThat;

import im.tongyou.api.privacy.CancellationRequests;
import im.tongyou.server.privacy.WorkingCalendar;
import im.tongyou.server.storage.Database;
import im.tongyou.server.storage.TestDatabases;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The deadline check of every retention purge (privacy requirements AC-26, AC-14), with the clock
 * given, on every test database: a correction received on the make-up Saturday before the Spring
 * Festival is due 7 days later and then flagged; past 15 working days (after the festival) it is
 * flagged again as past the legal cap; an answered request never is; a cancellation whose erasure
 * has not ended by its deadline is flagged by the same check.
 */
class RightsDeadlinesTest {

    @TempDir
    Path dir;
    Database database;

    @AfterEach
    void close() {
        if (database != null) {
            database.close();
        }
    }

    /** Cancellations as the core keeps them, in memory. */
    static final class Cancellations implements CancellationRequests {
        final List<Request> all = new ArrayList<>();

        @Override
        public boolean cancel(String username, String actor, String id, Instant receivedAt) {
            return false;
        }

        @Override
        public Optional<Request> ofUser(String username) {
            return all.stream().filter(r -> username.equals(r.username())).findFirst();
        }

        @Override
        public Optional<Request> byId(String id) {
            return all.stream().filter(r -> r.id().equals(id)).findFirst();
        }

        @Override
        public List<Request> open() {
            return all.stream().filter(r -> r.respondedAt() == null).toList();
        }

        @Override
        public List<Request> recent(int limit) {
            return all;
        }
    }

    @ParameterizedTest
    @MethodSource("im.tongyou.server.storage.TestDatabases#available")
    void openRequestsAndUnfinishedErasuresPastTheirDeadlineOrTheCapAreFlagged(TestDatabases.Kind kind) {
        database = Database.open(TestDatabases.config(kind, dir));
        database.applyChangelog("im/tongyou/server/feature/rights/changelog.xml", getClass().getClassLoader());
        RightsStore store = new RightsStore(database.dataSource());
        Cancellations cancellations = new Cancellations();
        WorkingCalendar calendar = WorkingCalendar.official();
        RightsDeadlines deadlines = new RightsDeadlines(store, cancellations, calendar);

        Instant t = Instant.parse("2026-02-14T02:00:00Z"); // Saturday 10:00 in Beijing, a make-up working day
        Instant due = deadlines.deadline(t);
        assertThat(due).isEqualTo(t.plus(Duration.ofDays(7)));
        store.insert(new RightsStore.Request("open-1", "benvolio", "correction", t, t, null, due, null, 0, null, null),
                null, new byte[] {1});
        store.insert(new RightsStore.Request("done-1", "benvolio", "correction", t, t, t, due, null, 0, "done", null),
                null, new byte[] {2});
        Instant erasureDue = im.tongyou.server.privacy.Cancellations.deadline(calendar, t);
        assertThat(erasureDue).isEqualTo(t.plus(Duration.ofHours(24)));
        cancellations.all.add(new CancellationRequests.Request("cx-1", "rosaline", "admin:desk@localhost", t, t, null,
                erasureDue));
        cancellations.all.add(new CancellationRequests.Request("cx-2", null, "self", t, t, t.plusSeconds(60),
                erasureDue));

        assertThat(deadlines.check(t.plus(Duration.ofHours(24))).none()).as("everything is within its deadline").isTrue();

        RightsDeadlines.Overdue late = deadlines.report(t.plus(Duration.ofHours(24)).plusSeconds(1));
        assertThat(late.cancellationsPastDeadline()).containsExactly("cx-1");
        assertThat(late.pastDeadline()).isEmpty();

        RightsDeadlines.Overdue week = deadlines.check(due.plusSeconds(1));
        assertThat(week.pastDeadline()).containsExactly("open-1");
        assertThat(week.pastCap()).isEmpty();

        // 15 working days after Saturday 14 Feb: Feb 24-27 (4), Feb 28 (make-up, 5), Mar 2-6 (10), Mar 9-13 (15).
        Instant cap = calendar.endOfWorkingDays(t, WorkingCalendar.CAP_WORKING_DAYS);
        assertThat(cap).isEqualTo(Instant.parse("2026-03-13T16:00:00Z"));
        assertThat(deadlines.check(cap).pastCap()).isEmpty();
        assertThat(deadlines.check(cap.plusSeconds(1)).pastCap()).containsExactlyInAnyOrder("open-1", "cx-1");
    }
}
