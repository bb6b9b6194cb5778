package im.tongyou.server.feature.muc;

import im.tongyou.api.StanzaErrorException;
import java.util.ArrayList;
import java.util.List;
import org.dom4j.Element;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;
import org.xmpp.packet.PacketError.Condition;

/**
 * Messages to a room and to its occupants (XEP-0045 §7.4 to all occupants, §8.1 subject, §7.5
 * private messages, §7.8.2 mediated invitations and declines, §7.13 and §8.6 voice requests).
 * Called with the room's lock held. Nothing here is ever written to storage.
 */
final class RoomMessages {

    /** The longest subject kept ("policies regarding message content or size", §7.4). */
    static final int MAX_SUBJECT = 4000;

    private final MucContext ctx;
    private final RoomActions actions;
    private final VoiceRequests voice;

    RoomMessages(MucContext ctx, RoomActions actions) {
        this.ctx = ctx;
        this.actions = actions;
        this.voice = new VoiceRequests(actions);
    }

    /** A message of type groupchat to the room: a subject change or a message to all (§7.4, §8.1). */
    void groupchat(Room room, Message message) throws StanzaErrorException {
        Occupant sender = room.occupantBySession(message.getFrom());
        if (sender == null) {
            throw new StanzaErrorException(Condition.not_acceptable, "you are not in the room"); // §7.4
        }
        Message reflected = message.createCopy();
        reflected.setFrom(room.occupantJid(sender.nick()));
        if (reflected.getID() == null || reflected.getID().isEmpty()) {
            reflected.setID(MucStanzas.newId()); // muc#stable_id: one id for all reflections
        }
        MucStanzas.removeMucExtensions(reflected.getElement());
        boolean subjectChange = message.getSubject() != null && message.getBody() == null && message.getThread() == null;
        if (subjectChange) {
            if (!Privileges.mayChangeSubject(sender.role(), room.config())) {
                throw new StanzaErrorException(Condition.forbidden, "you may not change the subject"); // §8.1
            }
            if (message.getSubject().length() > MAX_SUBJECT) {
                throw new StanzaErrorException(Condition.not_acceptable, "the subject is too long");
            }
            room.subject(new Room.Subject(message.getSubject(), sender.nick(), ctx.now()));
            if (room.config().persistent() && !room.isLocked()) {
                ctx.store().updateSubject(room.id(), room.subject());
            }
            Broadcasts.message(room, reflected);
            return;
        }
        if (!Privileges.maySpeak(sender.role())) {
            // §7.4: "If the sender is a visitor ... the service MUST return a forbidden error".
            throw new StanzaErrorException(Condition.forbidden, "you have no voice in this room");
        }
        Broadcasts.message(room, reflected);
        if (message.getBody() != null) {
            room.history().add(reflected, ctx.now(), sender.bareJid().toBareJID());
        }
    }

    /**
     * A private message to an occupant (§7.5): from the sender's occupant JID to every session of the
     * recipient, marked with an empty muc#user {@code <x/>}.
     */
    void toOccupant(Room room, Message message) throws StanzaErrorException {
        if (message.getType() == Message.Type.groupchat) {
            throw new StanzaErrorException(Condition.bad_request, "a private message cannot be of type groupchat");
        }
        Occupant sender = room.occupantBySession(message.getFrom());
        if (sender == null) {
            throw new StanzaErrorException(Condition.not_acceptable, "you are not in the room");
        }
        Occupant recipient = room.occupant(message.getTo().getResource());
        if (recipient == null) {
            throw new StanzaErrorException(Condition.item_not_found, "no such occupant");
        }
        if (!Privileges.maySendPrivate(sender.role(), room.config())) {
            throw new StanzaErrorException(Condition.forbidden, "private messages are not allowed here");
        }
        Message forwarded = message.createCopy();
        forwarded.setFrom(room.occupantJid(sender.nick()));
        MucStanzas.removeMucExtensions(forwarded.getElement());
        forwarded.getElement().addElement("x", Muc.NS_USER);
        for (JID session : recipient.sessions()) {
            Message copy = forwarded.createCopy();
            copy.setTo(session);
            room.outbox.send(copy);
        }
    }

    /** A message of type normal to the room: invitations, declines and voice requests. */
    void normal(Room room, Message message) throws StanzaErrorException {
        Element x = message.getChildElement("x", Muc.NS_USER);
        if (x != null && !x.elements("invite").isEmpty()) {
            invite(room, message, x.elements("invite"));
        } else if (x != null && !x.elements("decline").isEmpty()) {
            decline(room, message, x.elements("decline"));
        } else if (message.getChildElement("x", Muc.NS_DATA) != null) {
            voice.handle(room, message);
        } else {
            // §17.2: "A service MAY ignore messages that are improperly typed, or reject them with a bad-request".
            throw new StanzaErrorException(Condition.bad_request, "send messages to the room with type groupchat");
        }
    }

    /**
     * §7.8.2: "The room itself MUST then add a 'from' address to the invite element whose value is the
     * bare JID, full JID, or occupant JID of the inviter"; here the bare JID. In a members-only room
     * an invitation makes the invitee a member (§9.5: "any invitation sent SHOULD automatically
     * trigger the addition of the invitee to the member list").
     */
    private void invite(Room room, Message message, List<Element> invites) throws StanzaErrorException {
        JID from = message.getFrom();
        Occupant sender = room.occupantBySession(from);
        Affiliation affiliation = room.affiliationOf(from);
        if (!Privileges.mayInvite(sender == null ? Role.NONE : sender.role(), affiliation, room.config())) {
            throw new StanzaErrorException(Condition.forbidden, "you may not invite others to this room");
        }
        List<JID> invitees = new ArrayList<>();
        for (Element invite : invites) {
            JID invitee = jid(invite.attributeValue("to"));
            if (invitee.getDomain().equals(ctx.service().getDomain())) {
                throw new StanzaErrorException(Condition.not_acceptable, "invite users, not rooms");
            }
            if (ctx.isLocal(invitee) && !ctx.localUser().test(invitee.getNode())) {
                throw new StanzaErrorException(Condition.item_not_found, "no such user"); // §7.8.2
            }
            invitees.add(invitee);
        }
        for (int i = 0; i < invitees.size(); i++) {
            JID invitee = invitees.get(i);
            String reason = invites.get(i).elementText("reason");
            if (room.config().membersOnly() && room.affiliationOf(invitee) == Affiliation.NONE) {
                actions.setAffiliation(room, invitee.toBareJID(), Affiliation.MEMBER, null, null,
                        new MucStanzas.Item(null, null, sender == null ? null : sender.nick(), null));
            }
            actions.invite(room, invitee, from.asBareJID(), reason, message.getID());
        }
    }

    /** §7.8.2: a declined invitation goes back to the inviter, "from" the invitee's bare JID. */
    private void decline(Room room, Message message, List<Element> declines) throws StanzaErrorException {
        for (Element decline : declines) {
            JID to = jid(decline.attributeValue("to"));
            List<JID> targets = new ArrayList<>();
            if (to.getDomain().equals(ctx.service().getDomain())) {
                Occupant inviter = to.getResource() != null && room.id().equals(to.getNode())
                        ? room.occupant(to.getResource()) : null;
                if (inviter != null) {
                    targets.addAll(inviter.sessions());
                }
            } else {
                targets.add(to);
            }
            for (JID target : targets) {
                Message m = new Message();
                m.setFrom(room.jid());
                m.setTo(target);
                m.setID(message.getID() == null ? MucStanzas.newId() : message.getID());
                Element d = m.getElement().addElement("x", Muc.NS_USER).addElement("decline")
                        .addAttribute("from", message.getFrom().toBareJID());
                String reason = decline.elementText("reason");
                if (reason != null) {
                    d.addElement("reason").setText(reason);
                }
                room.outbox.send(m);
            }
        }
    }

    private static JID jid(String value) throws StanzaErrorException {
        if (value == null || value.isEmpty()) {
            throw new StanzaErrorException(Condition.bad_request, "the 'to' address is missing");
        }
        try {
            return new JID(value);
        } catch (IllegalArgumentException e) {
            throw new StanzaErrorException(Condition.jid_malformed, "the 'to' address is not a valid JID");
        }
    }
}
