package im.tongyou.server.feature.muc;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.UUID;
import org.dom4j.Element;
import org.xmpp.packet.IQ;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;
import org.xmpp.packet.Packet;
import org.xmpp.packet.PacketError;
import org.xmpp.packet.Presence;

/** Builds the stanzas of XEP-0045: the muc#user extension (§19.2), room presence and errors. */
final class MucStanzas {

    /**
     * What an item of extended presence carries besides affiliation and role.
     *
     * @param jid       the occupant's full JID, for those allowed to see it, or {@code null}
     * @param nick      the new nickname (303) or the nick in admin lists, or {@code null}
     * @param actorNick the nickname of the moderator who acted, or {@code null}
     * @param reason    the reason given, or {@code null}
     */
    record Item(JID jid, String nick, String actorNick, String reason) {
        static final Item EMPTY = new Item(null, null, null, null);

        Item withJid(JID realJid) {
            return new Item(realJid, nick, actorNick, reason);
        }
    }

    private MucStanzas() {
    }

    /** Adds {@code <x xmlns='http://jabber.org/protocol/muc#user'/>} with one item and the status codes. */
    static Element userX(Packet stanza, Affiliation affiliation, Role role, Item item, int... codes) {
        Element x = stanza.getElement().addElement("x", Muc.NS_USER);
        Element e = x.addElement("item").addAttribute("affiliation", affiliation.value())
                .addAttribute("role", role.value());
        if (item.jid() != null) {
            e.addAttribute("jid", item.jid().toString());
        }
        if (item.nick() != null) {
            e.addAttribute("nick", item.nick());
        }
        if (item.actorNick() != null) {
            e.addElement("actor").addAttribute("nick", item.actorNick());
        }
        if (item.reason() != null) {
            e.addElement("reason").setText(item.reason());
        }
        for (int code : codes) {
            x.addElement("status").addAttribute("code", Integer.toString(code));
        }
        return x;
    }

    /**
     * A client's presence as the room keeps it: no addresses, no MUC extensions ("If a MUC service
     * receives such extended presence information from an occupant, it MUST NOT reflect it to other
     * occupants", §17.3).
     */
    static Presence stripped(Presence presence) {
        Presence copy = presence.createCopy();
        copy.setTo((JID) null);
        copy.setFrom((JID) null);
        copy.setID(null);
        removeMucExtensions(copy.getElement());
        if (copy.getElement().attribute("type") != null) {
            copy.getElement().remove(copy.getElement().attribute("type"));
        }
        return copy;
    }

    /** Removes the muc and muc#user {@code <x/>} children of a stanza. */
    static void removeMucExtensions(Element stanza) {
        for (Iterator<Element> it = stanza.elementIterator(); it.hasNext(); ) {
            Element child = it.next();
            if ("x".equals(child.getName())
                    && (Muc.NS.equals(child.getNamespaceURI()) || Muc.NS_USER.equals(child.getNamespaceURI()))) {
                it.remove();
            }
        }
    }

    /** An available presence from an occupant JID to one session, with its extended information. */
    static Presence presence(Presence source, JID from, JID to, String id, Affiliation affiliation, Role role,
                             Item item, int... codes) {
        Presence p = source.createCopy();
        p.setFrom(from);
        p.setTo(to);
        p.setID(id == null ? newId() : id);
        userX(p, affiliation, role, item, codes);
        return p;
    }

    /** An unavailable presence from an occupant JID, keeping a custom exit status if one was given. */
    static Presence unavailable(Presence exit, JID from, JID to, String id, Affiliation affiliation, Item item,
                                int... codes) {
        Presence p = new Presence(Presence.Type.unavailable);
        if (exit != null && exit.getStatus() != null) {
            p.setStatus(exit.getStatus());
        }
        p.setFrom(from);
        p.setTo(to);
        p.setID(id == null ? newId() : id);
        userX(p, affiliation, Role.NONE, item, codes);
        return p;
    }

    /** A message from the room itself carrying only status codes (§10.2.1 configuration changes). */
    static Message statusMessage(JID room, JID to, int... codes) {
        Message m = new Message();
        m.setType(Message.Type.groupchat);
        m.setFrom(room);
        m.setTo(to);
        m.setID(newId());
        Element x = m.getElement().addElement("x", Muc.NS_USER);
        for (int code : codes) {
            x.addElement("status").addAttribute("code", Integer.toString(code));
        }
        return m;
    }

    /** Adds the XEP-0203 delay stamp history and subject messages carry (§7.2.13, §7.2.15). */
    static void delay(Message message, JID room, Instant at) {
        message.getElement().addElement("delay", Muc.NS_DELAY).addAttribute("from", room.toString())
                .addAttribute("stamp", at.truncatedTo(ChronoUnit.MILLIS).toString());
    }

    /**
     * An error reply from the address the request went to, with the given type (or the condition's
     * default) and {@code by} set to the room (as in the error examples of XEP-0045). A presence
     * error carries only the error: echoing the join's {@code <x/>} would return a password the
     * user sent, and some clients cannot parse the MUC {@code <x/>} in an incoming presence.
     */
    static Packet error(Packet request, JID by, PacketError.Condition condition, PacketError.Type type,
                        String text) {
        Packet reply = request.createCopy();
        reply.setTo(request.getFrom());
        reply.setFrom(request.getTo());
        if (reply instanceof IQ iq) {
            iq.setType(IQ.Type.error);
        } else {
            reply.getElement().addAttribute("type", "error");
        }
        if (reply instanceof Presence) {
            reply.getElement().clearContent();
        }
        reply.setError(new PacketError(condition, type == null ? condition.getDefaultType() : type, text,
                text == null ? null : "en"));
        if (by != null) {
            reply.getElement().element("error").addAttribute("by", by.toString());
        }
        return reply;
    }

    /** A fresh stanza id for what the room generates. */
    static String newId() {
        return UUID.randomUUID().toString();
    }
}
