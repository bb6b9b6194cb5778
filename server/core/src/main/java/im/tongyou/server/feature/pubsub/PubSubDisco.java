package im.tongyou.server.feature.pubsub;

import im.tongyou.api.DiscoIdentity;
import im.tongyou.api.DiscoItem;
import im.tongyou.api.DiscoNodeHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.xmpp.packet.JID;

/**
 * Service discovery of nodes and items (XEP-0060 §5.1-§5.5), for the service and for PEP: a node
 * the requester may not see is answered as if it did not exist, so its existence is not revealed.
 */
final class PubSubDisco {

    private final PubSubContext ctx;
    private final AccessControl access;

    PubSubDisco(PubSubContext ctx, AccessControl access) {
        this.ctx = ctx;
        this.access = access;
    }

    /** §5.3: a node's identity ({@code pubsub/leaf}) and features, when the requester may see it. */
    Optional<DiscoNodeHandler.Info> nodeInfo(NodeRegistry.Service service, JID requester, String name) {
        synchronized (service) {
            PubSubNode node = service.nodes.get(name);
            if (node == null || !access.mayAccess(node, requester)) {
                return Optional.empty();
            }
            return Optional.of(new DiscoNodeHandler.Info(List.of(new DiscoIdentity("pubsub", "leaf",
                    node.config().title().isEmpty() ? null : node.config().title())), List.of(PubSub.NS)));
        }
    }

    /** §5.2: the nodes the requester may see. */
    List<DiscoItem> nodes(NodeRegistry.Service service, JID requester) {
        List<DiscoItem> items = new ArrayList<>();
        synchronized (service) {
            for (PubSubNode node : service.nodes.values()) {
                if (access.mayAccess(node, requester)) {
                    items.add(new DiscoItem(service.address(), node.name(),
                            node.config().title().isEmpty() ? null : node.config().title()));
                }
            }
        }
        return items;
    }

    /** §5.5: the items of a node, by id, when the requester may see them. */
    Optional<List<DiscoItem>> items(NodeRegistry.Service service, JID requester, String name) {
        PubSubNode node;
        synchronized (service) {
            node = service.nodes.get(name);
            if (node == null || !access.mayAccess(node, requester)) {
                return Optional.empty();
            }
        }
        List<DiscoItem> items = new ArrayList<>();
        for (PubSubStore.StoredItem item : ctx.store().items(node.id(), Integer.MAX_VALUE)) {
            items.add(new DiscoItem(service.address(), null, item.id()));
        }
        return Optional.of(items);
    }
}
