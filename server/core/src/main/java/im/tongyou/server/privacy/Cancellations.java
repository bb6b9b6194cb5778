package im.tongyou.server.privacy;

import im.tongyou.api.AccountException;
import im.tongyou.api.AccountState;
import im.tongyou.api.privacy.AuditLog;
import im.tongyou.api.privacy.CancellationRequests;
import im.tongyou.api.privacy.Crypto;
import im.tongyou.api.privacy.SubjectDataProvider;
import im.tongyou.server.account.AccountStore;
import im.tongyou.server.storage.Jdbc;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmpp.packet.JID;

/**
 * Account cancellation (注销; privacy requirements R-DSR-4, decisions 3 and 6, AC-13, AC-15): the
 * account becomes {@link AccountState#CANCELLED} at once (its sessions end, logins are refused) and
 * its name is retired for good; then a resumable job erases it from every store of personal data,
 * newest store first, recording each store it finished in {@code privacy_erasure_step}, so that a
 * failure or a restart resumes where it stopped. Before erasing, each store re-addresses what other
 * users keep about the user (archive copies) to a random tombstone address. The erasure must end
 * within {@link #DEADLINE} of the request. When it ends, the job's row keeps no name and no
 * tombstone: only the pseudonym the audit trail uses. The row is also the cancellation's rights
 * request record ({@link CancellationRequests}, AC-26): received, verified, responded (the erasure's
 * end) and deadline.
 */
public final class Cancellations implements CancellationRequests {

    private static final Logger log = LoggerFactory.getLogger(Cancellations.class);
    /** The promise of decision 6: erasure completes within 24 hours. */
    public static final Duration DEADLINE = Duration.ofHours(24);
    /** Keyed-hash purpose of retired names. */
    public static final String RETIRED_NAME = "account-retired-name";

    /**
     * A cancellation as the job sees it.
     *
     * @param id          the row id
     * @param username    the cancelled name ({@code null} once erased)
     * @param tombstone   the address that replaces the user's in others' data ({@code null} once erased)
     * @param requestedAt when the user cancelled
     * @param deadline    when the erasure must have ended
     * @param completedAt when it ended, or {@code null}
     */
    public record Erasure(String id, String username, String tombstone, Instant requestedAt, Instant deadline,
                          Instant completedAt) {
    }

    private final Jdbc jdbc;
    private final AccountStore accounts;
    private final SubjectDataRegistry stores;
    private final HashChainedAuditLog audit;
    private final Crypto crypto;
    private final Clock clock;
    private final String domain;
    private final WorkingCalendar calendar;
    private final ErasureFence fence;
    private final SecureRandom random = new SecureRandom();

    public Cancellations(DataSource dataSource, AccountStore accounts, SubjectDataRegistry stores,
                         HashChainedAuditLog audit, Crypto crypto, Clock clock, String domain,
                         WorkingCalendar calendar, ErasureFence fence) {
        this.jdbc = new Jdbc(dataSource);
        this.accounts = accounts;
        this.stores = stores;
        this.audit = audit;
        this.crypto = crypto;
        this.clock = clock;
        this.domain = domain;
        this.calendar = calendar;
        this.fence = fence;
        // A restart may have interrupted erasures: their accounts stay fenced until they end.
        pending().forEach(e -> fence.fence(e.username()));
    }

    /**
     * A cancellation's deadline: {@link #DEADLINE} (24 hours, decision 6), which also keeps the
     * policy's 5 working days and 7 days (C-22, AC-14) whatever the holidays.
     */
    public static Instant deadline(WorkingCalendar calendar, Instant receivedAt) {
        return calendar.deadlineWithin(receivedAt, DEADLINE);
    }

    /**
     * Cancels the account and runs its erasure at once; if a store fails, the erasure stays pending
     * for {@link #resumePending()}. Returns false when there is no such account or it is cancelled.
     */
    public boolean cancel(String username, String actor) {
        return cancel(username, actor, UUID.randomUUID().toString(), clock.instant());
    }

    @Override
    public boolean cancel(String username, String actor, String id, Instant receivedAt) {
        Optional<Erasure> started = start(username, actor, id, receivedAt);
        started.ifPresent(this::run);
        return started.isPresent();
    }

    /**
     * Marks the account cancelled, retires its name and queues its erasure, without erasing yet.
     * Empty when there is no such account or it is cancelled already.
     */
    public Optional<Erasure> start(String username, String actor) {
        return start(username, actor, UUID.randomUUID().toString(), clock.instant());
    }

    private Optional<Erasure> start(String username, String actor, String id, Instant now) {
        AccountState state = accounts.state(username);
        if (state == null || state == AccountState.CANCELLED) {
            return Optional.empty();
        }
        retire(username); // first: the name is never free again, whatever happens next
        fence.fence(username); // before the sessions start ending: nothing is routed to the account any more
        try {
            accounts.setState(username, AccountState.CANCELLED);
        } catch (AccountException e) {
            fence.lift(username);
            return Optional.empty();
        }
        String tombstone = "deleted-" + HexFormat.of().formatHex(randomBytes(10));
        retire(tombstone);
        Erasure erasure = new Erasure(id, username, new JID(tombstone, domain, null).toBareJID(), now,
                deadline(calendar, now), null);
        // Identity: the user's authenticated stream, or an administrator's; the system verifies no one.
        Instant verified = AuditLog.SYSTEM.equals(actor) ? null : now;
        jdbc.update("INSERT INTO privacy_erasure (id, username, subject_ref, tombstone, actor, requested_at, "
                + "verified_at, deadline_at, attempts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0)", erasure.id(), username,
                audit.subjectRef(username), erasure.tombstone(), actor, now, verified, erasure.deadline());
        audit.append(actor, "account.cancelled", username, Map.of("erasure", erasure.id(),
                "deadline", erasure.deadline().toString()));
        log.info("account {} cancelled by {}: sessions ended, erasure {} due by {}", username, actor, erasure.id(),
                erasure.deadline());
        return Optional.of(erasure);
    }

    /** Runs every erasure that has not ended, oldest first; returns how many ended now. */
    public int resumePending() {
        int ended = 0;
        for (Erasure e : pending()) {
            if (clock.instant().isAfter(e.deadline())) {
                log.error("the erasure {} of a cancelled account is past its deadline of {}", e.id(), e.deadline());
            }
            if (run(e)) {
                ended++;
            }
        }
        return ended;
    }

    /** The erasures that have not ended. */
    public List<Erasure> pending() {
        return jdbc.query("SELECT id, username, tombstone, requested_at, deadline_at, completed_at FROM privacy_erasure "
                + "WHERE completed_at IS NULL ORDER BY requested_at", Cancellations::erasure);
    }

    /** An erasure by id. */
    public Optional<Erasure> find(String id) {
        return jdbc.queryOne("SELECT id, username, tombstone, requested_at, deadline_at, completed_at FROM privacy_erasure "
                + "WHERE id = ?", Cancellations::erasure, id);
    }

    private static final String REQUEST = "SELECT id, username, actor, requested_at, verified_at, completed_at, "
            + "deadline_at FROM privacy_erasure ";

    @Override
    public List<Request> open() {
        return jdbc.query(REQUEST + "WHERE completed_at IS NULL ORDER BY requested_at, id", Cancellations::request);
    }

    @Override
    public Optional<Request> ofUser(String username) {
        return jdbc.queryOne(REQUEST + "WHERE username = ?", Cancellations::request, username);
    }

    @Override
    public Optional<Request> byId(String id) {
        return jdbc.queryOne(REQUEST + "WHERE id = ?", Cancellations::request, id);
    }

    @Override
    public List<Request> recent(int limit) {
        return jdbc.query(REQUEST + "ORDER BY requested_at DESC, id FETCH FIRST " + Math.max(0, limit) + " ROWS ONLY",
                Cancellations::request);
    }

    private static Request request(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Request(rs.getString(1), rs.getString(2), rs.getString(3),
                instant(rs.getObject(4, OffsetDateTime.class)), instant(rs.getObject(5, OffsetDateTime.class)),
                instant(rs.getObject(6, OffsetDateTime.class)), instant(rs.getObject(7, OffsetDateTime.class)));
    }

    /** The stores an erasure has finished, by name. */
    public Set<String> finishedStores(String id) {
        return Set.copyOf(jdbc.query("SELECT provider FROM privacy_erasure_step WHERE erasure_id = ?",
                rs -> rs.getString(1), id));
    }

    /** The keyed hash under which a name is retired. */
    public byte[] retiredNameHash(String username) {
        return crypto.keyedHash(RETIRED_NAME, username);
    }

    /** Erases what is left of one erasure; true when it ended. */
    private synchronized boolean run(Erasure erasure) {
        if (find(erasure.id()).map(e -> e.completedAt() != null).orElse(true)) {
            return false; // ended meanwhile
        }
        jdbc.update("UPDATE privacy_erasure SET attempts = attempts + 1 WHERE id = ?", erasure.id());
        // Every session of the account ends and its queued work is done before the first store is erased.
        fence.quiesce(erasure.username());
        Set<String> done = finishedStores(erasure.id());
        JID tombstone = new JID(erasure.tombstone());
        List<SubjectDataProvider> order = new ArrayList<>(stores.providers());
        Collections.reverse(order); // the core's account store, registered first, goes last
        String failure = null;
        for (SubjectDataProvider store : order) {
            if (done.contains(store.name())) {
                continue;
            }
            try {
                store.pseudonymise(erasure.username(), tombstone);
                store.erase(erasure.username());
                jdbc.update("INSERT INTO privacy_erasure_step (erasure_id, provider, done_at) VALUES (?, ?, ?)",
                        erasure.id(), store.name(), clock.instant());
            } catch (RuntimeException e) {
                log.error("erasure {}: store '{}' failed; the job will resume it", erasure.id(), store.name(), e);
                failure = failure == null ? store.name() + ": " + e.getClass().getSimpleName() : failure;
            }
        }
        if (failure != null) {
            jdbc.update("UPDATE privacy_erasure SET last_error = ? WHERE id = ?", failure, erasure.id());
            audit.append(AuditLog.SYSTEM, "account.erasure.incomplete", erasure.username(),
                    Map.of("erasure", erasure.id(), "failed", failure));
            return false;
        }
        Instant now = clock.instant();
        jdbc.update("UPDATE privacy_erasure SET completed_at = ?, username = NULL, tombstone = NULL, last_error = NULL "
                + "WHERE id = ?", now, erasure.id());
        audit.append(AuditLog.SYSTEM, "account.erasure.completed", erasure.username(), Map.of("erasure", erasure.id(),
                "stores", Integer.toString(finishedStores(erasure.id()).size()),
                "withinDeadline", Boolean.toString(!now.isAfter(erasure.deadline()))));
        fence.lift(erasure.username());
        log.info("erasure {} of a cancelled account completed", erasure.id());
        return true;
    }

    private void retire(String name) {
        accounts.retire(retiredNameHash(name));
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static Erasure erasure(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Erasure(rs.getString(1), rs.getString(2), rs.getString(3), instant(rs.getObject(4, OffsetDateTime.class)),
                instant(rs.getObject(5, OffsetDateTime.class)), instant(rs.getObject(6, OffsetDateTime.class)));
    }

    private static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }
}
