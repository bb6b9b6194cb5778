package im.tongyou.server.feature.register;

import im.tongyou.server.storage.Jdbc;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The only code that touches {@code register_sms_code}: pending SMS codes as keyed hashes, the
 * newest per number counting (a new code replaces the older ones), purged once expired.
 */
final class SmsCodeStore {

    /**
     * A code row.
     *
     * @param id        the row id
     * @param codeHash  the keyed hash of number and code
     * @param createdAt when the code was sent
     * @param expiresAt when it stops being valid
     * @param attempts  wrong entries so far
     * @param usedAt    when it was used, or {@code null}
     */
    record Code(String id, byte[] codeHash, Instant createdAt, Instant expiresAt, int attempts, Instant usedAt) {
    }

    private final Jdbc jdbc;

    SmsCodeStore(DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource);
    }

    /** Stores a new code for the number, replacing the number's older codes; returns its id. */
    String replace(byte[] phoneHash, byte[] codeHash, Instant createdAt, Instant expiresAt) {
        String id = UUID.randomUUID().toString();
        jdbc.inTransaction(c -> {
            Jdbc.update(c, "DELETE FROM register_sms_code WHERE phone_hash = ?", (Object) phoneHash);
            Jdbc.update(c, "INSERT INTO register_sms_code (id, phone_hash, code_hash, created_at, expires_at, attempts) "
                    + "VALUES (?, ?, ?, ?, ?, 0)", id, phoneHash, codeHash, createdAt, expiresAt);
            return null;
        });
        return id;
    }

    /** The number's newest code. */
    Optional<Code> latest(byte[] phoneHash) {
        List<Code> codes = forPhone(phoneHash);
        return codes.isEmpty() ? Optional.empty() : Optional.of(codes.get(0));
    }

    /** The number's codes, newest first. */
    List<Code> forPhone(byte[] phoneHash) {
        return jdbc.query("SELECT id, code_hash, created_at, expires_at, attempts, used_at FROM register_sms_code "
                + "WHERE phone_hash = ? ORDER BY created_at DESC", rs -> new Code(rs.getString(1), rs.getBytes(2),
                instant(rs.getObject(3, OffsetDateTime.class)), instant(rs.getObject(4, OffsetDateTime.class)),
                rs.getInt(5), instant(rs.getObject(6, OffsetDateTime.class))), (Object) phoneHash);
    }

    /** Counts a wrong entry; returns the attempts now recorded. */
    int countAttempt(String id) {
        jdbc.update("UPDATE register_sms_code SET attempts = attempts + 1 WHERE id = ?", id);
        return jdbc.queryOne("SELECT attempts FROM register_sms_code WHERE id = ?", rs -> rs.getInt(1), id).orElse(0);
    }

    /** Marks the code used; false when it already was (a concurrent use won). */
    boolean markUsed(String id, Instant at) {
        return jdbc.update("UPDATE register_sms_code SET used_at = ? WHERE id = ? AND used_at IS NULL", at, id) == 1;
    }

    /** Deletes the number's codes. */
    int deleteForPhone(byte[] phoneHash) {
        return jdbc.update("DELETE FROM register_sms_code WHERE phone_hash = ?", (Object) phoneHash);
    }

    /** Deletes codes that expired before the time; returns how many. */
    int purgeExpired(Instant now) {
        return jdbc.update("DELETE FROM register_sms_code WHERE expires_at <= ?", now);
    }

    /** When the oldest stored code was sent, for the retention report. */
    Optional<Instant> oldestCreated() {
        return jdbc.queryOne("SELECT MIN(created_at) FROM register_sms_code",
                rs -> instant(rs.getObject(1, OffsetDateTime.class)));
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
