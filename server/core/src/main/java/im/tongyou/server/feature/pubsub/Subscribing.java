package im.tongyou.server.feature.pubsub;

import im.tongyou.api.StanzaErrorException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.dom4j.Element;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;
import org.xmpp.packet.PacketError.Condition;

/**
 * What any entity does with a node: subscribe (XEP-0060 §6.1) with the last published item
 * (§6.1.7), unsubscribe (§6.2), subscription options (§6.3), retrieve items (§6.5). Called with
 * the service's lock held.
 */
final class Subscribing {

    private final PubSubContext ctx;
    private final AccessControl access;
    private final Notifier notifier;

    Subscribing(PubSubContext ctx, AccessControl access, Notifier notifier) {
        this.ctx = ctx;
        this.access = access;
        this.notifier = notifier;
    }

    /** §6.1: subscribes the JID (once: a second request returns the subscription there is). */
    PubSubNode.Subscription subscribe(NodeRegistry.Service service, JID from, Element subscribe,
                                      Map<String, List<String>> options, List<Message> outbox)
            throws StanzaErrorException {
        PubSubNode node = node(service, subscribe.attributeValue("node"));
        JID jid = ownJid(from, subscribe.attributeValue("jid"));
        if (!node.config().subscribe()) {
            throw StanzaErrorException.notAllowed("this node takes no subscriptions");
        }
        access.requireAccess(node, jid);
        PubSubNode.Subscription existing = node.subscription(jid);
        if (existing != null) {
            return existing;
        }
        PubSubNode.Subscription s = new PubSubNode.Subscription(jid, UUID.randomUUID().toString(),
                deliver(options, true), ctx.clock().instant());
        ctx.store().saveSubscription(node.id(), s);
        node.subscribe(s);
        if (node.config().sendLast() != NodeConfig.SendLast.NEVER && node.config().persistItems()) {
            // §6.1.7: "the service SHOULD send the last published item to the new subscriber"
            for (PubSubStore.StoredItem item : ctx.store().items(node.id(), 1)) {
                outbox.add(notifier.lastItem(service, node, item, ctx.payloads().open(item), jid));
            }
        }
        return s;
    }

    /** §6.2: ends a subscription. */
    void unsubscribe(NodeRegistry.Service service, JID from, Element unsubscribe) throws StanzaErrorException {
        PubSubNode node = node(service, unsubscribe.attributeValue("node"));
        JID jid = ownJid(from, unsubscribe.attributeValue("jid"));
        PubSubNode.Subscription s = node.subscription(jid);
        String subid = unsubscribe.attributeValue("subid");
        if (s == null) {
            throw PubSub.error(Condition.unexpected_request, "not-subscribed", "you are not subscribed"); // §6.2.3.2
        }
        if (subid != null && !subid.equals(s.subid())) {
            throw PubSub.error(Condition.not_acceptable, "invalid-subid", "no such subscription"); // §6.2.3.5
        }
        ctx.store().deleteSubscription(node.id(), jid);
        node.unsubscribe(jid);
    }

    /** §6.3.2: the subscription options form. */
    Element options(NodeRegistry.Service service, JID from, Element options) throws StanzaErrorException {
        PubSubNode node = node(service, options.attributeValue("node"));
        PubSubNode.Subscription s = subscribed(node, ownJid(from, options.attributeValue("jid")));
        return optionsForm("form", s.deliver());
    }

    /** §6.3.5: submits subscription options. */
    void setOptions(NodeRegistry.Service service, JID from, Element options) throws StanzaErrorException {
        PubSubNode node = node(service, options.attributeValue("node"));
        PubSubNode.Subscription s = subscribed(node, ownJid(from, options.attributeValue("jid")));
        Element form = Forms.find(options);
        if (form == null) {
            throw PubSub.error(Condition.bad_request, "invalid-options", "give the options form");
        }
        boolean deliver = deliver(Forms.values(form), s.deliver());
        PubSubNode.Subscription changed = new PubSubNode.Subscription(s.jid(), s.subid(), deliver, s.since());
        ctx.store().saveSubscription(node.id(), changed);
        node.subscribe(changed);
    }

    /** §6.5: items the requester may see, the newest {@code max_items} or those named. */
    List<PubSubStore.StoredItem> items(NodeRegistry.Service service, JID from, Element items)
            throws StanzaErrorException {
        PubSubNode node = node(service, items.attributeValue("node"));
        access.requireAccess(node, from);
        if (!node.config().persistItems()) {
            throw PubSub.unsupported("persistent-items", "this node keeps no items"); // §6.5.9.7
        }
        List<String> ids = new ArrayList<>();
        for (Element item : items.elements("item")) {
            if (item.attributeValue("id") != null) {
                ids.add(item.attributeValue("id"));
            }
        }
        if (!ids.isEmpty()) {
            return ctx.store().items(node.id(), ids);
        }
        int max = Integer.MAX_VALUE;
        String maxItems = items.attributeValue("max_items");
        if (maxItems != null) {
            try {
                max = Integer.parseInt(maxItems);
            } catch (NumberFormatException e) {
                throw StanzaErrorException.badRequest("max_items is a number");
            }
            if (max < 1) {
                throw StanzaErrorException.badRequest("max_items is at least 1");
            }
        }
        return ctx.store().items(node.id(), max);
    }

    static Element optionsForm(String type, boolean deliver) {
        Element x = Forms.create(type, PubSub.SUBSCRIBE_OPTIONS);
        Forms.field(x, "pubsub#deliver", "boolean", "Enable delivery", deliver ? "1" : "0");
        return x;
    }

    private static boolean deliver(Map<String, List<String>> options, boolean fallback) throws StanzaErrorException {
        List<String> deliver = options == null ? null : options.get("pubsub#deliver");
        if (deliver == null || deliver.isEmpty()) {
            return fallback;
        }
        try {
            return Forms.bool(deliver.get(0));
        } catch (IllegalArgumentException e) {
            throw PubSub.error(Condition.bad_request, "invalid-options", "pubsub#deliver is a boolean");
        }
    }

    private static PubSubNode.Subscription subscribed(PubSubNode node, JID jid) throws StanzaErrorException {
        PubSubNode.Subscription s = node.subscription(jid);
        if (s == null) {
            throw PubSub.error(Condition.unexpected_request, "not-subscribed", "you are not subscribed"); // §6.3.4.2
        }
        return s;
    }

    /** §6.1.3.1: "the bare JID portion of the JID ... MUST match" the requester's, else invalid-jid. */
    private static JID ownJid(JID from, String jid) throws StanzaErrorException {
        if (jid == null || jid.isEmpty()) {
            return from.asBareJID();
        }
        JID asked;
        try {
            asked = new JID(jid);
        } catch (IllegalArgumentException e) {
            throw PubSub.error(Condition.bad_request, "invalid-jid", "not a JID");
        }
        if (!asked.toBareJID().equals(from.toBareJID())) {
            throw PubSub.error(Condition.bad_request, "invalid-jid", "subscribe your own JID");
        }
        return asked;
    }

    private static PubSubNode node(NodeRegistry.Service service, String name) throws StanzaErrorException {
        if (name == null || name.isEmpty()) {
            throw PubSub.nodeIdRequired();
        }
        PubSubNode node = service.nodes.get(name);
        if (node == null) {
            throw PubSub.noSuchNode();
        }
        return node;
    }
}
