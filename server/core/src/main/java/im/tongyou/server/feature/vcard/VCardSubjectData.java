package im.tongyou.server.feature.vcard;

import im.tongyou.api.privacy.SubjectDataProvider;
import java.util.Map;
import java.util.Set;
import org.dom4j.Element;
import org.dom4j.QName;

/** The vCard and profile settings as a store of personal data: exported whole (JSON and XEP-0227), erased whole. */
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

    /** XEP-0227 §4.5: the user's {@code <vCard xmlns='vcard-temp'/>}, as stored. */
    @Override
    public void exportPortable(String username, Element user) {
        Element vcard = store.get(username).vcard();
        if (vcard != null) {
            user.add(vcard.createCopy());
        }
    }

    /** Stores the vCard as a vCard set would; one with a PHOTO that is not Base64 is skipped. */
    @Override
    public void importPortable(String username, Element user) {
        Element vcard = user.element(QName.get("vCard", VCardElement.NS));
        if (vcard == null) {
            return;
        }
        Element copy = vcard.createCopy();
        String photoHash;
        try {
            photoHash = VCardElement.photoHash(copy);
        } catch (IllegalArgumentException e) {
            return;
        }
        store.update(username, entry -> new VCardStore.Entry(copy, photoHash, entry.visibility(), entry.gender()));
    }
}
