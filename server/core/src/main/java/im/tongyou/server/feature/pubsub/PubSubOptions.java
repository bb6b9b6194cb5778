package im.tongyou.server.feature.pubsub;

/**
 * The options of publish-subscribe under {@code plugins.pubsub}, with their defaults.
 *
 * @param subdomain          the service's label: {@code pubsub.<domain>}
 * @param name               the service's name in service discovery
 * @param createNodes        who may create nodes on the service: {@code everyone} (local users) or {@code admins}
 * @param maxItems           the most items one node keeps, and the value of {@code pubsub#max_items = max}
 * @param defaultMaxItems    {@code pubsub#max_items} of a new node of the service
 * @param pepDefaultMaxItems {@code pubsub#max_items} of a new PEP node (XEP-0163; one, as Prosody: the last state)
 * @param maxPayloadBytes    the largest item payload, in bytes of XML (XEP-0060 §7.1.3.7 payload-too-big)
 * @param maxNodesPerUser    nodes one user may own: PEP nodes, and nodes of the service
 */
public record PubSubOptions(String subdomain, String name, String createNodes, Integer maxItems,
                            Integer defaultMaxItems, Integer pepDefaultMaxItems, Integer maxPayloadBytes,
                            Integer maxNodesPerUser) {

    public PubSubOptions {
        subdomain = subdomain == null ? "pubsub" : subdomain;
        name = name == null ? "Publish-Subscribe" : name;
        createNodes = createNodes == null ? "everyone" : createNodes;
        maxItems = maxItems == null ? 256 : maxItems;
        defaultMaxItems = defaultMaxItems == null ? 10 : defaultMaxItems;
        pepDefaultMaxItems = pepDefaultMaxItems == null ? 1 : pepDefaultMaxItems;
        maxPayloadBytes = maxPayloadBytes == null ? 131072 : maxPayloadBytes;
        maxNodesPerUser = maxNodesPerUser == null ? 100 : maxNodesPerUser;
        if (!createNodes.equals("everyone") && !createNodes.equals("admins")) {
            throw new IllegalArgumentException("create-nodes must be 'everyone' or 'admins'");
        }
        if (maxItems < 1 || maxItems > 10000) {
            throw new IllegalArgumentException("max-items must be between 1 and 10000");
        }
        if (defaultMaxItems < 1 || defaultMaxItems > maxItems || pepDefaultMaxItems < 1 || pepDefaultMaxItems > maxItems) {
            throw new IllegalArgumentException("default-max-items and pep-default-max-items must be between 1 and max-items");
        }
        if (maxPayloadBytes < 1024 || maxPayloadBytes > 1_000_000) {
            throw new IllegalArgumentException("max-payload-bytes must be between 1024 and 1000000");
        }
        if (maxNodesPerUser < 1) {
            throw new IllegalArgumentException("max-nodes-per-user must be at least 1");
        }
    }

    /** Whether only server administrators may create nodes on the service. */
    boolean adminsOnlyCreate() {
        return createNodes.equals("admins");
    }
}
