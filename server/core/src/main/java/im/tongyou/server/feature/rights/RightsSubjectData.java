package im.tongyou.server.feature.rights;

import im.tongyou.api.StanzaErrorException;
import im.tongyou.api.privacy.SubjectDataProvider;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The user's rights requests as a store of personal data (a correction with what it asked for). */
final class RightsSubjectData implements SubjectDataProvider {

    private final RightsStore store;
    private final RightsCorrections corrections;

    RightsSubjectData(RightsStore store, RightsCorrections corrections) {
        this.store = store;
        this.corrections = corrections;
    }

    @Override
    public String name() {
        return "rights";
    }

    @Override
    public String purpose() {
        return "Answering rights requests: when each export or correction was asked for, verified and answered, what a "
                + "correction asked, how it was answered (legal obligation, PIPL art. 50).";
    }

    @Override
    public Set<String> tables() {
        return Set.of("rights_request");
    }

    @Override
    public Map<String, Object> export(String username) {
        List<Object> requests = store.ofUser(username).stream().map(r -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", r.id());
            m.put("kind", r.kind());
            m.put("receivedAt", r.receivedAt().toString());
            m.put("verifiedAt", r.verifiedAt() == null ? null : r.verifiedAt().toString());
            m.put("respondedAt", r.respondedAt() == null ? null : r.respondedAt().toString());
            m.put("deadline", r.deadline().toString());
            m.put("outcome", r.outcome());
            m.put("reason", r.reason());
            if (r.kind().equals("export")) {
                m.put("downloads", r.downloads());
            } else {
                m.put("asked", asked(r));
            }
            return (Object) m;
        }).toList();
        Map<String, Object> export = new LinkedHashMap<>();
        export.put("requests", requests);
        return export;
    }

    private Map<String, Object> asked(RightsStore.Request r) {
        try {
            CorrectionElement c = corrections.detail(r);
            Map<String, Object> asked = new LinkedHashMap<>(c.fields());
            asked.put("other", c.other());
            return asked;
        } catch (StanzaErrorException e) {
            return null;
        }
    }

    @Override
    public void erase(String username) {
        store.erase(username);
    }
}
