package im.tongyou.server.feature.carbons;

import java.util.List;
import org.dom4j.Element;
import org.dom4j.QName;
import org.xmpp.packet.Message;

/**
 * Which messages are copied (XEP-0280 §6, "Messages Eligible for Carbons Delivery"): chat messages,
 * and normal messages with a body; never errors, group chat, copies of copies or archive results;
 * never with {@code <private/>} (§8) or the XEP-0334 {@code <no-copy/>} hint ("should not be copied to
 * addresses other than the one to which it is addressed, for example through Message Carbons").
 */
final class CarbonsRules {

    static final String HINTS = "urn:xmpp:hints";
    static final String MUC_USER = "http://jabber.org/protocol/muc#user";
    private static final QName PRIVATE = QName.get("private", CarbonsInterceptor.NS);

    private CarbonsRules() {
    }

    static boolean eligible(Message message) {
        Message.Type type;
        try {
            type = message.getType();
        } catch (IllegalArgumentException e) {
            return false;
        }
        boolean byType = type == Message.Type.chat || type == Message.Type.normal && message.getBody() != null;
        if (!byType) {
            return false;
        }
        Element root = message.getElement();
        if (root.element(PRIVATE) != null || root.element(QName.get("no-copy", HINTS)) != null) {
            return false;
        }
        for (Element child : root.elements()) {
            String ns = child.getNamespaceURI();
            if (CarbonsInterceptor.NS.equals(ns) || "urn:xmpp:mam:2".equals(ns)) {
                return false; // a copy already, or an archive result
            }
        }
        return true;
    }

    /**
     * §6: "not eligible for carbons delivery if it is determined to have been sent by a MUC room or
     * service ... (this also includes private messages from MUC participants)".
     */
    static boolean fromGroupChat(Message message) {
        return message.getElement().element(QName.get("x", MUC_USER)) != null;
    }

    /**
     * A message the server delivers a second time (stream management re-routes what a dead session
     * never acknowledged, marked with this server's XEP-0203 delay): its copies went out the first time.
     */
    static boolean deliveredAgain(Message message, String domain) {
        for (Element delay : message.getElement().elements(QName.get("delay", "urn:xmpp:delay"))) {
            if (domain.equals(delay.attributeValue("from"))) {
                return true;
            }
        }
        return false;
    }

    static void removePrivate(Message message) {
        for (Element e : List.copyOf(message.getElement().elements(PRIVATE))) {
            message.getElement().remove(e);
        }
    }
}
