package im.tongyou.server.feature.pubsub;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.dom4j.DocumentException;
import org.dom4j.DocumentHelper;
import org.xmpp.packet.JID;

/**
 * The nodes of every publish-subscribe service in memory: {@code pubsub.<domain>} and each user's
 * PEP service (XEP-0163), loaded from the store when first used. Work on a service's nodes holds
 * that service's lock ({@code synchronized (service)}).
 */
final class NodeRegistry {

    /** One service and its nodes by NodeID. */
    static final class Service {
        private final JID address;
        private final String pepOwner;
        final Map<String, PubSubNode> nodes = new LinkedHashMap<>();

        Service(JID address, String pepOwner) {
            this.address = address;
            this.pepOwner = pepOwner;
        }

        /** {@code pubsub.<domain>}, or the owner's bare JID for PEP. */
        JID address() {
            return address;
        }

        /** The owner's username for a PEP service, else {@code null}. */
        String pepOwner() {
            return pepOwner;
        }

        boolean isPep() {
            return pepOwner != null;
        }
    }

    private final PubSubStore store;
    private final PubSubOptions options;
    private final ConcurrentHashMap<String, Service> services = new ConcurrentHashMap<>();

    NodeRegistry(PubSubStore store, PubSubOptions options) {
        this.store = store;
        this.options = options;
    }

    /** The PEP service of a local user. */
    Service pep(JID bare) {
        return service(new JID(bare.getNode(), bare.getDomain(), null), bare.getNode());
    }

    /** The service on {@code pubsub.<domain>}. */
    Service component(JID address) {
        return service(address, null);
    }

    private Service service(JID address, String pepOwner) {
        Service s = services.get(address.toString());
        if (s != null) {
            return s;
        }
        Service loaded = load(address, pepOwner);
        Service raced = services.putIfAbsent(address.toString(), loaded);
        return raced != null ? raced : loaded;
    }

    /** The services already in memory (every PEP service that was used since the start). */
    List<Service> loaded() {
        return new ArrayList<>(services.values());
    }

    /** Forgets a PEP service (its data was erased). */
    void forget(JID address) {
        services.remove(address.toString());
    }

    private Service load(JID address, String pepOwner) {
        Service s = new Service(address, pepOwner);
        for (PubSubStore.StoredNode n : store.nodes(address.toString())) {
            NodeConfig config;
            try {
                config = NodeConfig.fromStored(DocumentHelper.parseText(n.config()).getRootElement(),
                        pepOwner != null, options.maxItems());
            } catch (DocumentException e) {
                throw new IllegalStateException("stored configuration of node " + n.name() + " is not XML", e);
            }
            PubSubNode node = new PubSubNode(n.id(), n.service(), n.name(), config, n.createdAt());
            n.affiliations().forEach(node::affiliation);
            n.subscriptions().forEach(node::subscribe);
            s.nodes.put(n.name(), node);
        }
        return s;
    }
}
