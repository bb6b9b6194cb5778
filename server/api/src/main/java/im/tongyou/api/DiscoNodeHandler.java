package im.tongyou.api;

import java.util.List;
import java.util.Optional;
import org.xmpp.packet.JID;

/**
 * Answers service discovery for nodes of the server (XEP-0030 §3.2, §4.2) that a plugin owns, such
 * as the ad-hoc command list. Registered with {@link PluginContext#onDiscoNode}; the disco feature
 * asks each handler in turn and answers {@code item-not-found} when none knows the node.
 */
public interface DiscoNodeHandler {

    /**
     * The node's identities and features for the requester, or empty when the node is not this
     * handler's. Throw {@code forbidden} when the requester may not see it.
     */
    Optional<Info> info(JID requester, String node) throws StanzaErrorException;

    /** The node's items for the requester, or empty when the node is not this handler's. */
    Optional<List<DiscoItem>> items(JID requester, String node) throws StanzaErrorException;

    /**
     * The identities and features of a node.
     *
     * @param identities the node's identities
     * @param features   the node's features
     */
    record Info(List<DiscoIdentity> identities, List<String> features) {
        public Info {
            identities = List.copyOf(identities);
            features = List.copyOf(features);
        }
    }
}
