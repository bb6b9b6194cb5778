package im.tongyou.server.privacy;

import im.tongyou.api.privacy.AuditLog;
import im.tongyou.api.privacy.SubjectDataProvider;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The audit trail as a store of personal data: the user sees the rows about them (who did what
 * with their data, R-DSR-1, R-DSR-6); erasure keeps them, since the trail is the record of
 * processing the law asks to keep (PIPL art. 56 proposes three years) and names the user only by a
 * pseudonym. The rows go with the retention purge after at least three years.
 */
public final class AuditSubjectData implements SubjectDataProvider {

    private final HashChainedAuditLog audit;

    public AuditSubjectData(HashChainedAuditLog audit) {
        this.audit = audit;
    }

    @Override
    public String name() {
        return "audit";
    }

    @Override
    public Set<String> retentionCategories() {
        return Set.of("audit", "erasure-record");
    }

    @Override
    public String purpose() {
        return "Record of processing: privacy-relevant actions about the user, under a pseudonym (legal obligation).";
    }

    @Override
    public Set<String> tables() {
        return Set.of("audit_log", "audit_log_anchor", "privacy_erasure", "privacy_erasure_step", "account_retired");
    }

    @Override
    public Map<String, Object> export(String username) {
        List<Object> rows = audit.forSubject(username).stream().map(e -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("at", e.at().toString());
            row.put("actor", e.actor());
            row.put("action", e.action());
            row.put("details", e.details());
            return (Object) row;
        }).toList();
        Map<String, Object> export = new LinkedHashMap<>();
        export.put("entries", rows);
        return export;
    }

    /** Kept: legal obligation (record of processing), pseudonymised; see the class comment. */
    @Override
    public void erase(String username) {
        // nothing to erase: the rows carry only the subject's pseudonym
    }

    /** The pseudonym the rows carry, for tests. */
    String subjectRef(String username) {
        return audit.subjectRef(username);
    }

    static boolean isActor(AuditLog.Entry e, String actor) {
        return actor.equals(e.actor());
    }
}
