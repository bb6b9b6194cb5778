package im.tongyou.api;

import java.util.List;
import java.util.Optional;
import org.xmpp.packet.JID;

/**
 * Answers service discovery on users' bare JIDs for what a plugin keeps there, such as the
 * personal eventing nodes of XEP-0163 §6 ("the account owner's server MUST return an identity of
 * pubsub/pep" and list the nodes as items). Registered with {@link PluginContext#onAccountDisco};
 * the disco feature asks each handler in turn. The top-level info and items are answered for the
 * account's owner and contacts only (XEP-0030 §8); node requests go to the handlers whoever asks,
 * and each handler checks that the requester may see the node.
 */
public interface AccountDiscoHandler {

    /** Identities the account has through this plugin, added to its top-level disco#info. */
    default List<DiscoIdentity> identities(String username) {
        return List.of();
    }

    /** Items of the account's top-level disco#items (XEP-0030 §4.1) the requester may see. */
    default List<DiscoItem> items(String username, JID requester) {
        return List.of();
    }

    /**
     * The identities and features of one of the account's nodes (XEP-0030 §3.2), or empty when the
     * node is not this handler's. Throw when the requester may not see it.
     */
    Optional<DiscoNodeHandler.Info> nodeInfo(String username, JID requester, String node) throws StanzaErrorException;

    /** The items of one of the account's nodes (XEP-0030 §4.2), or empty when the node is not this handler's. */
    Optional<List<DiscoItem>> nodeItems(String username, JID requester, String node) throws StanzaErrorException;
}
