package im.tongyou.server.feature.pubsub;

import im.tongyou.api.StanzaErrorException;
import im.tongyou.api.roster.RosterItem;
import java.util.Optional;
import org.xmpp.packet.JID;
import org.xmpp.packet.PacketError.Condition;

/**
 * Who may subscribe to a node and retrieve its items, by its access model (XEP-0060 §4.5, with the
 * errors of §6.1.3 and §6.5.9), and who may publish (§4.1 Table 4, §7.1.3.1). The owner of a
 * presence or roster node is its owner affiliate whose roster is asked: the PEP account, or on the
 * service each owner in turn.
 */
final class AccessControl {

    private final PubSubContext ctx;

    AccessControl(PubSubContext ctx) {
        this.ctx = ctx;
    }

    static boolean isOwner(PubSubNode node, JID jid) {
        return node.affiliation(jid) == Affiliation.OWNER;
    }

    /** Whether the requester may see the node and its items. */
    boolean mayAccess(PubSubNode node, JID requester) {
        return denial(node, requester) == null;
    }

    /** Throws the access model's error when the requester may not see the node and its items. */
    void requireAccess(PubSubNode node, JID requester) throws StanzaErrorException {
        StanzaErrorException e = denial(node, requester);
        if (e != null) {
            throw e;
        }
    }

    private StanzaErrorException denial(PubSubNode node, JID requester) {
        Affiliation a = node.affiliation(requester);
        if (a == Affiliation.OUTCAST) {
            return StanzaErrorException.forbidden("you are banned from this node");
        }
        if (a == Affiliation.OWNER || a == Affiliation.PUBLISHER || a == Affiliation.MEMBER) {
            return null;
        }
        return switch (node.config().access()) {
            case OPEN -> null;
            case PRESENCE -> anyOwner(node, owner -> ctx.roster().isContact(owner, requester)) ? null
                    : PubSub.error(Condition.not_authorized, "presence-subscription-required",
                            "only contacts subscribed to the owner's presence may see this node");
            case ROSTER -> anyOwner(node, owner -> inGroups(node, owner, requester)) ? null
                    : PubSub.error(Condition.not_authorized, "not-in-roster-group",
                            "only contacts in the owner's allowed roster groups may see this node");
            case WHITELIST -> PubSub.error(Condition.not_allowed, "closed-node", "this node is for its whitelist only");
        };
    }

    /**
     * Throws forbidden when the requester may not publish (§7.1.3.1); on PEP only the account
     * owner publishes (XEP-0163 §3 "the account owner ... publishes").
     */
    void requirePublish(NodeRegistry.Service service, PubSubNode node, JID requester) throws StanzaErrorException {
        Affiliation a = node.affiliation(requester);
        boolean allowed = switch (node.config().publishModel()) {
            case PUBLISHERS -> a.mayPublish();
            case SUBSCRIBERS -> a.mayPublish() || (a != Affiliation.OUTCAST
                    && (node.subscription(requester) != null || node.subscription(requester.asBareJID()) != null));
            case OPEN -> a != Affiliation.OUTCAST;
        };
        if (service.isPep() && !requester.toBareJID().equals(service.address().toBareJID())) {
            allowed = false;
        }
        if (!allowed) {
            throw StanzaErrorException.forbidden("you may not publish to this node");
        }
    }

    private boolean inGroups(PubSubNode node, String owner, JID requester) {
        Optional<RosterItem> item = ctx.roster().item(owner, requester);
        return item.isPresent() && item.get().subscription().contactSeesUser()
                && item.get().groups().stream().anyMatch(node.config().rosterGroups()::contains);
    }

    private boolean anyOwner(PubSubNode node, java.util.function.Predicate<String> test) {
        for (var e : node.affiliations().entrySet()) {
            if (e.getValue() == Affiliation.OWNER) {
                JID owner = new JID(e.getKey());
                if (ctx.isLocal(owner) && test.test(owner.getNode())) {
                    return true;
                }
            }
        }
        return false;
    }
}
