package im.tongyou.server.privacy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import im.tongyou.api.privacy.AuditLog;
import im.tongyou.api.privacy.Crypto;
import im.tongyou.server.storage.Jdbc;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * {@link AuditLog} on the table {@code audit_log}: each row's hash is SHA-256 over the previous
 * row's hash and the row's own fields (length-prefixed, so no two field lists encode alike); the
 * first row follows the newest {@code audit_log_anchor} (the genesis of zeros, or the last row the
 * retention purge removed). Triggers on H2 ({@link AuditLogGuard}) and PostgreSQL refuse UPDATE,
 * and DELETE of rows younger than three years. Appends are serialised in this process; another
 * process appending at once (the command line while the server runs uses the admin socket instead)
 * would meet the primary key and retry.
 */
public final class HashChainedAuditLog implements AuditLog {

    /** The hash before the first row ever written. */
    static final String GENESIS = "0".repeat(64);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COLUMNS = "seq, created_at, actor, action, subject_ref, details, hash";

    private final Jdbc jdbc;
    private final Crypto crypto;
    private final Clock clock;
    private final Object appendLock = new Object();

    public HashChainedAuditLog(DataSource dataSource, Crypto crypto, Clock clock) {
        this.jdbc = new Jdbc(dataSource);
        this.crypto = crypto;
        this.clock = clock;
    }

    @Override
    public Entry append(String actor, String action, String subject, Map<String, String> details) {
        if (actor == null || actor.isBlank() || action == null || action.isBlank()) {
            throw new IllegalArgumentException("an audit row needs an actor and an action");
        }
        String ref = subject == null ? null : subjectRef(subject);
        String detailJson = toJson(details == null ? Map.of() : details);
        Instant at = clock.instant().truncatedTo(ChronoUnit.MICROS);
        synchronized (appendLock) {
            for (int attempt = 0; ; attempt++) {
                try {
                    return jdbc.inTransaction(c -> {
                        Head head = head(c);
                        long seq = head.sequence() + 1;
                        String hash = hash(head.hash(), seq, at, actor, action, ref, detailJson);
                        Jdbc.update(c, "INSERT INTO audit_log (seq, created_at, actor, action, subject_ref, details, "
                                + "prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", seq, at, actor, action, ref,
                                detailJson, head.hash(), hash);
                        return new Entry(seq, at, actor, action, ref, fromJson(detailJson), hash);
                    });
                } catch (RuntimeException e) {
                    if (attempt >= 3) {
                        throw e;
                    }
                }
            }
        }
    }

    @Override
    public List<Entry> forSubject(String username) {
        return jdbc.query("SELECT " + COLUMNS + " FROM audit_log WHERE subject_ref = ? ORDER BY seq",
                HashChainedAuditLog::entry, subjectRef(username));
    }

    @Override
    public List<Entry> latest(int limit) {
        List<Entry> rows = new java.util.ArrayList<>(jdbc.query("SELECT " + COLUMNS
                + " FROM audit_log ORDER BY seq DESC FETCH FIRST ? ROWS ONLY", HashChainedAuditLog::entry,
                Math.max(0, limit)));
        java.util.Collections.reverse(rows);
        return rows;
    }

    @Override
    public Verification verify() {
        return jdbc.inTransaction(c -> {
            Optional<Head> anchor = Jdbc.query(c, "SELECT seq, hash FROM audit_log_anchor ORDER BY seq DESC "
                    + "FETCH FIRST 1 ROWS ONLY", rs -> new Head(rs.getLong(1), rs.getString(2))).stream().findFirst();
            String previous = anchor.map(Head::hash).orElse(GENESIS);
            long expected = anchor.map(Head::sequence).orElse(0L) + 1;
            long rows = 0;
            for (Row row : Jdbc.query(c, "SELECT " + COLUMNS + ", prev_hash FROM audit_log ORDER BY seq",
                    rs -> new Row(entry(rs), rs.getString(8)))) {
                rows++;
                Entry e = row.entry();
                if (e.sequence() != expected) {
                    return new Verification(false, rows, e.sequence(), "row " + expected + " is missing");
                }
                if (!previous.equals(row.prevHash())) {
                    return new Verification(false, rows, e.sequence(), "the row does not follow the previous one");
                }
                String recomputed = hash(previous, e.sequence(), e.at(), e.actor(), e.action(), e.subjectRef(),
                        toJson(e.details()));
                if (!recomputed.equals(e.hash())) {
                    return new Verification(false, rows, e.sequence(), "the row's fields do not match its hash");
                }
                previous = e.hash();
                expected++;
            }
            return new Verification(true, rows, 0, null);
        });
    }

    /**
     * Deletes the rows made before the cutoff, oldest first, moving the anchor to the last one
     * removed so that the rest still verifies; returns how many went. The database refuses to delete
     * rows younger than three years whatever the cutoff.
     */
    public long purgeBefore(Instant cutoff) {
        synchronized (appendLock) {
            return jdbc.inTransaction(c -> {
                List<Head> due = Jdbc.query(c, "SELECT seq, hash FROM audit_log WHERE created_at < ? ORDER BY seq DESC "
                        + "FETCH FIRST 1 ROWS ONLY", rs -> new Head(rs.getLong(1), rs.getString(2)), cutoff);
                if (due.isEmpty()) {
                    return 0L;
                }
                Head last = due.get(0);
                Jdbc.update(c, "INSERT INTO audit_log_anchor (seq, hash, purged_at) VALUES (?, ?, ?)",
                        last.sequence(), last.hash(), clock.instant());
                return (long) Jdbc.update(c, "DELETE FROM audit_log WHERE seq <= ?", last.sequence());
            });
        }
    }

    /** When the oldest row was written. */
    public Optional<Instant> oldest() {
        return jdbc.queryOne("SELECT MIN(created_at) FROM audit_log",
                rs -> Optional.ofNullable(rs.getObject(1, OffsetDateTime.class)).map(OffsetDateTime::toInstant))
                .flatMap(o -> o);
    }

    /** The pseudonym of a subject in the trail: a keyed hash of the username, as hex. */
    public String subjectRef(String username) {
        return HexFormat.of().formatHex(crypto.keyedHash("audit-subject", username), 0, 16);
    }

    private Head head(Connection c) throws SQLException {
        List<Head> last = Jdbc.query(c, "SELECT seq, hash FROM audit_log ORDER BY seq DESC FETCH FIRST 1 ROWS ONLY",
                rs -> new Head(rs.getLong(1), rs.getString(2)));
        if (!last.isEmpty()) {
            return last.get(0);
        }
        return Jdbc.query(c, "SELECT seq, hash FROM audit_log_anchor ORDER BY seq DESC FETCH FIRST 1 ROWS ONLY",
                rs -> new Head(rs.getLong(1), rs.getString(2))).stream().findFirst().orElse(new Head(0, GENESIS));
    }

    static String hash(String previous, long seq, Instant at, String actor, String action, String subjectRef,
                       String detailJson) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String field : new String[] {previous, Long.toString(seq), at.truncatedTo(ChronoUnit.MICROS).toString(),
                    actor, action, subjectRef == null ? "" : subjectRef, detailJson}) {
                byte[] bytes = field.getBytes(StandardCharsets.UTF_8);
                sha.update((bytes.length + ":").getBytes(StandardCharsets.US_ASCII));
                sha.update(bytes);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    private static Entry entry(ResultSet rs) throws SQLException {
        return new Entry(rs.getLong(1), rs.getObject(2, OffsetDateTime.class).toInstant(), rs.getString(3),
                rs.getString(4), rs.getString(5), fromJson(rs.getString(6)), rs.getString(7));
    }

    /** Canonical JSON: keys sorted, so the same details always hash alike. */
    private static String toJson(Map<String, String> details) {
        try {
            return JSON.writeValueAsString(new TreeMap<>(details));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("audit details cannot be written as JSON", e);
        }
    }

    private static Map<String, String> fromJson(String json) {
        try {
            return java.util.Collections.unmodifiableMap(JSON.readValue(json, new TypeReference<TreeMap<String, String>>() { }));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an audit row's details are not JSON", e);
        }
    }

    private record Head(long sequence, String hash) {
    }

    private record Row(Entry entry, String prevHash) {
    }
}
