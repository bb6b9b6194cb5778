package im.tongyou.server.feature.pubsub;

import im.tongyou.api.privacy.SubjectDataProvider;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.dom4j.Element;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;

/**
 * The personal data of publish-subscribe (design guide §6): a user's PEP nodes with their items,
 * the nodes they own on {@code pubsub.<domain>}, the items they published anywhere, and their
 * subscriptions and affiliations.
 *
 * <p>Erasure deletes the user's PEP service whole, and on the service every node the user alone
 * owns (its subscribers are told, §8.4.1), the items they published elsewhere (on others' PEP
 * nodes and the service's; subscribers are told as of a retraction, §7.2.2.1, where the node
 * notifies retractions), and their subscriptions and affiliations; a node with another owner stays
 * with that owner. Items are erased, not re-addressed to the tombstone like archive copies: an item
 * is the user's own publication, whose content may name or describe them wherever it sits, while an
 * archive copy is the other party's record of a conversation (privacy requirements decision 3).
 */
final class PubSubSubjectData implements SubjectDataProvider {

    private final PubSubContext ctx;
    private final Notifier notifier;

    PubSubSubjectData(PubSubContext ctx, Notifier notifier) {
        this.ctx = ctx;
        this.notifier = notifier;
    }

    @Override
    public String name() {
        return "pubsub";
    }

    @Override
    public String purpose() {
        return "Publish-subscribe and PEP (XEP-0060, XEP-0163): the nodes, encrypted items, subscriptions and affiliations of the user, to share avatar, nickname, bookmarks and keys with contacts (core IM, contract).";
    }

    @Override
    public Set<String> tables() {
        return Set.of("pubsub_node", "pubsub_affiliation", "pubsub_subscription", "pubsub_item");
    }

    @Override
    public Map<String, Object> export(String username) {
        JID bare = new JID(username, ctx.domain(), null);
        List<Object> nodes = new ArrayList<>();
        List<Object> published = new ArrayList<>();
        List<Object> subscriptions = new ArrayList<>();
        List<Object> affiliations = new ArrayList<>();
        for (NodeRegistry.Service service : services(bare)) {
            synchronized (service) {
                for (PubSubNode node : service.nodes.values()) {
                    boolean mine = service.isPep() ? service.pepOwner().equals(username)
                            : AccessControl.isOwner(node, bare);
                    if (mine) {
                        nodes.add(node(service, node));
                        continue;
                    }
                    for (PubSubStore.StoredItem item : ctx.store().items(node.id(), Integer.MAX_VALUE)) {
                        if (item.publisher().equals(bare.toBareJID())) {
                            Map<String, Object> m = item(item);
                            m.put("service", service.address().toString());
                            m.put("node", node.name());
                            published.add(m);
                        }
                    }
                    for (PubSubNode.Subscription s : node.subscriptions()) {
                        if (s.jid().toBareJID().equals(bare.toBareJID())) {
                            subscriptions.add(Map.of("service", service.address().toString(), "node", node.name(),
                                    "jid", s.jid().toString(), "since", s.since().toString()));
                        }
                    }
                    Affiliation a = node.affiliation(bare);
                    if (a != Affiliation.NONE) {
                        affiliations.add(Map.of("service", service.address().toString(), "node", node.name(),
                                "affiliation", a.value()));
                    }
                }
            }
        }
        Map<String, Object> export = new LinkedHashMap<>();
        export.put("nodes", nodes);
        export.put("items-published-elsewhere", published);
        export.put("subscriptions", subscriptions);
        export.put("affiliations", affiliations);
        return export;
    }

    @Override
    public void erase(String username) {
        JID bare = new JID(username, ctx.domain(), null);
        List<Message> outbox = new ArrayList<>();
        for (NodeRegistry.Service service : services(bare)) {
            synchronized (service) {
                for (PubSubNode node : new ArrayList<>(service.nodes.values())) {
                    erase(service, node, bare, outbox);
                }
            }
            if (service.isPep() && service.pepOwner().equals(username)) {
                ctx.registry().forget(service.address());
            }
        }
        outbox.forEach(ctx.router()::route);
    }

    private void erase(NodeRegistry.Service service, PubSubNode node, JID bare, List<Message> outbox) {
        boolean ownPep = service.isPep() && service.pepOwner().equals(bare.getNode());
        boolean soleOwner = AccessControl.isOwner(node, bare) && node.affiliations().values().stream()
                .filter(a -> a == Affiliation.OWNER).count() == 1;
        if (ownPep || soleOwner) {
            if (!ownPep) {
                outbox.addAll(notifier.deleted(service, node));
            }
            ctx.store().deleteNode(node.id());
            service.nodes.remove(node.name());
            return;
        }
        List<String> retracted = new ArrayList<>();
        for (PubSubStore.StoredItem item : ctx.store().items(node.id(), Integer.MAX_VALUE)) {
            if (item.publisher().equalsIgnoreCase(bare.toBareJID())) {
                ctx.store().deleteItem(node.id(), item.id());
                retracted.add(item.id());
            }
        }
        if (!retracted.isEmpty() && node.config().notifyRetract()) {
            // §7.2.2.1, as if she had retracted them: subscribers drop the copies they were sent.
            outbox.addAll(notifier.retracted(service, node, retracted));
        }
        for (PubSubNode.Subscription s : node.subscriptions()) {
            if (s.jid().toBareJID().equals(bare.toBareJID())) {
                ctx.store().deleteSubscription(node.id(), s.jid());
                node.unsubscribe(s.jid());
            }
        }
        if (node.affiliation(bare) != Affiliation.NONE) {
            ctx.store().setAffiliation(node.id(), bare.toBareJID(), Affiliation.NONE);
            node.affiliation(bare.toBareJID(), Affiliation.NONE);
        }
    }

    /** The user's PEP service, and every other service where they have a node, item, subscription or affiliation. */
    private List<NodeRegistry.Service> services(JID bare) {
        List<NodeRegistry.Service> services = new ArrayList<>();
        services.add(ctx.registry().pep(bare));
        for (String address : ctx.store().servicesInvolving(bare.toBareJID())) {
            JID jid = new JID(address);
            if (jid.equals(bare)) {
                continue;
            }
            services.add(jid.getNode() == null ? ctx.registry().component(jid) : ctx.registry().pep(jid));
        }
        return services;
    }

    private Map<String, Object> node(NodeRegistry.Service service, PubSubNode node) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("service", service.address().toString());
        m.put("node", node.name());
        m.put("created-at", node.createdAt().toString());
        Map<String, Object> config = new LinkedHashMap<>();
        Forms.values(node.config().toForm("submit", ctx.options().maxPayloadBytes(), ctx.options().maxItems()))
                .forEach((k, v) -> config.put(k, v.size() == 1 ? v.get(0) : v));
        m.put("configuration", config);
        Map<String, Object> affiliations = new LinkedHashMap<>();
        node.affiliations().forEach((jid, a) -> affiliations.put(jid, a.value()));
        m.put("affiliations", affiliations);
        List<Object> subscribers = new ArrayList<>();
        node.subscriptions().forEach(s -> subscribers.add(s.jid().toString()));
        m.put("subscribers", subscribers);
        List<Object> items = new ArrayList<>();
        ctx.store().items(node.id(), Integer.MAX_VALUE).forEach(i -> items.add(item(i)));
        m.put("items", items);
        return m;
    }

    private Map<String, Object> item(PubSubStore.StoredItem item) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", item.id());
        m.put("publisher", item.publisher());
        m.put("published-at", item.publishedAt().toString());
        StringBuilder xml = new StringBuilder();
        for (Element e : ctx.payloads().open(item)) {
            xml.append(e.asXML());
        }
        m.put("payload", xml.toString());
        return m;
    }
}
