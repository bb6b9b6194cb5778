package im.tongyou.server.feature.offline;

import im.tongyou.api.privacy.SubjectDataProvider;
import java.util.Map;
import java.util.Set;

/** The offline queue as a store of personal data: the waiting messages, decrypted, and their erasure. */
final class OfflineSubjectData implements SubjectDataProvider {

    private final OfflineStore store;

    OfflineSubjectData(OfflineStore store) {
        this.store = store;
    }

    @Override
    public String name() {
        return "offline";
    }

    @Override
    public String purpose() {
        return "Offline delivery (XEP-0160): messages waiting for the user, encrypted, kept until delivered or the retention period (core IM, contract).";
    }

    @Override
    public Set<String> tables() {
        return Set.of("offline_message");
    }

    @Override
    public Map<String, Object> export(String username) {
        return Map.of("messages", store.export(username));
    }

    @Override
    public void erase(String username) {
        store.erase(username);
    }
}
