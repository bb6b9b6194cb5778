package im.tongyou.api.privacy;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The append-only, hash-chained audit trail of privacy-relevant actions (design guide §6; privacy
 * requirements R-SEC-4, R-CHD-7, AC-10): exports, erasures, cancellations, consent changes, staff
 * reads of personal data. Each row holds the SHA-256 of the previous row and of its own fields, so
 * changing or removing a row breaks the chain that {@link #verify()} checks; the database refuses
 * {@code UPDATE} and {@code DELETE} on the table. Rows are kept at least three years.
 *
 * <p>The subject is stored pseudonymised (a keyed hash of the username), so the trail survives the
 * subject's cancellation without holding the name. Details must hold no plaintext personal data:
 * mask phone numbers and ID numbers with {@link Masking}, never put message bodies, codes or tokens
 * in them. All methods block on the database.
 */
public interface AuditLog {

    /** The actor when the subject acted on their own data. */
    String SELF = "self";
    /** The actor when the server acted by itself (a scheduled job, a deadline). */
    String SYSTEM = "system";

    /** The actor string for an administrator or staff member, for example {@code admin:ops@tongyou.im}. */
    static String admin(String bareJid) {
        return "admin:" + bareJid;
    }

    /**
     * Appends a row.
     *
     * @param actor   who acted: {@link #SELF}, {@link #SYSTEM}, {@link #admin(String)}, {@code guardian},
     *                or another role-qualified id
     * @param action  what happened, dotted lower case, for example {@code rights.export.downloaded}
     * @param subject the username whose data the action concerns, or {@code null}
     * @param details further facts as text (no plaintext personal data); may be empty
     * @return the row as stored
     */
    Entry append(String actor, String action, String subject, Map<String, String> details);

    /** The rows about one user, oldest first. */
    List<Entry> forSubject(String username);

    /** The newest rows, oldest first, at most {@code limit}. */
    List<Entry> latest(int limit);

    /** Walks the whole chain and says whether every row is intact and in place. */
    Verification verify();

    /**
     * One row.
     *
     * @param sequence   the row's position in the chain, from 1
     * @param at         the server time of the action
     * @param actor      who acted
     * @param action     what happened
     * @param subjectRef the pseudonym of the subject (a keyed hash), or {@code null}
     * @param details    further facts
     * @param hash       the row's SHA-256, lower-case hex: of the previous row's hash and this row's fields
     */
    record Entry(long sequence, Instant at, String actor, String action, String subjectRef,
                 Map<String, String> details, String hash) {
    }

    /**
     * The verifier's finding.
     *
     * @param intact       whether every row's hash matches its fields and the previous row
     * @param rows         the rows checked
     * @param brokenAt     the sequence of the first row that does not verify, or 0 when intact
     * @param reason       what is wrong, or {@code null} when intact
     */
    record Verification(boolean intact, long rows, long brokenAt, String reason) {
    }
}
