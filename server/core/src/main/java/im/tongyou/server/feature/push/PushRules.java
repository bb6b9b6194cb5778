package im.tongyou.server.feature.push;

import java.util.Set;
import org.dom4j.Element;
import org.dom4j.QName;
import org.xmpp.packet.Message;

/**
 * Which messages wake a device: chat and normal messages a person would want to see (a body, or an
 * end-to-end encrypted payload), also inside a carbon of a message the user received (XEP-0280);
 * not chat states, receipts, markers, group chat, archive results, or copies of what the user sent
 * from another device.
 */
final class PushRules {

    private static final String CARBONS = "urn:xmpp:carbons:2";
    private static final String FORWARD = "urn:xmpp:forward:0";
    private static final Set<String> ENCRYPTED = Set.of("eu.siacs.conversations.axolotl", "urn:xmpp:omemo:2",
            "urn:xmpp:openpgp:0");

    private PushRules() {
    }

    /** The message whose arrival is worth a notification (the message, or the one a carbon carries), or null. */
    static Message content(Message message) {
        if (!conversation(message)) {
            return null;
        }
        Element received = message.getElement().element(QName.get("received", CARBONS));
        if (received != null) {
            Element forwarded = received.element(QName.get("forwarded", FORWARD));
            Element inner = forwarded == null ? null : forwarded.element("message");
            if (inner == null) {
                return null;
            }
            Message original = new Message(inner.createCopy(), true);
            return conversation(original) && hasContent(original) ? original : null;
        }
        if (message.getElement().element(QName.get("sent", CARBONS)) != null) {
            return null; // the user wrote it on another device
        }
        return hasContent(message) ? message : null;
    }

    private static boolean conversation(Message m) {
        try {
            Message.Type type = m.getType();
            return type == Message.Type.chat || type == Message.Type.normal;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean hasContent(Message m) {
        String body = m.getBody();
        if (body != null && !body.isBlank()) {
            return true;
        }
        for (Element child : m.getElement().elements()) {
            if (ENCRYPTED.contains(child.getNamespaceURI())) {
                return true;
            }
        }
        return false;
    }
}
