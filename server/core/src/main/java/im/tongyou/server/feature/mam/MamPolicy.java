package im.tongyou.server.feature.mam;

import java.util.Set;
import org.dom4j.Element;
import org.dom4j.QName;
import org.xmpp.packet.Message;

/**
 * Which messages a user archive keeps (XEP-0313 §6.1.1: "a server SHOULD include in a user archive
 * all of the messages a user sends or receives of type 'normal' or 'chat' that contain a &lt;body&gt;
 * element"), with the sender's XEP-0334 hints: {@code <no-permanent-store/>} and {@code <no-store/>}
 * keep a message out (§4.1, §4.2), {@code <store/>} puts one in that has no body (§4.4).
 */
final class MamPolicy {

    static final String HINTS = "urn:xmpp:hints";

    /**
     * Conversation payloads that may come without a body and are still part of the conversation:
     * end-to-end encrypted messages (OMEMO, XEP-0384 in both namespaces; OpenPGP, XEP-0374),
     * reactions (XEP-0444) and retractions (XEP-0424).
     */
    private static final Set<String> CONVERSATION = Set.of("eu.siacs.conversations.axolotl", "urn:xmpp:omemo:2",
            "urn:xmpp:openpgp:0", "urn:xmpp:reactions:0", "urn:xmpp:message-retract:1", "urn:xmpp:message-retract:0");

    /** Looked up once: dom4j's QName cache is one synchronized map for the whole server. */
    private static final QName NO_PERMANENT_STORE = QName.get("no-permanent-store", HINTS);
    private static final QName NO_STORE = QName.get("no-store", HINTS);
    private static final QName STORE = QName.get("store", HINTS);

    private MamPolicy() {
    }

    /** Whether the message belongs in the archives of its sender and recipient. */
    static boolean archivable(Message message) {
        Message.Type type;
        try {
            type = message.getType();
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (type == Message.Type.error || type == Message.Type.groupchat) {
            return false;
        }
        Element root = message.getElement();
        if (root.element(NO_PERMANENT_STORE) != null || root.element(NO_STORE) != null) {
            return false;
        }
        if (root.element(STORE) != null) {
            return true;
        }
        if (type == Message.Type.headline) {
            return false; // XEP-0313 §6.1.1: "MAY include ... 'headline', but this is not generally suggested"
        }
        for (Element child : root.elements()) {
            if ("body".equals(child.getName()) && isClient(child.getNamespaceURI()) && !child.getText().isBlank()) {
                return true;
            }
            if (CONVERSATION.contains(child.getNamespaceURI())) {
                return true;
            }
        }
        return false;
    }

    private static boolean isClient(String ns) {
        return ns.isEmpty() || "jabber:client".equals(ns) || "jabber:server".equals(ns);
    }
}
