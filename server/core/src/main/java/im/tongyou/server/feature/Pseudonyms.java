package im.tongyou.server.feature;

import org.dom4j.Attribute;
import org.dom4j.Element;
import org.xmpp.packet.JID;

/**
 * Replaces a cancelled user's address inside a stored stanza by the tombstone (privacy requirements
 * decision 3: "the cancelled account's address is replaced there by a tombstone pseudonym"): every
 * attribute of every element whose value is the JID, bare or with a resource. Used by the stores
 * that keep other users' copies of stanzas from the user (the archive, offline queues).
 */
public final class Pseudonyms {

    private Pseudonyms() {
    }

    /** Replaces the address (bare, or with any resource) by the tombstone's bare JID, in place. */
    public static void replace(Element element, JID bare, JID tombstone) {
        String address = bare.toBareJID();
        for (Attribute a : element.attributes()) {
            String v = a.getValue();
            if (v.equalsIgnoreCase(address) || v.toLowerCase(java.util.Locale.ROOT)
                    .startsWith(address.toLowerCase(java.util.Locale.ROOT) + "/")) {
                a.setValue(tombstone.toBareJID());
            }
        }
        for (Element child : element.elements()) {
            replace(child, bare, tombstone);
        }
    }
}
