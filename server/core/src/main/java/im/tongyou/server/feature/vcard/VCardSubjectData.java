package im.tongyou.server.feature.vcard;

import im.tongyou.api.privacy.SubjectDataProvider;
import java.util.Map;
import java.util.Set;

/** The vCard and profile settings as a store of personal data: exported whole, erased whole. */
final class VCardSubjectData implements SubjectDataProvider {

    private final VCardStore store;

    VCardSubjectData(VCardStore store) {
        this.store = store;
    }

    @Override
    public String name() {
        return "vcard";
    }

    @Override
    public String purpose() {
        return "Profile (XEP-0054, urn:tongyou:profile:0): the vCard, avatar and profile the user publishes to contacts or everyone (core IM, contract).";
    }

    @Override
    public Set<String> tables() {
        return Set.of("vcard_user");
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
