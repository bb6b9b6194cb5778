package im.tongyou.server.feature.offline;

import java.util.Set;
import org.dom4j.Element;
import org.xmpp.packet.Message;

/**
 * Which messages are worth keeping for an offline user: XEP-0160 §3 by message type, and the
 * sender's XEP-0334 processing hints.
 */
final class OfflinePolicy {

    /** What to do with a message for a user who cannot take it now. */
    enum Decision {
        /** Store it for later delivery. */
        STORE,
        /** Do not store it; the sender learns it was not delivered (RFC 6121 §8.5.2.2.1's error). */
        REFUSE,
        /** Nothing in it is worth keeping or bouncing (typing notifications): discard silently. */
        DISCARD
    }

    static final String HINTS = "urn:xmpp:hints";
    static final String CHAT_STATES = "http://jabber.org/protocol/chatstates";

    /**
     * Payloads that carry no content of their own: chat states (XEP-0160 §3: "messages that contain
     * only Chat State Notifications content ... SHOULD NOT be stored offline"), processing hints,
     * stanza ids (XEP-0359), delays (XEP-0203) and a receipt request (XEP-0184) without a body.
     */
    private static final Set<String> CONTENTLESS = Set.of(CHAT_STATES, HINTS, "urn:xmpp:sid:0", "urn:xmpp:delay",
            "urn:xmpp:receipts#request");

    private OfflinePolicy() {
    }

    static Decision decide(Message message) {
        Message.Type type = message.getType();
        if (type != Message.Type.chat && type != Message.Type.normal) {
            // XEP-0160 §3: groupchat, headline and error "SHOULD NOT be stored offline".
            return Decision.REFUSE;
        }
        Element root = message.getElement();
        // XEP-0334 §4.2: a <no-store/> message "should not be stored by a server either permanently
        // ... or temporarily, e.g. for later delivery to an offline client".
        if (root.element(org.dom4j.QName.get("no-store", HINTS)) != null) {
            return Decision.REFUSE;
        }
        // XEP-0334 §4.4: a message with <store/> that is not of type error SHOULD be stored.
        if (root.element(org.dom4j.QName.get("store", HINTS)) != null) {
            return Decision.STORE;
        }
        for (Element child : root.elements()) {
            if (hasContent(child)) {
                return Decision.STORE;
            }
        }
        return Decision.DISCARD;
    }

    private static boolean hasContent(Element child) {
        String ns = child.getNamespaceURI();
        if (message(ns)) {
            // <body/> and <subject/> count when they say something; <thread/> alone does not.
            return ("body".equals(child.getName()) || "subject".equals(child.getName()))
                    && !child.getText().isBlank();
        }
        String key = "urn:xmpp:receipts".equals(ns) && "request".equals(child.getName()) ? ns + "#request" : ns;
        return !CONTENTLESS.contains(key);
    }

    private static boolean message(String ns) {
        return "jabber:client".equals(ns) || "jabber:server".equals(ns) || ns.isEmpty();
    }
}
