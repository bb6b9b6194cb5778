package im.tongyou.server.feature.pubsub;

import im.tongyou.api.StanzaErrorException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.dom4j.Element;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;
import org.xmpp.packet.PacketError.Condition;

/**
 * Creating nodes (XEP-0060 §8.1), publishing with publish-options and auto-create (§7.1, §7.1.5,
 * XEP-0163 §3) and retracting items (§7.2). Called with the service's lock held; notifications
 * go to the outbox.
 */
final class Publishing {

    private final PubSubContext ctx;
    private final AccessControl access;
    private final Notifier notifier;

    Publishing(PubSubContext ctx, AccessControl access, Notifier notifier) {
        this.ctx = ctx;
        this.access = access;
        this.notifier = notifier;
    }

    /** §8.1: creates a node, configured with the form when one is given; returns it. */
    PubSubNode create(NodeRegistry.Service service, JID from, String name, Map<String, List<String>> form)
            throws StanzaErrorException {
        requireCreate(service, from);
        if (name == null || name.isEmpty()) {
            if (service.isPep()) {
                throw PubSub.nodeIdRequired(); // XEP-0163 nodes are named by their payload namespace
            }
            name = UUID.randomUUID().toString();
        }
        refuseLocation(service, name, List.of());
        if (service.nodes.containsKey(name)) {
            throw new StanzaErrorException(Condition.conflict, "the node exists");
        }
        NodeConfig config = NodeConfig.defaults(service.isPep(),
                service.isPep() ? ctx.options().pepDefaultMaxItems() : ctx.options().defaultMaxItems());
        if (form != null) {
            try {
                config = config.with(form, ctx.options().maxItems());
            } catch (NodeConfig.InvalidConfigException e) {
                throw StanzaErrorException.notAcceptable(e.getMessage());
            }
        }
        PubSubNode node = new PubSubNode(UUID.randomUUID().toString(), service.address().toString(), name, config,
                ctx.clock().instant());
        node.affiliation(from.toBareJID(), Affiliation.OWNER);
        ctx.store().insertNode(node, stored(config));
        service.nodes.put(name, node);
        return node;
    }

    /**
     * §7.1: publishes an item (or, to a notification-only transient node, an event without one) and
     * returns the item's id; the node is created first when it does not exist (§7.1.4 auto-create).
     */
    String publish(NodeRegistry.Service service, JID from, String name, Element item, Map<String, List<String>> options,
                   List<Message> outbox) throws StanzaErrorException {
        if (name == null || name.isEmpty()) {
            throw PubSub.nodeIdRequired();
        }
        List<Element> payload = item == null ? List.of() : item.elements();
        refuseLocation(service, name, payload);
        PubSubNode node = service.nodes.get(name);
        if (node == null) {
            if (service.isPep() && !from.toBareJID().equals(service.address().toBareJID())) {
                throw PubSub.noSuchNode();
            }
            node = create(service, from, name, options);
        } else if (options != null && !node.config().meets(options, ctx.options().maxItems())) {
            // §7.1.5: "If the precondition is not met, the service MUST return a <conflict/> error
            // with a pubsub-specific condition of <precondition-not-met/>".
            throw PubSub.error(Condition.conflict, "precondition-not-met",
                    "the node's configuration does not match the publish-options");
        }
        access.requirePublish(service, node, from);
        NodeConfig c = node.config();
        checkItem(c, item, payload);
        String id = item == null || item.attributeValue("id") == null || item.attributeValue("id").isEmpty()
                ? UUID.randomUUID().toString() : item.attributeValue("id");
        if (c.persistItems()) {
            String keyUser = service.isPep() ? service.pepOwner() : from.getNode();
            ctx.store().putItem(node.id(), new PubSubStore.StoredItem(id, from.toBareJID(), keyUser,
                    ctx.payloads().seal(keyUser, payload), ctx.clock().instant()),
                    c.effectiveMaxItems(ctx.options().maxItems()));
        }
        outbox.addAll(notifier.published(service, node, id, payload));
        return id;
    }

    /** §7.2: deletes an item; its publisher or an owner may. */
    void retract(NodeRegistry.Service service, JID from, Element retract, List<Message> outbox)
            throws StanzaErrorException {
        PubSubNode node = node(service, retract.attributeValue("node"));
        Element item = retract.element("item");
        String id = item == null ? null : item.attributeValue("id");
        if (id == null || id.isEmpty()) {
            throw PubSub.error(Condition.bad_request, "item-required", "name the item to retract"); // §7.2.3.3
        }
        if (!node.config().persistItems()) {
            throw PubSub.unsupported("persistent-items", "this node keeps no items"); // §7.2.3.5
        }
        List<PubSubStore.StoredItem> found = ctx.store().items(node.id(), List.of(id));
        if (found.isEmpty()) {
            throw StanzaErrorException.itemNotFound("no such item"); // §7.2.3.4
        }
        boolean owner = AccessControl.isOwner(node, from);
        boolean own = node.affiliation(from).mayPublish() && found.get(0).publisher().equals(from.toBareJID());
        if (!owner && !own) {
            throw StanzaErrorException.forbidden("only the item's publisher or an owner may retract it"); // §7.2.3.1
        }
        ctx.store().deleteItem(node.id(), id);
        String notify = retract.attributeValue("notify");
        if ("true".equals(notify) || "1".equals(notify) || node.config().notifyRetract()) {
            outbox.addAll(notifier.retracted(service, node, List.of(id)));
        }
    }

    /** The configuration as stored: the submit form. */
    String stored(NodeConfig config) {
        return config.toForm("submit", ctx.options().maxPayloadBytes(), ctx.options().maxItems()).asXML();
    }

    private PubSubNode node(NodeRegistry.Service service, String name) throws StanzaErrorException {
        if (name == null || name.isEmpty()) {
            throw PubSub.nodeIdRequired();
        }
        PubSubNode node = service.nodes.get(name);
        if (node == null) {
            throw PubSub.noSuchNode();
        }
        return node;
    }

    private void requireCreate(NodeRegistry.Service service, JID from) throws StanzaErrorException {
        if (service.isPep()) {
            if (!from.toBareJID().equals(service.address().toBareJID())) {
                throw StanzaErrorException.forbidden("only the account's owner creates its nodes");
            }
        } else if (!ctx.isLocal(from) || (ctx.options().adminsOnlyCreate() && !ctx.isAdmin().test(from))) {
            throw StanzaErrorException.forbidden("you may not create nodes here"); // §8.1.3.1
        }
        long owned = service.isPep() ? service.nodes.size() : service.nodes.values().stream()
                .filter(n -> AccessControl.isOwner(n, from)).count();
        if (owned >= ctx.options().maxNodesPerUser() && !ctx.isAdmin().test(from)) {
            throw StanzaErrorException.notAllowed("you own as many nodes as you may ("
                    + ctx.options().maxNodesPerUser() + ")");
        }
    }

    /** The item rules of §7.1.3.6 and §7.1.3.7 for the node's event type. */
    private void checkItem(NodeConfig c, Element item, List<Element> payload) throws StanzaErrorException {
        if (!c.persistItems() && !c.deliverPayloads() && item != null) {
            throw PubSub.error(Condition.bad_request, "item-forbidden",
                    "a notification-only transient node takes no item");
        }
        if (c.persistItems() && item == null) {
            throw PubSub.error(Condition.bad_request, "item-required", "this node keeps items: publish one");
        }
        if (c.deliverPayloads() && payload.isEmpty()) {
            throw PubSub.error(Condition.bad_request, "payload-required", "this node delivers payloads: give one");
        }
        if (payload.size() > 1) {
            throw PubSub.error(Condition.bad_request, "invalid-payload", "an item has one payload element");
        }
        if (!payload.isEmpty() && !c.payloadType().isEmpty()
                && !c.payloadType().equals(payload.get(0).getNamespaceURI())) {
            throw PubSub.error(Condition.bad_request, "invalid-payload", "this node takes " + c.payloadType());
        }
        if (Payloads.xml(payload).getBytes(StandardCharsets.UTF_8).length > ctx.options().maxPayloadBytes()) {
            throw PubSub.error(Condition.not_acceptable, "payload-too-big",
                    "payloads are limited to " + ctx.options().maxPayloadBytes() + " bytes");
        }
    }

    /**
     * Privacy requirement AC-27 (R-MIN): the server never broadcasts a user's location, so PEP
     * refuses the XEP-0080 node and geoloc payloads; a location can still be sent in a message.
     */
    static void refuseLocation(NodeRegistry.Service service, String node, List<Element> payload)
            throws StanzaErrorException {
        boolean location = PubSub.GEOLOC.equals(node)
                || payload.stream().anyMatch(p -> PubSub.GEOLOC.equals(p.getNamespaceURI()));
        if (service.isPep() && location) {
            throw StanzaErrorException.notAcceptable("this server does not broadcast locations (XEP-0080 User"
                    + " Location) to contacts: privacy rule AC-27, precise location needs the user's separate"
                    + " consent; send a location inside a message instead");
        }
    }
}
