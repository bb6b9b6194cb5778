package im.tongyou.server.feature.muc;

import im.tongyou.api.StanzaErrorException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.dom4j.Element;
import org.xmpp.packet.IQ;
import org.xmpp.packet.JID;
import org.xmpp.packet.PacketError.Condition;

/**
 * The muc#admin protocol (XEP-0045 §8 moderator and §9 admin use cases, §10.3-§10.8 owner and admin
 * lists): reading role and affiliation lists and changing roles (kick, voice, moderator) and
 * affiliations (ban, member, admin, owner). A set is checked whole before anything changes ("the
 * service SHOULD NOT apply any of the requested changes", §9.2). Called with the room's lock held.
 */
final class AdminIqHandler {

    private final RoomActions actions;

    AdminIqHandler(RoomActions actions) {
        this.actions = actions;
    }

    /** The actor: its affiliation and, if it is in the room, its highest role and nickname. */
    private record Actor(JID jid, Affiliation affiliation, Role role, String nick) {
    }

    private Actor actor(Room room, JID from) {
        Occupant best = null;
        for (Occupant o : room.occupantsOf(from.asBareJID())) {
            if (best == null || o.role().compareTo(best.role()) > 0) {
                best = o;
            }
        }
        return new Actor(from, room.affiliationOf(from), best == null ? Role.NONE : best.role(),
                best == null ? null : best.nick());
    }

    void get(Room room, IQ iq) throws StanzaErrorException {
        Element item = iq.getChildElement().element("item");
        if (item == null) {
            throw new StanzaErrorException(Condition.bad_request, "ask for a role or an affiliation");
        }
        Actor actor = actor(room, iq.getFrom());
        IQ result = IQ.createResultIQ(iq);
        Element query = result.setChildElement("query", Muc.NS_ADMIN);
        Role role = Role.parse(item.attributeValue("role"));
        Affiliation affiliation = Affiliation.parse(item.attributeValue("affiliation"));
        if (role != null && role != Role.NONE && affiliation == null) {
            if (!Privileges.mayListRole(actor.role())) {
                throw new StanzaErrorException(Condition.forbidden, "only moderators may read this list");
            }
            for (Occupant o : room.occupants()) {
                if (o.role() == role) {
                    query.addElement("item").addAttribute("affiliation", room.affiliationOf(o.bareJid()).value())
                            .addAttribute("jid", o.primaryJid().toString()).addAttribute("nick", o.nick())
                            .addAttribute("role", o.role().value());
                }
            }
        } else if (affiliation != null && affiliation != Affiliation.NONE && role == null) {
            if (!Privileges.mayListAffiliation(actor.affiliation(), actor.role(), affiliation, room.config())) {
                throw new StanzaErrorException(Condition.forbidden, "you may not read this list");
            }
            for (AffiliationEntry e : room.affiliations(affiliation)) {
                Element i = query.addElement("item").addAttribute("affiliation", affiliation.value())
                        .addAttribute("jid", e.jid());
                if (e.nick() != null) {
                    i.addAttribute("nick", e.nick());
                }
                if (affiliation == Affiliation.OUTCAST && e.reason() != null) {
                    i.addElement("reason").setText(e.reason());
                }
            }
        } else {
            throw new StanzaErrorException(Condition.bad_request, "ask for one role or one affiliation");
        }
        room.outbox.send(result);
    }

    void set(Room room, IQ iq) throws StanzaErrorException {
        List<Element> items = iq.getChildElement().elements("item");
        if (items.isEmpty()) {
            throw new StanzaErrorException(Condition.bad_request, "no item to change");
        }
        Actor actor = actor(room, iq.getFrom());
        List<Runnable> changes = new ArrayList<>();
        Set<String> owners = new HashSet<>();
        room.affiliations(Affiliation.OWNER).forEach(e -> owners.add(e.jid()));
        for (Element item : items) {
            if ((item.attribute("role") != null) == (item.attribute("affiliation") != null)) {
                // §17.4: "if a moderator, admin, or owner attempts to modify both the affiliation and role
                // of the same item in the same IQ set, the service MUST return a bad-request error".
                throw new StanzaErrorException(Condition.bad_request, "each item changes either a role or an affiliation");
            }
        }
        for (Element item : items) {
            MucStanzas.Item info = new MucStanzas.Item(null, null, actor.nick(), item.elementText("reason"));
            changes.add(item.attribute("role") != null ? roleChange(room, actor, item, info)
                    : affiliationChange(room, actor, item, info, owners));
        }
        if (owners.isEmpty()) {
            throw new StanzaErrorException(Condition.conflict, "a room must keep at least one owner"); // §10.4
        }
        changes.forEach(Runnable::run);
        room.outbox.send(IQ.createResultIQ(iq));
    }

    private Runnable roleChange(Room room, Actor actor, Element item, MucStanzas.Item info) throws StanzaErrorException {
        Role newRole = Role.parse(item.attributeValue("role"));
        String nick = item.attributeValue("nick");
        if (newRole == null || nick == null) {
            throw new StanzaErrorException(Condition.bad_request, "a role change names a nick and a valid role");
        }
        Occupant target = room.occupant(nick);
        if (target == null) {
            throw new StanzaErrorException(Condition.item_not_found, "no occupant has this nickname");
        }
        Condition refused = Privileges.roleChange(actor.role(), actor.affiliation(), target.role(),
                room.affiliationOf(target.bareJid()), newRole);
        if (refused != null) {
            throw new StanzaErrorException(refused, "you may not change this occupant's role");
        }
        return () -> {
            if (!target.sessions().isEmpty() && target.role() != newRole) {
                actions.setRole(room, target, newRole, null, info);
            }
        };
    }

    private Runnable affiliationChange(Room room, Actor actor, Element item, MucStanzas.Item info, Set<String> owners)
            throws StanzaErrorException {
        Affiliation newAffiliation = Affiliation.parse(item.attributeValue("affiliation"));
        String value = item.attributeValue("jid");
        if (newAffiliation == null || value == null) {
            throw new StanzaErrorException(Condition.bad_request, "an affiliation change names a jid and a valid affiliation");
        }
        JID user;
        try {
            user = new JID(value);
        } catch (IllegalArgumentException e) {
            throw new StanzaErrorException(Condition.jid_malformed, "not a valid JID");
        }
        // §10.3: "When processing a request that identifies a user by its full JID, a service SHOULD use the bare JID".
        String bare = user.toBareJID();
        AffiliationEntry entry = room.entry(bare);
        Affiliation current = entry == null ? Affiliation.NONE : entry.affiliation();
        boolean self = bare.equals(actor.jid().toBareJID());
        Condition refused = Privileges.affiliationChange(actor.affiliation(), current, newAffiliation, self,
                owners.size() > (current == Affiliation.OWNER ? 1 : 0));
        if (refused != null) {
            throw new StanzaErrorException(refused, "you may not change this affiliation");
        }
        String nick = item.attributeValue("nick");
        if (nick != null && !nick.isEmpty()) {
            String reservedBy = room.reservedBy(nick);
            if (reservedBy != null && !reservedBy.equals(bare)) {
                throw new StanzaErrorException(Condition.conflict, "another user reserved this nickname");
            }
        }
        if (newAffiliation == Affiliation.OWNER) {
            owners.add(bare);
        } else {
            owners.remove(bare);
        }
        return () -> {
            boolean invite = room.config().membersOnly() && newAffiliation == Affiliation.MEMBER
                    && current.compareTo(Affiliation.MEMBER) < 0 && user.getNode() != null
                    && room.occupantsOf(user).isEmpty();
            actions.setAffiliation(room, bare, newAffiliation, nick, null, info);
            if (invite) {
                // §9.5: "the service SHOULD send an invitation to any user who has been added to the
                // member list of a members-only room if the user is not currently affiliated".
                actions.invite(room, user.asBareJID(), actor.jid().asBareJID(), info.reason(), null);
            }
        };
    }
}
