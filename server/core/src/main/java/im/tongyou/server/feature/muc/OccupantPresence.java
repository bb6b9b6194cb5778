package im.tongyou.server.feature.muc;

import im.tongyou.api.StanzaErrorException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import org.dom4j.Element;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;
import org.xmpp.packet.PacketError;
import org.xmpp.packet.PacketError.Condition;
import org.xmpp.packet.Presence;

/**
 * Presence to occupant JIDs (XEP-0045 §7): entering a room (§7.2), changing nickname (§7.6) and
 * availability (§7.7), exiting (§7.14), and the removal of sessions that went away. Called with
 * the room's lock held.
 */
final class OccupantPresence {

    /** "Up to some reasonable number of additional occupants" for admins and owners in a full room (§7.2.10). */
    private static final int ADMIN_HEADROOM = 10;

    private final MucContext ctx;
    private final RoomActions actions;

    OccupantPresence(MucContext ctx, RoomActions actions) {
        this.ctx = ctx;
        this.actions = actions;
    }

    /** Available presence to an occupant JID of an existing room. */
    void available(Room room, Presence presence, boolean created) throws StanzaErrorException {
        JID from = presence.getFrom();
        String nick = presence.getTo().getResource();
        boolean mucJoin = presence.getChildElement("x", Muc.NS) != null;
        Occupant current = room.occupantBySession(from);
        if (current == null) {
            if (!mucJoin) {
                room.outbox.send(notInRoom(presence));
                return;
            }
            enter(room, presence, created);
        } else if (current.nick().equals(nick)) {
            update(room, current, presence, mucJoin);
        } else {
            changeNick(room, current, presence);
        }
    }

    /**
     * "it is RECOMMENDED that a service receiving a presence without an x element from a non-occupant
     * full-JID responds with an explicit kick to that client" with 110, 307 and 333 (§7.2.16).
     */
    static Presence notInRoom(Presence presence) {
        return MucStanzas.unavailable(null, presence.getTo(), presence.getFrom(), null, Affiliation.NONE,
                new MucStanzas.Item(null, null, null, "You are not in the room."),
                Muc.STATUS_SELF, Muc.STATUS_KICKED, Muc.STATUS_ERROR);
    }

    private void enter(Room room, Presence presence, boolean created) throws StanzaErrorException {
        JID from = presence.getFrom();
        String nick = presence.getTo().getResource();
        checkNick(nick);
        Affiliation affiliation = room.affiliationOf(from);
        RoomConfig config = room.config();
        if (room.isLocked() && affiliation != Affiliation.OWNER) {
            throw error(Condition.item_not_found, "the room is locked until its owner configures it"); // §7.2.11
        }
        if (affiliation == Affiliation.OUTCAST) {
            throw error(Condition.forbidden, "you are banned from this room"); // §7.2.7
        }
        if (config.membersOnly() && !affiliation.atLeast(Affiliation.MEMBER)) {
            throw error(Condition.registration_required, "the room is members-only"); // §7.2.6
        }
        if (config.passwordProtected() && !affiliation.isAdminOrOwner() && !passwordMatches(presence, config)) {
            throw error(Condition.not_authorized, "a password is required"); // §7.2.5
        }
        Occupant occupant = room.occupant(nick);
        if (occupant != null && !occupant.bareJid().equals(from.asBareJID())) {
            throw error(Condition.conflict, "the nickname is in use"); // §7.2.9
        }
        String reservedBy = room.reservedBy(nick);
        if (reservedBy != null && !reservedBy.equals(from.toBareJID())) {
            throw error(Condition.conflict, "the nickname is reserved");
        }
        if (occupant == null) {
            int limit = affiliation.isAdminOrOwner() ? config.maxUsers() + ADMIN_HEADROOM : config.maxUsers();
            if (room.occupantCount() >= Math.min(limit, ctx.options().maxOccupants() + ADMIN_HEADROOM)) {
                throw new StanzaErrorException(Condition.service_unavailable, PacketError.Type.wait, "the room is full",
                        null); // §7.2.10
            }
            occupant = new Occupant(nick, from.asBareJID(), room.defaultRole(affiliation));
        }
        room.enter(occupant, from, MucStanzas.stripped(presence));
        ctx.rooms().entered(from, room);
        List<Integer> codes = new ArrayList<>();
        if (config.nonAnonymous()) {
            codes.add(Muc.STATUS_NON_ANONYMOUS);
        }
        if (created) {
            codes.add(Muc.STATUS_CREATED);
        }
        welcome(room, occupant, presence, codes.stream().mapToInt(Integer::intValue).toArray());
        announce(room, occupant, from, presence.getID());
    }

    /**
     * What a newcomer's session receives, in the order of §7.1: the other occupants' presence, its
     * own presence (110), the discussion history, the subject.
     */
    private void welcome(Room room, Occupant occupant, Presence join, int... codes) {
        JID session = join.getFrom();
        Broadcasts.roster(room, occupant, session);
        room.outbox.send(Broadcasts.presenceTo(room, occupant, occupant, session, join.getID(),
                MucStanzas.Item.EMPTY, codes));
        Element x = join.getChildElement("x", Muc.NS);
        RoomHistory.Request request = RoomHistory.Request.from(x == null ? null : x.element("history"));
        for (RoomHistory.Entry entry : room.history().select(request, ctx.now())) {
            Message m = entry.message().createCopy();
            m.setTo(session);
            MucStanzas.delay(m, room.jid(), entry.at());
            room.outbox.send(m);
        }
        room.outbox.send(subject(room, session));
    }

    /** The subject message of §7.2.15: empty when none was set, from the occupant JID of whoever set it. */
    static Message subject(Room room, JID to) {
        Room.Subject s = room.subject();
        Message m = new Message();
        m.setType(Message.Type.groupchat);
        m.setFrom(s.nick() == null ? room.jid() : room.occupantJid(s.nick()));
        m.setTo(to);
        m.setID(MucStanzas.newId());
        m.getElement().addElement("subject").setText(s.text());
        if (s.at() != null) {
            MucStanzas.delay(m, room.jid(), s.at());
        }
        return m;
    }

    /** The newcomer's presence to everyone else (and to its own other sessions). */
    private static void announce(Room room, Occupant occupant, JID except, String id) {
        for (Occupant observer : room.occupants()) {
            if (!Broadcasts.visible(room, occupant, observer)) {
                continue;
            }
            for (JID session : observer.sessions()) {
                if (!session.equals(except)) {
                    room.outbox.send(Broadcasts.presenceTo(room, occupant, observer, session, id, MucStanzas.Item.EMPTY));
                }
            }
        }
    }

    /**
     * Presence to the nickname already in use: an availability change (§7.7), or, with the MUC
     * {@code <x/>}, a client that lost synchronisation and gets "exactly the same stanzas ... as if
     * it actually just joined" (§7.2.1), others seeing an update only if its presence changed.
     */
    private void update(Room room, Occupant occupant, Presence presence, boolean resync) {
        JID from = presence.getFrom();
        Presence stripped = MucStanzas.stripped(presence);
        boolean changed = !stripped.toXML().equals(occupant.presence().toXML());
        occupant.presence(from, stripped);
        if (!resync) {
            Broadcasts.presence(room, occupant, presence.getID(), MucStanzas.Item.EMPTY);
            return;
        }
        welcome(room, occupant, presence, room.config().nonAnonymous() ? new int[] {Muc.STATUS_NON_ANONYMOUS} : new int[0]);
        if (changed) {
            announce(room, occupant, from, presence.getID());
        }
    }

    /**
     * §7.6: unavailable presence from the old nickname with 303 and the new nick, then available
     * presence from the new one. A user in the room from several clients under one nickname is
     * refused (not-acceptable): the nickname belongs to all of them.
     */
    private void changeNick(Room room, Occupant occupant, Presence presence) throws StanzaErrorException {
        String nick = presence.getTo().getResource();
        checkNick(nick);
        Occupant holder = room.occupant(nick);
        String reservedBy = room.reservedBy(nick);
        if ((holder != null && holder != occupant)
                || (reservedBy != null && !reservedBy.equals(occupant.bareJid().toBareJID()))) {
            throw error(Condition.conflict, "the nickname is in use or reserved");
        }
        if (occupant.sessions().size() > 1) {
            throw error(Condition.not_acceptable, "you are in the room from several clients under this nickname");
        }
        Affiliation affiliation = room.affiliationOf(occupant.bareJid());
        Broadcasts.departure(room, occupant, occupant.sessions(), null, presence.getID(), affiliation,
                new MucStanzas.Item(null, nick, null, null), Muc.STATUS_NEW_NICK);
        room.rename(occupant, nick);
        occupant.presence(presence.getFrom(), MucStanzas.stripped(presence));
        Broadcasts.presence(room, occupant, presence.getID(), MucStanzas.Item.EMPTY);
    }

    /**
     * A session leaves (§7.14): its own unavailable presence with 110; the others see the occupant
     * leave when this was its last session, or its presence change otherwise. The codes mark why
     * (333 when the service removes a session after a delivery error, §12.1). A room still locked
     * goes with its creator (§10.1.1), quietly: the creator gets the ordinary exit presence.
     */
    void exit(Room room, JID session, Presence exit, String id, int... codes) {
        Occupant occupant = room.occupantBySession(session);
        if (occupant == null) {
            return; // "A room MUST silently ignore unavailable presence received from a user who has a role of none"
        }
        Affiliation affiliation = room.affiliationOf(occupant.bareJid());
        if (occupant.sessions().size() == 1) {
            Broadcasts.departure(room, occupant, List.of(session), exit, id, affiliation, MucStanzas.Item.EMPTY, codes);
            room.exit(session);
            ctx.rooms().exited(session, room);
            actions.afterExit(room);
            return;
        }
        room.outbox.send(MucStanzas.unavailable(exit, room.occupantJid(occupant.nick()), session, id, affiliation,
                MucStanzas.Item.EMPTY.withJid(session), Broadcasts.withSelf(codes)));
        room.exit(session);
        ctx.rooms().exited(session, room);
        Broadcasts.presence(room, occupant, null, MucStanzas.Item.EMPTY);
    }

    /**
     * "Room Nicknames MUST match the Resourceprep profile" (done when the address was parsed) and
     * "a MUC service MUST NOT allow empty or invisible Room Nicknames" (§17.1); the length is ours.
     */
    void checkNick(String nick) throws StanzaErrorException {
        if (nick == null || nick.isBlank() || nick.codePoints().allMatch(c -> Character.isWhitespace(c)
                || Character.getType(c) == Character.FORMAT || Character.isSpaceChar(c))) {
            throw error(Condition.jid_malformed, "a room nickname is required"); // §7.2.1
        }
        if (nick.codePointCount(0, nick.length()) > ctx.options().maxNicknameLength()) {
            throw error(Condition.not_acceptable, "the nickname is longer than "
                    + ctx.options().maxNicknameLength() + " characters");
        }
    }

    private static boolean passwordMatches(Presence presence, RoomConfig config) {
        Element x = presence.getChildElement("x", Muc.NS);
        String given = x == null ? null : x.elementText("password");
        return given != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                config.password().getBytes(StandardCharsets.UTF_8));
    }

    private static StanzaErrorException error(Condition condition, String text) {
        return new StanzaErrorException(condition, text);
    }
}
