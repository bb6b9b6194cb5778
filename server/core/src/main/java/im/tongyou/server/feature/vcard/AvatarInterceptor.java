package im.tongyou.server.feature.vcard;

import im.tongyou.api.Interceptor;
import im.tongyou.api.Verdict;
import org.dom4j.Element;
import org.dom4j.QName;
import org.xmpp.packet.JID;
import org.xmpp.packet.Presence;

/**
 * Puts the hash of the user's vCard photo into the available presence a local user sends
 * (XEP-0153 §3.1), on the user's behalf as XEP-0398 §5 describes: "services MUST include the hash on
 * behalf of their users in every available presence that does not contain an empty photo element
 * ... Empty x elements ... MUST be overwritten. Presences where the content of the photo element is
 * not empty and not equal to the hash calculated by the service MAY be overwritten" (they are: the
 * stored vCard is the truth). With no photo the element says so with an empty {@code <photo/>}.
 * Runs before the presence broadcast, so every copy, and the session's last presence, carry it.
 */
final class AvatarInterceptor implements Interceptor<Presence> {

    static final String NS = "vcard-temp:x:update";

    private final VCardStore store;
    private final String domain;

    AvatarInterceptor(VCardStore store, String domain) {
        this.store = store;
        this.domain = domain;
    }

    @Override
    public Verdict intercept(Presence presence) {
        JID from = presence.getFrom();
        if (presence.getType() != null || from == null || from.getNode() == null || !domain.equals(from.getDomain())) {
            return Verdict.CONTINUE; // only a local user's available presence
        }
        Element root = presence.getElement();
        Element x = root.element(QName.get("x", NS));
        Element photo = x == null ? null : x.element(QName.get("photo", NS));
        if (photo != null && photo.getTextTrim().isEmpty()) {
            return Verdict.CONTINUE; // the client's own "no avatar" (XEP-0398 §5)
        }
        String hash = store.photoHash(from.getNode()).orElse("");
        if (x == null) {
            x = root.addElement(QName.get("x", NS));
        }
        if (photo == null) {
            photo = x.addElement(QName.get("photo", NS));
        }
        photo.setText(hash);
        return Verdict.CONTINUE;
    }
}
