package im.tongyou.consent;

import im.tongyou.api.privacy.Purpose;
import java.time.Instant;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The only code that touches {@code consent_policy} and {@code consent_policy_purpose}: published
 * policy versions, which are inserted once and never changed (R-POL-1).
 */
final class PolicyStore {

    /**
     * A published version of a policy document.
     *
     * @param document    {@code privacy} or {@code children}
     * @param version     for example {@code V4.2.7}
     * @param seq         the order of publication, across documents
     * @param effectiveAt when it takes effect
     * @param publishedAt when it was published
     * @param material    whether it changes purposes, methods or data (policy 九; R-POL-2)
     * @param sha256      the SHA-256 of its text's UTF-8 bytes
     * @param publishedBy the administrator's bare JID, or {@code system}
     */
    record Version(String document, String version, int seq, Instant effectiveAt, Instant publishedAt,
                   boolean material, String sha256, String publishedBy) {
    }

    /**
     * What a privacy policy version says about one purpose.
     *
     * @param purpose the purpose
     * @param text    the just-in-time notice shown before asking
     * @param hash    its SHA-256
     * @param changed whether this version adds the purpose or changes its terms
     */
    record Notice(Purpose purpose, String text, String hash, boolean changed) {
    }

    private final Sql sql;

    PolicyStore(DataSource dataSource) {
        this.sql = new Sql(dataSource);
    }

    List<Version> versions() {
        return sql.query("SELECT policy_doc, policy_version, seq, effective_at, published_at, material, sha256, "
                + "published_by FROM consent_policy ORDER BY seq", rs -> new Version(rs.getString(1), rs.getString(2),
                rs.getInt(3), Sql.instant(rs, 4), Sql.instant(rs, 5), rs.getBoolean(6), rs.getString(7),
                rs.getString(8)));
    }

    Optional<String> body(String document, String version) {
        return sql.one("SELECT body FROM consent_policy WHERE policy_doc = ? AND policy_version = ?",
                rs -> rs.getString(1), document, version);
    }

    Map<Purpose, Notice> notices(String version) {
        Map<Purpose, Notice> notices = new EnumMap<>(Purpose.class);
        for (Object[] row : sql.query("SELECT purpose, notice, notice_hash, changed FROM consent_policy_purpose "
                + "WHERE policy_version = ?", rs -> new Object[] {rs.getString(1), rs.getString(2), rs.getString(3),
                rs.getBoolean(4)}, version)) {
            Purpose.fromId((String) row[0]).ifPresent(p -> notices.put(p,
                    new Notice(p, (String) row[1], (String) row[2], (Boolean) row[3])));
        }
        return notices;
    }

    /** Publishes a version with its notices in one transaction; false when the version exists. */
    boolean insert(Version v, String body, Collection<Notice> notices) {
        try {
            return sql.tx(c -> {
                Sql.update(c, "INSERT INTO consent_policy (policy_doc, policy_version, seq, effective_at, published_at, "
                        + "material, sha256, body, published_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", v.document(),
                        v.version(), v.seq(), v.effectiveAt(), v.publishedAt(), v.material(), v.sha256(), body,
                        v.publishedBy());
                for (Notice n : notices) {
                    Sql.update(c, "INSERT INTO consent_policy_purpose (policy_version, purpose, notice, notice_hash, "
                            + "changed) VALUES (?, ?, ?, ?, ?)", v.version(), n.purpose().id(), n.text(), n.hash(),
                            n.changed());
                }
                return true;
            });
        } catch (Sql.Failure e) {
            if ("23505".equals(e.sqlState())) {
                return false;
            }
            throw e;
        }
    }
}
