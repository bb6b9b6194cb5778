package im.tongyou.server.feature.pubsub;

import im.tongyou.api.AccountDiscoHandler;
import im.tongyou.api.DiscoIdentity;
import im.tongyou.api.DiscoItem;
import im.tongyou.api.DiscoNodeHandler;
import im.tongyou.api.StanzaErrorException;
import java.util.List;
import java.util.Optional;
import org.xmpp.packet.IQ;
import org.xmpp.packet.JID;

/**
 * The Personal Eventing Protocol (XEP-0163): every account's bare JID is a publish-subscribe
 * service of its own, answered by the server on the account's behalf, with the identity
 * {@code pubsub/pep} and its nodes in service discovery (§6).
 */
final class Pep implements AccountDiscoHandler {

    private final PubSubContext ctx;
    private final PubSubIqHandler handler;
    private final PubSubDisco disco;

    Pep(PubSubContext ctx, PubSubIqHandler handler, PubSubDisco disco) {
        this.ctx = ctx;
        this.handler = handler;
        this.disco = disco;
    }

    /** A {@code <pubsub/>} request to a bare JID, or with no 'to' for the sender's own account. */
    IQ handle(IQ iq) {
        JID to = iq.getTo();
        JID owner = to != null ? to.asBareJID() : iq.getFrom().asBareJID();
        try {
            return handler.handle(ctx.registry().pep(owner), iq);
        } catch (StanzaErrorException e) {
            return PubSub.errorReply(iq, e);
        }
    }

    @Override
    public List<DiscoIdentity> identities(String username) {
        return List.of(new DiscoIdentity("pubsub", "pep", null));
    }

    @Override
    public List<DiscoItem> items(String username, JID requester) {
        return disco.nodes(service(username), requester);
    }

    @Override
    public Optional<DiscoNodeHandler.Info> nodeInfo(String username, JID requester, String node) {
        return disco.nodeInfo(service(username), requester, node);
    }

    @Override
    public Optional<List<DiscoItem>> nodeItems(String username, JID requester, String node) {
        return disco.items(service(username), requester, node);
    }

    private NodeRegistry.Service service(String username) {
        return ctx.registry().pep(new JID(username, ctx.domain(), null));
    }
}
