package im.tongyou.api;

import org.xmpp.packet.Packet;
import org.xmpp.packet.Presence;

/** Something that happened to a client session; listeners run on a worker thread in session order. */
public sealed interface SessionEvent {

    /** The session concerned. */
    ClientSession session();

    /** A resource was bound (RFC 6120 §7). */
    record Bound(ClientSession session) implements SessionEvent {
    }

    /**
     * The client sent broadcast presence (RFC 6121 §4.2, §4.4, §4.5): available or unavailable.
     *
     * @param initial whether this was the session's initial presence
     */
    record PresenceChanged(ClientSession session, Presence presence, boolean initial) implements SessionEvent {
    }

    /**
     * The session ended: the client closed its stream, the connection dropped or the server
     * closed it. A session that was available and ends without unavailable presence is reported
     * with {@code wasAvailable} so presence can be broadcast for it (RFC 6121 §4.5.2).
     */
    record Closed(ClientSession session, boolean wasAvailable) implements SessionEvent {
    }

    /**
     * A stanza was queued for a session whose connection is gone while it waits to be resumed
     * (XEP-0198 §5): the device gets it only when it reconnects, so a push notification (XEP-0357)
     * may wake it. Fired on the worker of the stanza's sender.
     */
    record StanzaQueued(ClientSession session, Packet stanza) implements SessionEvent {
    }
}
