package im.tongyou.server.feature.muc;

import im.tongyou.api.StanzaErrorException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import org.dom4j.Element;
import org.xmpp.packet.IQ;

/**
 * Service discovery of the chat service and its rooms (XEP-0045 §6 with XEP-0030, the muc#roominfo
 * form through XEP-0128): the service's identity and features (§6.2), its public rooms (§6.3, hidden
 * rooms never listed), a room's identity, features and extended information (§6.4), its occupants
 * (§6.5) and a user's reserved nickname (§7.13).
 */
final class MucDisco {

    private final MucContext ctx;

    MucDisco(MucContext ctx) {
        this.ctx = ctx;
    }

    IQ serviceInfo(IQ iq) throws StanzaErrorException {
        noNode(iq);
        IQ result = reply(iq, Muc.NS_DISCO_INFO);
        Element query = result.getChildElement();
        query.addElement("identity").addAttribute("category", "conference").addAttribute("type", "text")
                .addAttribute("name", ctx.options().name());
        for (String feature : List.of(Muc.NS_DISCO_INFO, Muc.NS_DISCO_ITEMS, Muc.NS, Muc.NS_STABLE_ID,
                Muc.NS_SELF_PING, Muc.NS_PING)) {
            query.addElement("feature").addAttribute("var", feature);
        }
        return result;
    }

    /** §6.3: "The service SHOULD return a full list of the public rooms it hosts". */
    IQ serviceItems(IQ iq) throws StanzaErrorException {
        noNode(iq);
        IQ result = reply(iq, Muc.NS_DISCO_ITEMS);
        List<Room> rooms = new ArrayList<>();
        for (Room room : ctx.rooms().all()) {
            if (!room.isLocked() && !room.isDestroyed() && room.config().publicRoom()) {
                rooms.add(room);
            }
        }
        rooms.sort(Comparator.comparing(Room::id));
        for (Room room : rooms) {
            result.getChildElement().addElement("item").addAttribute("jid", room.jid().toBareJID())
                    .addAttribute("name", room.displayName());
        }
        return result;
    }

    /** A room's information (§6.4), or a user's reserved nickname at node x-roomuser-item (§7.13). */
    IQ roomInfo(Room room, IQ iq) throws StanzaErrorException {
        String node = iq.getChildElement().attributeValue("node");
        IQ result = reply(iq, Muc.NS_DISCO_INFO);
        Element query = result.getChildElement();
        if (Muc.NODE_ROOMUSER.equals(node)) {
            query.addAttribute("node", node);
            AffiliationEntry entry = room.entry(iq.getFrom().toBareJID());
            if (entry != null && entry.nick() != null) {
                query.addElement("identity").addAttribute("category", "conference").addAttribute("type", "text")
                        .addAttribute("name", entry.nick());
            }
            return result;
        }
        if (node != null) {
            // §17.4.1: a room that discards no namespace answers the #traffic node with service-unavailable.
            throw node.equals(Muc.NS + "#traffic") ? StanzaErrorException.serviceUnavailable()
                    : StanzaErrorException.itemNotFound("no such node");
        }
        RoomConfig c = room.config();
        query.addElement("identity").addAttribute("category", "conference").addAttribute("type", "text")
                .addAttribute("name", room.displayName());
        TreeSet<String> features = new TreeSet<>(c.features());
        features.addAll(List.of(Muc.NS, Muc.NS_STABLE_ID, Muc.NS_DISCO_INFO, Muc.NS_DISCO_ITEMS, Muc.NS_ROOMINFO));
        features.forEach(f -> query.addElement("feature").addAttribute("var", f));
        Element x = query.addElement("x", Muc.NS_DATA).addAttribute("type", "result");
        field(x, "FORM_TYPE", "hidden", null, Muc.NS_ROOMINFO);
        field(x, "muc#roominfo_description", null, "Description", c.description());
        if (openToAll(room) || room.occupantBySession(iq.getFrom()) != null) {
            // §18.4 "Information Leaks": the subject only where anyone may walk in and read it anyway.
            field(x, "muc#roominfo_subject", null, "Current Discussion Topic", room.subject().text());
        }
        field(x, "muc#roominfo_occupants", null, "Number of occupants", Integer.toString(room.occupantCount()));
        field(x, "muc#roominfo_subjectmod", "boolean", "Occupants may change the subject", c.changeSubject() ? "1" : "0");
        field(x, "muc#roomconfig_changesubject", "boolean", "Subject can be modified", c.changeSubject() ? "1" : "0");
        if (!c.lang().isEmpty()) {
            field(x, "muc#roominfo_lang", null, "Language of discussion", c.lang());
        }
        field(x, "muc#maxhistoryfetch", null, "Maximum Number of History Messages Returned by Room",
                Integer.toString(c.history()));
        if (c.nonAnonymous()) {
            // The owners' addresses only where real JIDs are no secret anyway.
            Element contacts = x.addElement("field").addAttribute("var", "muc#roominfo_contactjid")
                    .addAttribute("label", "Contact Addresses");
            room.affiliations(Affiliation.OWNER).forEach(e -> contacts.addElement("value").setText(e.jid()));
        }
        return result;
    }

    /**
     * §6.5: "An implementation MAY return a list of existing occupants if that information is publicly
     * available". Occupants always see the list; others only for a public, open, unsecured room
     * (where anyone may enter and see the nicknames) when the service option allows it.
     */
    IQ roomItems(Room room, IQ iq) throws StanzaErrorException {
        noNode(iq);
        IQ result = reply(iq, Muc.NS_DISCO_ITEMS);
        boolean listed = room.occupantBySession(iq.getFrom()) != null
                || (ctx.options().publicOccupantLists() && openToAll(room));
        if (listed) {
            for (Occupant o : room.occupants()) {
                if (room.config().broadcasts(o.role())) {
                    result.getChildElement().addElement("item").addAttribute("jid", room.occupantJid(o.nick()).toString());
                }
            }
        }
        return result;
    }

    private static boolean openToAll(Room room) {
        RoomConfig c = room.config();
        return c.publicRoom() && !c.membersOnly() && !c.passwordProtected();
    }

    private static void field(Element x, String var, String type, String label, String value) {
        Element f = x.addElement("field").addAttribute("var", var);
        if (type != null) {
            f.addAttribute("type", type);
        }
        if (label != null) {
            f.addAttribute("label", label);
        }
        f.addElement("value").setText(value);
    }

    private static IQ reply(IQ iq, String namespace) {
        IQ result = IQ.createResultIQ(iq);
        result.setChildElement("query", namespace);
        return result;
    }

    private static void noNode(IQ iq) throws StanzaErrorException {
        if (iq.getChildElement().attributeValue("node") != null) {
            throw StanzaErrorException.itemNotFound("no such node"); // XEP-0030 §3.2
        }
    }
}
