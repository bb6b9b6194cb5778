package im.tongyou.server.feature.pubsub;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.xmpp.packet.JID;

/**
 * One leaf node of a publish-subscribe service (XEP-0060 §4.2) as kept in memory: its
 * configuration, affiliations and subscriptions. Items stay in the database. A node is changed only
 * under its service's lock ({@link NodeRegistry.Service}).
 */
final class PubSubNode {

    /**
     * A subscription (XEP-0060 §4.2 "Subscription States"); this server keeps one per JID.
     *
     * @param jid     the subscribed JID, bare or full (§6.1.1)
     * @param subid   its identifier, always given out
     * @param deliver the subscription option pubsub#deliver (§6.3)
     */
    record Subscription(JID jid, String subid, boolean deliver, Instant since) {
    }

    private final String id;
    private final String service;
    private final String name;
    private final Instant createdAt;
    private NodeConfig config;
    private final Map<String, Affiliation> affiliations = new LinkedHashMap<>();
    private final Map<String, Subscription> subscriptions = new LinkedHashMap<>();

    PubSubNode(String id, String service, String name, NodeConfig config, Instant createdAt) {
        this.id = id;
        this.service = service;
        this.name = name;
        this.config = config;
        this.createdAt = createdAt;
    }

    /** The storage key. */
    String id() {
        return id;
    }

    /** The service's address: {@code pubsub.<domain>}, or the owner's bare JID for PEP. */
    String service() {
        return service;
    }

    /** The NodeID (§4.3). */
    String name() {
        return name;
    }

    Instant createdAt() {
        return createdAt;
    }

    NodeConfig config() {
        return config;
    }

    void config(NodeConfig config) {
        this.config = config;
    }

    /** The affiliation of a bare JID ({@code none} when it has none). */
    Affiliation affiliation(JID jid) {
        return affiliations.getOrDefault(jid.toBareJID(), Affiliation.NONE);
    }

    void affiliation(String bareJid, Affiliation a) {
        if (a == Affiliation.NONE) {
            affiliations.remove(bareJid);
        } else {
            affiliations.put(bareJid, a);
        }
    }

    /** Every affiliation other than none, by bare JID. */
    Map<String, Affiliation> affiliations() {
        return Map.copyOf(affiliations);
    }

    Subscription subscription(JID jid) {
        return subscriptions.get(jid.toString());
    }

    void subscribe(Subscription s) {
        subscriptions.put(s.jid().toString(), s);
    }

    Subscription unsubscribe(JID jid) {
        return subscriptions.remove(jid.toString());
    }

    /** The subscriptions, in the order they were made. */
    java.util.List<Subscription> subscriptions() {
        return java.util.List.copyOf(subscriptions.values());
    }
}
