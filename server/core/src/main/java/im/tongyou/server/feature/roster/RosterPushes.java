package im.tongyou.server.feature.roster;

import im.tongyou.api.ClientSession;
import im.tongyou.api.SessionKey;
import im.tongyou.api.Sessions;
import java.util.concurrent.atomic.AtomicLong;
import org.dom4j.Element;
import org.xmpp.packet.IQ;
import org.xmpp.packet.JID;

/**
 * Roster pushes (RFC 6121 §2.1.6) to the user's interested resources: "If a connected resource or
 * available resource requests the roster, it is referred to as an 'interested resource'. The server
 * MUST send roster pushes to all interested resources" (§2.2).
 */
final class RosterPushes {

    /** How a session asked for the roster: with roster versioning (§2.6) or without. */
    enum Interest { PLAIN, VERSIONED }

    static final SessionKey<Interest> INTEREST = SessionKey.of("roster.interest");

    private final Sessions sessions;
    private final AtomicLong ids = new AtomicLong();

    RosterPushes(Sessions sessions) {
        this.sessions = sessions;
    }

    /** Marks a session as interested after its roster get. */
    static void interested(ClientSession session, boolean versioned) {
        session.set(INTEREST, versioned ? Interest.VERSIONED : Interest.PLAIN);
    }

    /** Pushes an item (or a removal) to every interested resource of the user. */
    void push(String username, Element item, long version) {
        for (ClientSession session : sessions.of(username)) {
            pushTo(session, item, version);
        }
    }

    /** Pushes to one session if it is interested; the push carries the new version when it asked with one. */
    void pushTo(ClientSession session, Element item, long version) {
        Interest interest = session.get(INTEREST);
        if (interest == null || !session.isOpen()) {
            return;
        }
        IQ push = new IQ(IQ.Type.set, "push-" + ids.incrementAndGet());
        push.setTo(session.jid());
        // §2.1.6: the client accepts a push with no 'from' or from its own bare JID.
        push.setFrom(new JID(session.jid().toBareJID()));
        Element query = push.setChildElement("query", RosterElement.NS);
        if (interest == Interest.VERSIONED) {
            query.addAttribute("ver", Long.toString(version));
        }
        query.add(item.createCopy());
        session.send(push);
    }
}
