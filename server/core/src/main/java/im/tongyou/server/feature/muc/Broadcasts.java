package im.tongyou.server.feature.muc;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;
import org.xmpp.packet.Presence;

/**
 * Puts a room's presence and messages to its occupants in the room's outbox (XEP-0045 §7.2.3
 * presence broadcast, §7.2.4 and §7.2.5 who sees real JIDs, §7.4 messages). Called with the room's
 * lock held.
 */
final class Broadcasts {

    private Broadcasts() {
    }

    /**
     * Whether an occupant sees other occupants' real JIDs: everyone in a non-anonymous room, only
     * moderators in a semi-anonymous one ("MUST include the new occupant's full JID only in the
     * presence notifications it sends to occupants with a role of moderator", §7.2.5).
     */
    static boolean seesRealJids(Room room, Occupant observer) {
        return room.config().nonAnonymous() || observer.role() == Role.MODERATOR;
    }

    /** Whether an occupant's presence reaches another (muc#roomconfig_presencebroadcast). */
    static boolean visible(Room room, Occupant subject, Occupant observer) {
        return subject == observer || room.config().broadcasts(subject.role());
    }

    /** One occupant's available presence to one session of an observer; self-presence gets 110. */
    static Presence presenceTo(Room room, Occupant subject, Occupant observer, JID session, String id,
                               MucStanzas.Item item, int... codes) {
        boolean self = subject == observer;
        JID realJid = self ? session : seesRealJids(room, observer) ? subject.primaryJid() : null;
        int[] all = self ? withSelf(codes) : codes;
        return MucStanzas.presence(subject.presence(), room.occupantJid(subject.nick()), session, id,
                room.affiliationOf(subject.bareJid()), subject.role(), item.withJid(realJid), all);
    }

    /**
     * An occupant's presence to every session in the room that may see it (§7.7 availability
     * changes, §8-§10 role and affiliation changes). Status codes go to all; 110 to the occupant.
     */
    static void presence(Room room, Occupant subject, String id, MucStanzas.Item item, int... codes) {
        for (Occupant observer : room.occupants()) {
            if (!visible(room, subject, observer)) {
                continue;
            }
            for (JID session : observer.sessions()) {
                room.outbox.send(presenceTo(room, subject, observer, session, id, item, codes));
            }
        }
    }

    /** The presence of every other occupant to a newcomer's session (§7.2.3, first in the order of §7.1). */
    static void roster(Room room, Occupant newcomer, JID session) {
        for (Occupant other : room.occupants()) {
            if (other != newcomer && visible(room, other, newcomer)) {
                room.outbox.send(presenceTo(room, other, newcomer, session, null, MucStanzas.Item.EMPTY));
            }
        }
    }

    /**
     * An occupant's departure: unavailable presence with role none to every session of the room
     * that saw it, and (with 110) to the departing sessions (§7.14, §8.2, §9.1). Call before the
     * occupant is removed, so that it still counts as visible.
     */
    static void departure(Room room, Occupant subject, Iterable<JID> selfSessions, Presence exit, String id,
                          Affiliation affiliation, MucStanzas.Item item, int... codes) {
        JID from = room.occupantJid(subject.nick());
        for (JID session : selfSessions) {
            room.outbox.send(MucStanzas.unavailable(exit, from, session, id, affiliation, item.withJid(session),
                    withSelf(codes)));
        }
        for (Occupant observer : room.occupants()) {
            if (observer == subject || !visible(room, subject, observer)) {
                continue;
            }
            JID realJid = seesRealJids(room, observer) ? subject.primaryJid() : null;
            for (JID session : observer.sessions()) {
                room.outbox.send(MucStanzas.unavailable(exit, from, session, id, affiliation, item.withJid(realJid),
                        codes));
            }
        }
    }

    /** A message to every session of every occupant (§7.4); each copy gets its own 'to'. */
    static void message(Room room, Message message) {
        for (Occupant o : room.occupants()) {
            for (JID session : o.sessions()) {
                Message copy = message.createCopy();
                copy.setTo(session);
                room.outbox.send(copy);
            }
        }
    }

    /** Status codes from the room to everyone, e.g. 104 or 172 after a configuration change (§10.2.1). */
    static void status(Room room, int... codes) {
        for (Occupant o : room.occupants()) {
            for (JID session : o.sessions()) {
                room.outbox.send(MucStanzas.statusMessage(room.jid(), session, codes));
            }
        }
    }

    /** The codes with 110 first, as in the examples of §7.2.3. */
    static int[] withSelf(int... codes) {
        if (Arrays.stream(codes).anyMatch(c -> c == Muc.STATUS_SELF)) {
            return codes;
        }
        return IntStream.concat(IntStream.of(Muc.STATUS_SELF), Arrays.stream(codes)).toArray();
    }
}
