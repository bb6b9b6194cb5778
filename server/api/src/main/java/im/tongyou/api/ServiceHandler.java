package im.tongyou.api;

import org.xmpp.packet.Packet;

/**
 * A service on a subdomain of the server, such as XEP-0045 chat rooms on {@code conference.<domain>}
 * or a XEP-0060 publish-subscribe service: the server's own equivalent of a XEP-0114 component.
 */
@FunctionalInterface
public interface ServiceHandler {

    /**
     * Handles a stanza addressed to the service's domain or to an entity under it (a room, a room
     * occupant). Runs on the sending session's worker, in that session's order; stanzas from
     * different senders arrive concurrently, so the service keeps its own state thread-safe. It
     * answers through {@link Router#route}, with {@code from} set to its own addresses. A
     * {@link StanzaErrorException} becomes an error reply to the sender.
     */
    void handle(Packet stanza) throws StanzaErrorException;
}
