package im.tongyou.server.feature.pubsub;

import im.tongyou.server.storage.Jdbc;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.xmpp.packet.JID;

/**
 * The only code touching the tables {@code pubsub_node}, {@code pubsub_affiliation},
 * {@code pubsub_subscription} and {@code pubsub_item}. Payloads arrive here already encrypted.
 */
final class PubSubStore {

    /** A node as stored, with its affiliations and subscriptions. */
    record StoredNode(String id, String service, String name, String config, Instant createdAt,
                      Map<String, Affiliation> affiliations, List<PubSubNode.Subscription> subscriptions) {
    }

    /** An item as stored; {@code payload} is encrypted under {@code keyUser}'s key, or null for none. */
    record StoredItem(String id, String publisher, String keyUser, byte[] payload, Instant publishedAt) {
    }

    private final Jdbc jdbc;
    private final AtomicLong seq;

    PubSubStore(DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource);
        this.seq = new AtomicLong(jdbc.queryOne("SELECT MAX(seq) AS m FROM pubsub_item", r -> r.getLong("m"))
                .orElse(0L));
    }

    /** Every node of one service. */
    List<StoredNode> nodes(String service) {
        Map<String, Map<String, Affiliation>> affiliations = new LinkedHashMap<>();
        jdbc.query("SELECT a.node_id, a.jid, a.affiliation FROM pubsub_affiliation a JOIN pubsub_node n"
                + " ON n.node_id = a.node_id WHERE n.service = ?", r -> {
                    affiliations.computeIfAbsent(r.getString("node_id"), k -> new LinkedHashMap<>())
                            .put(r.getString("jid"), Affiliation.parse(r.getString("affiliation")));
                    return null;
                }, service);
        Map<String, List<PubSubNode.Subscription>> subscriptions = new LinkedHashMap<>();
        jdbc.query("SELECT s.node_id, s.jid, s.subid, s.deliver, s.created_at FROM pubsub_subscription s"
                + " JOIN pubsub_node n ON n.node_id = s.node_id WHERE n.service = ? ORDER BY s.created_at", r -> {
                    subscriptions.computeIfAbsent(r.getString("node_id"), k -> new ArrayList<>())
                            .add(new PubSubNode.Subscription(new JID(r.getString("jid")), r.getString("subid"),
                                    r.getBoolean("deliver"), instant(r, "created_at")));
                    return null;
                }, service);
        return jdbc.query("SELECT node_id, service, node, config, created_at FROM pubsub_node WHERE service = ?"
                + " ORDER BY created_at, node", r -> new StoredNode(r.getString("node_id"), r.getString("service"),
                        r.getString("node"), r.getString("config"), instant(r, "created_at"),
                        affiliations.getOrDefault(r.getString("node_id"), Map.of()),
                        subscriptions.getOrDefault(r.getString("node_id"), List.of())), service);
    }

    /** The services (PEP owners' bare JIDs included) where a bare JID has an affiliation or a subscription. */
    List<String> servicesInvolving(String bareJid) {
        return jdbc.query("SELECT DISTINCT n.service FROM pubsub_node n WHERE n.node_id IN"
                + " (SELECT node_id FROM pubsub_affiliation WHERE jid = ?) OR n.node_id IN"
                + " (SELECT node_id FROM pubsub_subscription WHERE bare_jid = ?) OR n.node_id IN"
                + " (SELECT node_id FROM pubsub_item WHERE publisher = ?)", r -> r.getString("service"),
                bareJid, bareJid, bareJid);
    }

    void insertNode(PubSubNode node, String config) {
        jdbc.inTransaction(c -> {
            Jdbc.update(c, "INSERT INTO pubsub_node (node_id, service, node, config, created_at) VALUES (?, ?, ?, ?, ?)",
                    node.id(), node.service(), node.name(), config, node.createdAt());
            for (Map.Entry<String, Affiliation> a : node.affiliations().entrySet()) {
                Jdbc.update(c, "INSERT INTO pubsub_affiliation (node_id, jid, affiliation) VALUES (?, ?, ?)",
                        node.id(), a.getKey(), a.getValue().value());
            }
            return null;
        });
    }

    void updateConfig(String nodeId, String config) {
        jdbc.update("UPDATE pubsub_node SET config = ? WHERE node_id = ?", config, nodeId);
    }

    /** Deletes a node with its items, subscriptions and affiliations. */
    void deleteNode(String nodeId) {
        jdbc.inTransaction(c -> {
            for (String table : List.of("pubsub_item", "pubsub_subscription", "pubsub_affiliation", "pubsub_node")) {
                Jdbc.update(c, "DELETE FROM " + table + " WHERE node_id = ?", nodeId);
            }
            return null;
        });
    }

    void setAffiliation(String nodeId, String bareJid, Affiliation a) {
        jdbc.inTransaction(c -> {
            Jdbc.update(c, "DELETE FROM pubsub_affiliation WHERE node_id = ? AND jid = ?", nodeId, bareJid);
            if (a != Affiliation.NONE) {
                Jdbc.update(c, "INSERT INTO pubsub_affiliation (node_id, jid, affiliation) VALUES (?, ?, ?)",
                        nodeId, bareJid, a.value());
            }
            return null;
        });
    }

    void saveSubscription(String nodeId, PubSubNode.Subscription s) {
        jdbc.inTransaction(c -> {
            Jdbc.update(c, "DELETE FROM pubsub_subscription WHERE node_id = ? AND jid = ?", nodeId, s.jid().toString());
            Jdbc.update(c, "INSERT INTO pubsub_subscription (node_id, jid, bare_jid, subid, deliver, created_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?)", nodeId, s.jid().toString(), s.jid().toBareJID(), s.subid(),
                    s.deliver(), s.since());
            return null;
        });
    }

    void deleteSubscription(String nodeId, JID jid) {
        jdbc.update("DELETE FROM pubsub_subscription WHERE node_id = ? AND jid = ?", nodeId, jid.toString());
    }

    /**
     * Stores an item, replacing one with the same id (XEP-0060 §7.1.2: it "MUST ... overwrite the
     * existing item"), and deletes the oldest beyond {@code maxItems}. Returns the ids deleted.
     */
    List<String> putItem(String nodeId, StoredItem item, int maxItems) {
        return jdbc.inTransaction(c -> {
            Jdbc.update(c, "DELETE FROM pubsub_item WHERE node_id = ? AND item_id = ?", nodeId, item.id());
            Jdbc.update(c, "INSERT INTO pubsub_item (node_id, item_id, seq, publisher, key_user, payload, published_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?)", nodeId, item.id(), seq.incrementAndGet(), item.publisher(),
                    item.keyUser(), item.payload(), item.publishedAt());
            List<String> ids = Jdbc.query(c, "SELECT item_id FROM pubsub_item WHERE node_id = ? ORDER BY seq DESC",
                    r -> r.getString("item_id"), nodeId);
            List<String> dropped = ids.size() > maxItems ? List.copyOf(ids.subList(maxItems, ids.size())) : List.of();
            for (String id : dropped) {
                Jdbc.update(c, "DELETE FROM pubsub_item WHERE node_id = ? AND item_id = ?", nodeId, id);
            }
            return dropped;
        });
    }

    /** The newest {@code max} items, oldest first (the order of publication, as ejabberd answers). */
    List<StoredItem> items(String nodeId, int max) {
        List<StoredItem> newest = jdbc.query("SELECT item_id, publisher, key_user, payload, published_at FROM pubsub_item"
                + " WHERE node_id = ? ORDER BY seq DESC", PubSubStore::item, nodeId);
        List<StoredItem> some = new ArrayList<>(newest.subList(0, Math.min(max, newest.size())));
        Collections.reverse(some);
        return some;
    }

    /** The items with the given ids that exist, in the order asked. */
    List<StoredItem> items(String nodeId, Collection<String> ids) {
        List<StoredItem> found = new ArrayList<>();
        for (String id : ids) {
            jdbc.queryOne("SELECT item_id, publisher, key_user, payload, published_at FROM pubsub_item"
                    + " WHERE node_id = ? AND item_id = ?", PubSubStore::item, nodeId, id).ifPresent(found::add);
        }
        return found;
    }

    /** Deletes one item; false when there was none. */
    boolean deleteItem(String nodeId, String itemId) {
        return jdbc.update("DELETE FROM pubsub_item WHERE node_id = ? AND item_id = ?", nodeId, itemId) > 0;
    }

    /** Deletes every item of a node (XEP-0060 §8.5). */
    void purge(String nodeId) {
        jdbc.update("DELETE FROM pubsub_item WHERE node_id = ?", nodeId);
    }

    /** Trims a node to its newest {@code maxItems} items, after its limit was lowered. */
    void trim(String nodeId, int maxItems) {
        List<StoredItem> all = items(nodeId, Integer.MAX_VALUE);
        for (int i = 0; i < all.size() - maxItems; i++) {
            deleteItem(nodeId, all.get(i).id());
        }
    }

    /** The nodes (node id to item ids) holding items a bare JID published. */
    Map<String, List<String>> itemsPublishedBy(String bareJid) {
        Map<String, List<String>> byNode = new LinkedHashMap<>();
        jdbc.query("SELECT node_id, item_id FROM pubsub_item WHERE publisher = ? ORDER BY seq", r -> {
            byNode.computeIfAbsent(r.getString("node_id"), k -> new ArrayList<>()).add(r.getString("item_id"));
            return null;
        }, bareJid);
        return byNode;
    }

    private static StoredItem item(ResultSet r) throws SQLException {
        return new StoredItem(r.getString("item_id"), r.getString("publisher"), r.getString("key_user"),
                r.getBytes("payload"), instant(r, "published_at"));
    }

    private static Instant instant(ResultSet row, String column) throws SQLException {
        OffsetDateTime t = row.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
