package im.tongyou.server.feature.rights;

import im.tongyou.api.privacy.SubjectDataProvider;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The user's rights requests as a store of personal data. */
final class RightsSubjectData implements SubjectDataProvider {

    private final RightsStore store;

    RightsSubjectData(RightsStore store) {
        this.store = store;
    }

    @Override
    public String name() {
        return "rights";
    }

    @Override
    public String purpose() {
        return "Answering rights requests: when each export was asked for, verified, answered and downloaded "
                + "(legal obligation, PIPL art. 50).";
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
            m.put("downloads", r.downloads());
            return (Object) m;
        }).toList();
        Map<String, Object> export = new LinkedHashMap<>();
        export.put("requests", requests);
        return export;
    }

    @Override
    public void erase(String username) {
        store.erase(username);
    }
}
