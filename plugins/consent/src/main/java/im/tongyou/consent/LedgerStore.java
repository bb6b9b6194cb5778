package im.tongyou.consent;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The only code that touches {@code consent_subject}, {@code consent_ledger},
 * {@code consent_ledger_head} and {@code consent_ledger_purged}. Rows are only ever inserted into
 * the ledger; the one DELETE is the purge of a pseudonymised subject's rows at the end of their
 * retention, which the database's trigger allows for such rows only.
 */
final class LedgerStore {

    private static final String COLUMNS = "seq, prev_hash, row_hash, subject_id, actor, actor_id, purpose, action, "
            + "consent_type, policy_doc, policy_version, policy_sha256, notice_hash, recorded_at, channel, "
            + "app_version, locale, withdraws";

    /** The end of the chain. */
    record Head(long seq, String hash) {
    }

    private final Sql sql;

    LedgerStore(DataSource dataSource) {
        this.sql = new Sql(dataSource);
    }

    /** The subject id of a user who has one. */
    Optional<String> subjectOf(String username) {
        return sql.one("SELECT subject_id FROM consent_subject WHERE username = ?", rs -> rs.getString(1), username);
    }

    /** The subject id of a user, created on first use. */
    String subjectFor(String username, Instant now) {
        Optional<String> known = subjectOf(username);
        if (known.isPresent()) {
            return known.get();
        }
        String id = UUID.randomUUID().toString();
        try {
            sql.update("INSERT INTO consent_subject (subject_id, username, created_at) VALUES (?, ?, ?)", id, username, now);
            return id;
        } catch (Sql.Failure e) {
            // another thread created it meanwhile (unique username)
            return subjectOf(username).orElseThrow(() -> e);
        }
    }

    /** Unlinks a user's rows from the username (decision 8); true when there was a link. */
    boolean pseudonymise(String username, Instant now) {
        return sql.update("UPDATE consent_subject SET username = NULL, pseudonymised_at = ? WHERE username = ?",
                now, username) > 0;
    }

    /** The subjects pseudonymised before the cutoff whose rows are still stored. */
    List<String> pseudonymisedBefore(Instant cutoff) {
        return sql.query("SELECT s.subject_id FROM consent_subject s WHERE s.username IS NULL "
                + "AND s.pseudonymised_at < ? AND EXISTS (SELECT 1 FROM consent_ledger l WHERE l.subject_id = s.subject_id)",
                rs -> rs.getString(1), cutoff);
    }

    /** Appends a row at the end of the chain, in one transaction that holds the head's lock. */
    LedgerEntry append(LedgerEntry.Draft draft) {
        return sql.tx(c -> {
            Head head = Sql.query(c, "SELECT last_seq, last_hash FROM consent_ledger_head WHERE id = 1 FOR UPDATE",
                    rs -> new Head(rs.getLong(1), rs.getString(2))).get(0);
            LedgerEntry e = draft.chain(head.seq() + 1, head.hash());
            Sql.update(c, "INSERT INTO consent_ledger (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    e.seq(), e.prevHash(), e.hash(), e.subjectId(), e.actor(), e.actorId(), e.topic(), e.action(),
                    e.type(), e.policyDoc(), e.policyVersion(), e.policySha256(), e.noticeHash(), e.recordedAt(),
                    e.channel(), e.appVersion(), e.locale(), e.withdraws());
            Sql.update(c, "UPDATE consent_ledger_head SET last_seq = ?, last_hash = ? WHERE id = 1", e.seq(), e.hash());
            return e;
        });
    }

    /** The newest row of a subject about a topic. */
    Optional<LedgerEntry> latest(String subjectId, String topic) {
        return sql.one("SELECT " + COLUMNS + " FROM consent_ledger WHERE subject_id = ? AND purpose = ? "
                + "ORDER BY seq DESC FETCH FIRST 1 ROWS ONLY", LedgerStore::entry, subjectId, topic);
    }

    /** The newest row of each topic of a subject. */
    Map<String, LedgerEntry> latestByTopic(String subjectId) {
        Map<String, LedgerEntry> latest = new TreeMap<>();
        for (LedgerEntry e : sql.query("SELECT " + COLUMNS + " FROM consent_ledger WHERE subject_id = ? ORDER BY seq",
                LedgerStore::entry, subjectId)) {
            latest.put(e.topic(), e);
        }
        return latest;
    }

    /** A subject's rows after a seq, oldest first, at most max. */
    List<LedgerEntry> history(String subjectId, long after, int max) {
        return sql.query("SELECT " + COLUMNS + " FROM consent_ledger WHERE subject_id = ? AND seq > ? ORDER BY seq "
                + "FETCH FIRST ? ROWS ONLY", LedgerStore::entry, subjectId, after, max);
    }

    /** Every row after a seq, in chain order, at most max: the verifier pages through the ledger. */
    List<LedgerEntry> page(long after, int max) {
        return sql.query("SELECT " + COLUMNS + " FROM consent_ledger WHERE seq > ? ORDER BY seq FETCH FIRST ? ROWS ONLY",
                LedgerStore::entry, after, max);
    }

    Head head() {
        return sql.one("SELECT last_seq, last_hash FROM consent_ledger_head WHERE id = 1",
                rs -> new Head(rs.getLong(1), rs.getString(2))).orElseThrow();
    }

    /** The hashes of purged rows by seq. */
    Map<Long, String> purged() {
        Map<Long, String> purged = new TreeMap<>();
        sql.query("SELECT seq, row_hash FROM consent_ledger_purged", rs -> purged.put(rs.getLong(1), rs.getString(2)));
        return purged;
    }

    /** Removes a pseudonymised subject's rows, keeping their hashes for the chain; returns how many. */
    int purge(String subjectId, Instant now) {
        return sql.tx(c -> {
            int n = Sql.update(c, "INSERT INTO consent_ledger_purged (seq, row_hash, purged_at) "
                    + "SELECT seq, row_hash, ? FROM consent_ledger WHERE subject_id = ?", now, subjectId);
            Sql.update(c, "DELETE FROM consent_ledger WHERE subject_id = ?", subjectId);
            return n;
        });
    }

    private static LedgerEntry entry(ResultSet rs) throws SQLException {
        return new LedgerEntry(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                LedgerEntry.Actor.valueOf(rs.getString(5)), rs.getString(6), rs.getString(7),
                LedgerEntry.Action.valueOf(rs.getString(8)), LedgerEntry.Type.valueOf(rs.getString(9)),
                rs.getString(10), rs.getString(11), rs.getString(12), rs.getString(13), Sql.instant(rs, 14),
                LedgerEntry.Channel.valueOf(rs.getString(15)), rs.getString(16), rs.getString(17),
                Sql.nullableLong(rs, 18));
    }
}
