package im.tongyou.server.feature.pubsub;

import im.tongyou.api.Router;
import im.tongyou.api.Sessions;
import im.tongyou.api.caps.Capabilities;
import im.tongyou.api.roster.Roster;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.xmpp.packet.JID;

/**
 * What the publish-subscribe parts share.
 *
 * @param domain   the server's domain
 * @param service  the address of the service on {@code pubsub.<domain>}
 * @param caps     the clients' verified features (XEP-0115), when the caps feature runs
 * @param isAdmin  whether a JID is a server administrator
 */
record PubSubContext(String domain, JID service, PubSubOptions options, NodeRegistry registry, PubSubStore store,
                     Payloads payloads, Roster roster, Router router, Sessions sessions,
                     Supplier<Optional<Capabilities>> caps, Clock clock, Predicate<JID> isAdmin) {

    /** Whether a JID is a user of this server. */
    boolean isLocal(JID jid) {
        return jid != null && jid.getNode() != null && domain.equals(jid.getDomain());
    }
}
