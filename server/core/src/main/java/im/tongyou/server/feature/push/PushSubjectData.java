package im.tongyou.server.feature.push;

import im.tongyou.api.privacy.SubjectDataProvider;
import java.util.Map;
import java.util.Set;

/** Push registrations and devices as personal data: exported, and erased with the account (XEP-0357 §6's disable for all). */
final class PushSubjectData implements SubjectDataProvider {

    private final PushStore store;

    PushSubjectData(PushStore store) {
        this.store = store;
    }

    @Override
    public String name() {
        return "push";
    }

    @Override
    public String purpose() {
        return "Push notifications (XEP-0357): the user's push registrations and device tokens, to wake the app when a message arrives (notifications the user enabled); removed on disable and after disuse.";
    }

    @Override
    public Set<String> tables() {
        return Set.of("push_registration", "push_device");
    }

    @Override
    public Map<String, Object> export(String username) {
        return store.export(username);
    }

    @Override
    public void erase(String username) {
        store.erase(username);
    }
}
