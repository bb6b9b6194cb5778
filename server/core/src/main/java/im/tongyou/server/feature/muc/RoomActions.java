package im.tongyou.server.feature.muc;

import java.util.List;
import org.dom4j.Element;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;
import org.xmpp.packet.Presence;

/**
 * The changes to a room that several use cases share, with the presence they cause and what must be
 * stored: role and affiliation changes (XEP-0045 §8-§10), removing occupants, destroying the room
 * (§10.9). Called with the room's lock held.
 */
final class RoomActions {

    private final MucContext ctx;

    RoomActions(MucContext ctx) {
        this.ctx = ctx;
    }

    /**
     * Changes an occupant's role and tells the room (§8.3-§8.5, §9.5-§9.7); role none kicks
     * (§8.2, status 307). An occupant whose new role is not broadcast disappears for the others.
     */
    void setRole(Room room, Occupant target, Role newRole, String id, MucStanzas.Item item) {
        if (newRole == Role.NONE) {
            remove(room, target, room.affiliationOf(target.bareJid()), item, id, Muc.STATUS_KICKED);
            return;
        }
        if (room.config().broadcasts(target.role()) && !room.config().broadcasts(newRole)) {
            Broadcasts.departure(room, target, List.of(), null, id, room.affiliationOf(target.bareJid()),
                    MucStanzas.Item.EMPTY);
        }
        target.role(newRole);
        Broadcasts.presence(room, target, id, item);
    }

    /**
     * Removes an occupant with all its sessions: unavailable presence with role none and the status
     * codes (307 kicked, 301 banned, 321 affiliation change, 322 members-only, 333 error) to it and
     * to everyone else; a temporary room left empty is destroyed.
     */
    void remove(Room room, Occupant target, Affiliation shown, MucStanzas.Item item, String id, int... codes) {
        Broadcasts.departure(room, target, target.sessions(), null, id, shown, item, codes);
        for (JID session : target.sessions()) {
            ctx.rooms().exited(session, room);
        }
        room.remove(target);
        afterExit(room);
    }

    /**
     * "If the room is not persistent and this occupant is the last to exit, the service is
     * responsible for destroying the room" (§7.14). A locked room left by its creator goes too.
     */
    void afterExit(Room room) {
        if (room.isEmpty() && (!room.config().persistent() || room.isLocked())) {
            forget(room);
        }
    }

    /**
     * Changes a user's affiliation (by bare JID, or a whole domain) and what follows for the user's
     * occupants: banned ones are removed (301, §9.1), non-members of a members-only room too (321,
     * §9.4); others get their new affiliation and, where it implies one, their new role (§5.1.3 note:
     * "the role that is gained when an occupant is granted a certain affiliation is stable").
     */
    void setAffiliation(Room room, String jid, Affiliation newAffiliation, String nick, String id,
                        MucStanzas.Item item) {
        AffiliationEntry old = room.entry(jid);
        Affiliation before = old == null ? Affiliation.NONE : old.affiliation();
        String keptNick = newAffiliation == Affiliation.OUTCAST ? null : nick != null ? (nick.isEmpty() ? null : nick)
                : old == null ? null : old.nick();
        AffiliationEntry entry = new AffiliationEntry(jid, newAffiliation, keptNick, item.reason(),
                old != null && old.affiliation() == newAffiliation ? old.grantedAt() : ctx.now());
        room.affiliation(jid, entry);
        if (room.config().persistent()) {
            ctx.store().saveAffiliation(room.id(), jid, entry);
        }
        JID user = new JID(jid);
        for (Occupant o : room.occupantsOf(user)) {
            if (newAffiliation == Affiliation.OUTCAST) {
                remove(room, o, Affiliation.OUTCAST, item, id, Muc.STATUS_BANNED);
            } else if (room.config().membersOnly() && !newAffiliation.atLeast(Affiliation.MEMBER)) {
                remove(room, o, newAffiliation, item, id, Muc.STATUS_AFFILIATION_CHANGE);
            } else {
                setRole(room, o, roleAfter(room, o.role(), before, newAffiliation), id, item);
            }
        }
    }

    private static Role roleAfter(Room room, Role current, Affiliation before, Affiliation after) {
        if (after.isAdminOrOwner()) {
            return Role.MODERATOR;
        }
        if (before.isAdminOrOwner()) {
            return room.defaultRole(after);
        }
        if (after == Affiliation.MEMBER && current == Role.VISITOR) {
            return Role.PARTICIPANT;
        }
        return current;
    }

    /**
     * Destroys the room (§10.9): "sending only one presence stanza of type unavailable to each
     * occupant so that the user knows he or she has been removed", with the {@code <destroy/>}
     * element, the alternate venue and reason when given, and 110 for the occupant's own session.
     */
    void destroy(Room room, JID alternate, String reason, String password, String id) {
        for (Occupant o : room.occupants()) {
            for (JID session : o.sessions()) {
                Presence p = MucStanzas.unavailable(null, room.occupantJid(o.nick()), session, id, Affiliation.NONE,
                        MucStanzas.Item.EMPTY, Muc.STATUS_SELF);
                Element destroy = p.getChildElement("x", Muc.NS_USER).addElement("destroy");
                if (alternate != null) {
                    destroy.addAttribute("jid", alternate.toString());
                }
                if (reason != null) {
                    destroy.addElement("reason").setText(reason);
                }
                if (password != null) {
                    destroy.addElement("password").setText(password);
                }
                room.outbox.send(p);
                ctx.rooms().exited(session, room);
            }
            room.remove(o);
        }
        forget(room);
    }

    /** A mediated invitation from the room (§7.8.2), also sent to new members of a members-only room (§9.5). */
    void invite(Room room, JID invitee, JID inviter, String reason, String id) {
        Message m = new Message();
        m.setFrom(room.jid());
        m.setTo(invitee);
        m.setID(id == null ? MucStanzas.newId() : id);
        Element x = m.getElement().addElement("x", Muc.NS_USER);
        Element invite = x.addElement("invite").addAttribute("from", inviter.toString());
        if (reason != null) {
            invite.addElement("reason").setText(reason);
        }
        if (room.config().passwordProtected()) {
            x.addElement("password").setText(room.config().password());
        }
        room.outbox.send(m);
    }

    private void forget(Room room) {
        room.markDestroyed();
        ctx.rooms().remove(room);
        if (room.config().persistent() && !room.isLocked()) {
            ctx.store().deleteRoom(room.id());
        }
    }
}
