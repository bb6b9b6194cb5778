package im.tongyou.server.feature.mam;

import java.util.List;
import org.dom4j.Element;
import org.dom4j.QName;
import org.xmpp.packet.JID;

/**
 * The {@code <stanza-id xmlns='urn:xmpp:sid:0' by='...' id='...'/>} element of XEP-0359 §2.1 on a
 * message. XEP-0359 §3 (business rules): an entity adding its own stanza-id "MUST remove" any
 * {@code <stanza-id/>} that claims to come from it, since clients could forge one; here every id
 * that claims to come from this domain or one of its accounts is such a forgery, as long as the
 * message comes from a client.
 */
final class StanzaIds {

    static final String NS = "urn:xmpp:sid:0";
    private static final QName STANZA_ID = QName.get("stanza-id", NS);
    /** Attribute names looked up once (dom4j's QName cache is one synchronized map). */
    private static final QName BY = QName.get("by");
    private static final QName ID = QName.get("id");

    private StanzaIds() {
    }

    /** Adds the stanza-id of an archive. */
    static void add(Element message, JID archive, String id) {
        message.addElement(STANZA_ID).addAttribute(BY, archive.toBareJID()).addAttribute(ID, id);
    }

    /** The id given by the archive, or {@code null}. */
    static String find(Element message, JID archive) {
        String by = archive.toBareJID();
        for (Element e : message.elements(STANZA_ID)) {
            if (by.equals(e.attributeValue("by"))) {
                return e.attributeValue("id");
            }
        }
        return null;
    }

    /** Removes the stanza-ids given by the archive. */
    static void remove(Element message, JID archive) {
        String by = archive.toBareJID();
        for (Element e : List.copyOf(message.elements(STANZA_ID))) {
            if (by.equals(e.attributeValue("by"))) {
                message.remove(e);
            }
        }
    }

    /** Removes every stanza-id that claims to come from the domain or one of its accounts. */
    static void removeClaimsOf(Element message, String domain) {
        for (Element e : List.copyOf(message.elements(STANZA_ID))) {
            String by = e.attributeValue("by");
            if (by == null || claimsDomain(by, domain)) {
                message.remove(e);
            }
        }
    }

    private static boolean claimsDomain(String by, String domain) {
        try {
            return domain.equals(new JID(by).getDomain());
        } catch (IllegalArgumentException e) {
            return true; // not even a JID: a forgery either way
        }
    }
}
