package im.tongyou.consent;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The only code that touches {@code consent_minor}: children under 14 awaiting or under a guardian's
 * consent, with the guardian's number (encrypted, and a keyed hash for look-ups) and the pending SMS
 * code (a keyed hash only).
 */
final class MinorStore {

    /**
     * A child's row.
     *
     * @param username       the child's account
     * @param pendingSince   when the account began waiting for a guardian
     * @param consentedAt    when a guardian consented, or {@code null}
     * @param guardianId     the opaque id the ledger names the guardian by, or {@code null}
     * @param guardianHash   the keyed hash of the guardian's number, or {@code null}
     * @param guardianEnc    the guardian's number, encrypted under the child's key, or {@code null}
     * @param relationship   {@code parent} or {@code guardian}, or {@code null}
     * @param codeHash       the keyed hash of the pending code, or {@code null}
     * @param codeFor        what the code allows: {@code guardian} or a purpose id
     * @param codeExpiresAt  when the code expires
     * @param codeAttempts   wrong entries so far
     * @param codeSentAt     when the last code was sent
     * @param codesSent      codes sent in the current window
     * @param windowStart    when that window began
     */
    record Minor(String username, Instant pendingSince, Instant consentedAt, String guardianId, byte[] guardianHash,
                 byte[] guardianEnc, String relationship, byte[] codeHash, String codeFor, Instant codeExpiresAt,
                 int codeAttempts, Instant codeSentAt, int codesSent, Instant windowStart) {
    }

    private final Sql sql;
    private final AbsentNames absent = new AbsentNames(100_000, java.util.concurrent.TimeUnit.SECONDS.toNanos(60),
            System::nanoTime);

    MinorStore(DataSource dataSource) {
        this.sql = new Sql(dataSource);
    }

    /**
     * Whether the account has a row, for the check at every login: an account known to have none is
     * not read again until its row is inserted here ({@link AbsentNames}).
     */
    boolean exists(String username) {
        return absent.exists(username, u -> sql.one("SELECT 1 FROM consent_minor WHERE username = ?", rs -> 1, u)
                .isPresent());
    }

    Optional<Minor> find(String username) {
        return sql.one("SELECT username, pending_since, consented_at, guardian_id, guardian_hash, guardian_enc, "
                + "relationship, code_hash, code_for, code_expires_at, code_attempts, code_sent_at, codes_sent, "
                + "codes_window_start FROM consent_minor WHERE username = ?", rs -> new Minor(rs.getString(1),
                Sql.instant(rs, 2), Sql.instant(rs, 3), rs.getString(4), rs.getBytes(5), rs.getBytes(6), rs.getString(7),
                rs.getBytes(8), rs.getString(9), Sql.instant(rs, 10), rs.getInt(11), Sql.instant(rs, 12), rs.getInt(13),
                Sql.instant(rs, 14)), username);
    }

    /** Records a child waiting for a guardian; nothing when it is recorded already. */
    void insertPending(String username, Instant now) {
        try {
            sql.update("INSERT INTO consent_minor (username, pending_since) VALUES (?, ?)", username, now);
        } catch (Sql.Failure e) {
            if (!"23505".equals(e.sqlState())) {
                throw e;
            }
        } finally {
            absent.inserted(username);
        }
    }

    /** Children still waiting for a guardian. */
    List<String> pending() {
        return sql.query("SELECT username FROM consent_minor WHERE consented_at IS NULL", rs -> rs.getString(1));
    }

    /** Children waiting for a guardian since before the cutoff. */
    List<String> pendingBefore(Instant cutoff) {
        return sql.query("SELECT username FROM consent_minor WHERE consented_at IS NULL AND pending_since < ?",
                rs -> rs.getString(1), cutoff);
    }

    /** Children with a guardian's consent. */
    List<String> consented() {
        return sql.query("SELECT username FROM consent_minor WHERE consented_at IS NOT NULL", rs -> rs.getString(1));
    }

    /** How many other children this guardian number stands for. */
    long childrenOf(byte[] guardianHash, String except) {
        return sql.one("SELECT COUNT(*) FROM consent_minor WHERE guardian_hash = ? AND username <> ?",
                rs -> rs.getLong(1), guardianHash, except).orElse(0L);
    }

    void setGuardian(String username, String guardianId, byte[] guardianHash, byte[] guardianEnc) {
        sql.update("UPDATE consent_minor SET guardian_id = ?, guardian_hash = ?, guardian_enc = ? WHERE username = ?",
                guardianId, guardianHash, guardianEnc, username);
    }

    void storeCode(String username, byte[] codeHash, String codeFor, Instant expiresAt, Instant sentAt, int codesSent,
                   Instant windowStart) {
        sql.update("UPDATE consent_minor SET code_hash = ?, code_for = ?, code_expires_at = ?, code_attempts = 0, "
                + "code_sent_at = ?, codes_sent = ?, codes_window_start = ? WHERE username = ?", codeHash, codeFor,
                expiresAt, sentAt, codesSent, windowStart, username);
    }

    void countWrongEntry(String username) {
        sql.update("UPDATE consent_minor SET code_attempts = code_attempts + 1 WHERE username = ?", username);
    }

    void clearCode(String username) {
        sql.update("UPDATE consent_minor SET code_hash = NULL, code_for = NULL, code_expires_at = NULL, "
                + "code_attempts = 0 WHERE username = ?", username);
    }

    void consented(String username, String relationship, Instant at) {
        sql.update("UPDATE consent_minor SET consented_at = ?, relationship = ? WHERE username = ?", at, relationship,
                username);
    }

    void delete(String username) {
        sql.update("DELETE FROM consent_minor WHERE username = ?", username);
    }
}
