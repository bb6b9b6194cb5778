package im.tongyou.consent;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;

/**
 * One row of the consent ledger (privacy requirements R-CON-2, AC-01; {@code xeps/tongyou-consent.md}
 * §6): who did what about which purpose, under which policy text and notice, when, from where. Rows
 * are chained: {@link #hash} is the SHA-256 of the previous row's hash and this row's fields.
 *
 * @param seq           the position in the chain, from 1
 * @param prevHash      the previous row's hash (64 zeros for the first row)
 * @param hash          this row's hash
 * @param subjectId     the opaque id of the user the row is about (never the username)
 * @param actor         who acted
 * @param actorId       the acting guardian's or administrator's id, or {@code null} for the user and the system
 * @param topic         a purpose id, or {@link #POLICY} (acceptance of a policy document), or {@link #GUARDIAN}
 *                      (a guardian's consent to a child's use of the service)
 * @param action        grant, withdrawal or refusal
 * @param type          separate (单独同意) or general consent
 * @param policyDoc     the policy document the act is under, for example {@code privacy}
 * @param policyVersion its version
 * @param policySha256  the SHA-256 of that version's text
 * @param noticeHash    the SHA-256 of the notice the user was shown, or {@code null}
 * @param recordedAt    the server time, to the millisecond
 * @param channel       where the act came from
 * @param appVersion    the client's version as it declared it, or {@code null}
 * @param locale        the client's language tag, or {@code null}
 * @param withdraws     for a withdrawal, the seq of the grant it ends; otherwise {@code null}
 */
record LedgerEntry(long seq, String prevHash, String hash, String subjectId, Actor actor, String actorId,
                   String topic, Action action, Type type, String policyDoc, String policyVersion,
                   String policySha256, String noticeHash, Instant recordedAt, Channel channel,
                   String appVersion, String locale, Long withdraws) {

    /** The topic of a policy acceptance. */
    static final String POLICY = "policy";
    /** The topic of a guardian's consent to a child's account (儿童规则, R-CHD-4). */
    static final String GUARDIAN = "guardian";
    /** The previous hash of the first row. */
    static final String GENESIS = "0".repeat(64);

    /** Who acted. */
    enum Actor { USER, GUARDIAN, ADMIN, SYSTEM }

    /** What was done. */
    enum Action { GRANT, WITHDRAW, REFUSE }

    /** The kind of consent (R-CON-5). */
    enum Type { SEPARATE, GENERAL }

    /** Where the act came from (R-CON-2); clients declare it, the server's own acts are SERVER. */
    enum Channel {
        ANDROID, IOS, WEB, DESKTOP, CS_PHONE, CS_ONLINE, OTHER, SERVER;

        /** The protocol's lower-case name. */
        String xml() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /** Parses a protocol name; absent means OTHER. */
        static Channel fromXml(String value) {
            if (value == null) {
                return OTHER;
            }
            for (Channel c : values()) {
                if (c.xml().equals(value) && c != SERVER) {
                    return c;
                }
            }
            throw new IllegalArgumentException("unknown channel " + value);
        }
    }

    /**
     * A row to append: everything but its place in the chain.
     */
    record Draft(String subjectId, Actor actor, String actorId, String topic, Action action, Type type,
                 String policyDoc, String policyVersion, String policySha256, String noticeHash, Instant recordedAt,
                 Channel channel, String appVersion, String locale, Long withdraws) {

        /** The row at a place in the chain, with its hash. */
        LedgerEntry chain(long seq, String prevHash) {
            Instant at = Instant.ofEpochMilli(recordedAt.toEpochMilli());
            LedgerEntry unhashed = new LedgerEntry(seq, prevHash, null, subjectId, actor, actorId, topic, action, type,
                    policyDoc, policyVersion, policySha256, noticeHash, at, channel, appVersion, locale, withdraws);
            return unhashed.withHash(unhashed.computeHash());
        }
    }

    private LedgerEntry withHash(String h) {
        return new LedgerEntry(seq, prevHash, h, subjectId, actor, actorId, topic, action, type, policyDoc,
                policyVersion, policySha256, noticeHash, recordedAt, channel, appVersion, locale, withdraws);
    }

    /**
     * The SHA-256 of the previous hash and every field, each written as its length, a colon, the
     * value and a semicolon ({@code -;} for null), so that no two rows encode alike.
     */
    String computeHash() {
        StringBuilder b = new StringBuilder();
        for (Object field : new Object[] {seq, prevHash, subjectId, actor, actorId, topic, action, type, policyDoc,
                policyVersion, policySha256, noticeHash, recordedAt == null ? null : recordedAt.toEpochMilli(),
                channel, appVersion, locale, withdraws}) {
            if (field == null) {
                b.append("-;");
            } else {
                String s = field.toString();
                b.append(s.length()).append(':').append(s).append(';');
            }
        }
        return sha256(b.toString());
    }

    /** Whether the stored hash matches the fields. */
    boolean intact() {
        return computeHash().equals(hash);
    }

    /** Lower-case hex SHA-256 of a text's UTF-8 bytes. */
    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing", e);
        }
    }
}
