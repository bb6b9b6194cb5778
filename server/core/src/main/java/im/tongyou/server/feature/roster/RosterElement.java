package im.tongyou.server.feature.roster;

import im.tongyou.api.StanzaErrorException;
import im.tongyou.api.roster.RosterItem;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.QName;
import org.xmpp.packet.JID;
import org.xmpp.packet.PacketError;

/** The {@code jabber:iq:roster} elements (RFC 6121 §2.1): parsing a roster set, writing items and pushes. */
final class RosterElement {

    static final String NS = "jabber:iq:roster";
    /** The longest contact JID kept on a roster, in characters: real bare JIDs are far shorter. */
    static final int MAX_JID_CHARS = 512;
    static final int MAX_NAME_CHARS = 1024;
    static final int MAX_GROUP_CHARS = 1024;
    static final int MAX_GROUPS = 64;

    /**
     * A roster set (RFC 6121 §2.1.5): add or update an item, or remove it.
     *
     * @param jid    the contact's bare JID
     * @param remove {@code subscription='remove'}
     * @param name   the name, or {@code null}
     * @param groups the groups
     */
    record Update(JID jid, boolean remove, String name, Set<String> groups) {
    }

    private RosterElement() {
    }

    /**
     * Parses and checks a roster set for the user, with the errors RFC 6121 §2.3.3 names:
     * bad-request for more than one item and for duplicate groups, not-acceptable for an empty
     * group and for names and groups longer than the server's limits.
     */
    static Update parseSet(Element query, JID owner) throws StanzaErrorException {
        List<Element> items = query.elements(QName.get("item", NS));
        if (items.size() != 1 || query.elements().size() != 1) {
            throw StanzaErrorException.badRequest("a roster set contains exactly one item (RFC 6121 §2.3.3)");
        }
        Element item = items.get(0);
        JID jid = contactJid(item.attributeValue("jid"), owner);
        // RFC 6121 §2.1.2.5: in a roster set the server ignores every 'subscription' value but
        // "remove"; 'ask' and 'approved' are likewise the server's to set, not the client's.
        if ("remove".equals(item.attributeValue("subscription"))) {
            return new Update(jid, true, null, Set.of());
        }
        String name = item.attributeValue("name");
        if (name != null && name.length() > MAX_NAME_CHARS) {
            throw StanzaErrorException.notAcceptable("the name is longer than " + MAX_NAME_CHARS + " characters");
        }
        if (name != null && name.isEmpty()) {
            name = null; // an empty name is no name
        }
        Set<String> groups = new LinkedHashSet<>();
        for (Element group : item.elements()) {
            if (!"group".equals(group.getName()) || !NS.equals(group.getNamespaceURI())) {
                continue; // unknown extensions of an item are ignored
            }
            String text = group.getText();
            if (text.isEmpty()) {
                // RFC 6121 §2.3.3: to leave every group the client sends no <group/>, not an empty one.
                throw StanzaErrorException.notAcceptable("a group name is empty");
            }
            if (text.length() > MAX_GROUP_CHARS) {
                throw StanzaErrorException.notAcceptable("a group name is longer than " + MAX_GROUP_CHARS + " characters");
            }
            if (!groups.add(text)) {
                throw StanzaErrorException.badRequest("the item names the group '" + text + "' twice (RFC 6121 §2.3.3)");
            }
        }
        if (groups.size() > MAX_GROUPS) {
            throw StanzaErrorException.notAcceptable("an item is in at most " + MAX_GROUPS + " groups");
        }
        return new Update(jid, false, name, groups);
    }

    /** The contact of a roster item: a valid bare JID that is not the user's own. */
    static JID contactJid(String value, JID owner) throws StanzaErrorException {
        if (value == null || value.isEmpty()) {
            throw StanzaErrorException.badRequest("a roster item needs a 'jid'");
        }
        JID jid;
        try {
            jid = new JID(value);
        } catch (IllegalArgumentException e) {
            throw new StanzaErrorException(PacketError.Condition.jid_malformed, "'" + value + "' is not a valid JID");
        }
        if (jid.getResource() != null) {
            throw StanzaErrorException.badRequest("roster items are bare JIDs, without a resource");
        }
        if (jid.toBareJID().length() > MAX_JID_CHARS) {
            throw StanzaErrorException.notAcceptable("the JID is longer than " + MAX_JID_CHARS + " characters");
        }
        if (jid.toBareJID().equals(owner.toBareJID())) {
            // RFC 6120 §8.3.3.10 not-allowed: "does not allow any entity to perform the action"; a
            // user is implicitly subscribed to its own presence (RFC 6121 §4.2.2), as Prosody also rules.
            throw StanzaErrorException.notAllowed("your own JID cannot be on your roster");
        }
        return jid;
    }

    /** An item as it appears in a roster result or push. */
    static Element item(RosterItem item) {
        Element e = DocumentHelper.createElement(QName.get("item", NS));
        e.addAttribute("jid", item.jid().toBareJID());
        if (item.name() != null) {
            e.addAttribute("name", item.name());
        }
        e.addAttribute("subscription", item.subscription().xmlValue());
        if (item.pendingOut()) {
            e.addAttribute("ask", "subscribe");
        }
        if (item.approved()) {
            e.addAttribute("approved", "true");
        }
        item.groups().stream().sorted().forEach(g -> e.addElement(QName.get("group", NS)).setText(g));
        return e;
    }

    /** The item of a removal push (RFC 6121 §2.5.2). */
    static Element removed(JID contact) {
        Element e = DocumentHelper.createElement(QName.get("item", NS));
        e.addAttribute("jid", contact.toBareJID());
        e.addAttribute("subscription", "remove");
        return e;
    }
}
