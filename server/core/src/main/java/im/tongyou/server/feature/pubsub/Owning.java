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
 * The owner use cases of XEP-0060 §8: configure (§8.2), default configuration (§8.3), delete
 * (§8.4), purge (§8.5), manage subscriptions (§8.8) and affiliations (§8.9). Called with the
 * service's lock held.
 */
final class Owning {

    private final PubSubContext ctx;
    private final Notifier notifier;
    private final Publishing publishing;

    Owning(PubSubContext ctx, Notifier notifier, Publishing publishing) {
        this.ctx = ctx;
        this.notifier = notifier;
        this.publishing = publishing;
    }

    /** §8.2.1: the configuration form of an owner's node. */
    Element configuration(NodeRegistry.Service service, JID from, String name) throws StanzaErrorException {
        return form(owned(service, from, name).config(), "form");
    }

    /** §8.3: the default configuration of a new node. */
    Element defaults(NodeRegistry.Service service) {
        return form(NodeConfig.defaults(service.isPep(),
                service.isPep() ? ctx.options().pepDefaultMaxItems() : ctx.options().defaultMaxItems()), "form");
    }

    /** §8.2.4: applies a submitted form (a cancel changes nothing). */
    void configure(NodeRegistry.Service service, JID from, String name, Element form, List<Message> outbox)
            throws StanzaErrorException {
        PubSubNode node = owned(service, from, name);
        if (form == null || "cancel".equals(form.attributeValue("type"))) {
            return;
        }
        if (!"submit".equals(form.attributeValue("type")) || !PubSub.NODE_CONFIG.equals(Forms.formType(form))) {
            throw StanzaErrorException.notAcceptable("submit a " + PubSub.NODE_CONFIG + " form"); // §8.2.5.3
        }
        NodeConfig changed;
        try {
            changed = node.config().with(Forms.values(form), ctx.options().maxItems());
        } catch (NodeConfig.InvalidConfigException e) {
            throw StanzaErrorException.notAcceptable(e.getMessage());
        }
        ctx.store().updateConfig(node.id(), publishing.stored(changed));
        node.config(changed);
        int max = changed.effectiveMaxItems(ctx.options().maxItems());
        if (!changed.persistItems()) {
            ctx.store().purge(node.id());
        } else {
            ctx.store().trim(node.id(), max);
        }
        outbox.addAll(notifier.configured(service, node, form(changed, "result")));
    }

    /** §8.4: deletes a node; subscribers are told (with the redirect URI, when one is given). */
    void delete(NodeRegistry.Service service, JID from, String name, Element delete, List<Message> outbox)
            throws StanzaErrorException {
        PubSubNode node = owned(service, from, name);
        List<Message> notes = notifier.deleted(service, node);
        Element redirect = delete.element("redirect");
        if (redirect != null && redirect.attributeValue("uri") != null) {
            for (Message m : notes) {
                m.getChildElement("event", PubSub.EVENT).element("delete").addElement("redirect")
                        .addAttribute("uri", redirect.attributeValue("uri"));
            }
        }
        ctx.store().deleteNode(node.id());
        service.nodes.remove(node.name());
        outbox.addAll(notes);
    }

    /** §8.5: deletes every item. */
    void purge(NodeRegistry.Service service, JID from, String name, List<Message> outbox) throws StanzaErrorException {
        PubSubNode node = owned(service, from, name);
        if (!node.config().persistItems()) {
            throw PubSub.unsupported("persistent-items", "this node keeps no items"); // §8.5.3.3
        }
        ctx.store().purge(node.id());
        outbox.addAll(notifier.purged(service, node));
    }

    /** §8.8.1: the node's subscriptions. */
    List<PubSubNode.Subscription> subscriptions(NodeRegistry.Service service, JID from, String name)
            throws StanzaErrorException {
        return owned(service, from, name).subscriptions();
    }

    /** §8.8.2: adds, changes or removes ({@code none}) subscriptions; only the states subscribed and none exist here. */
    void setSubscriptions(NodeRegistry.Service service, JID from, String name, Element subscriptions)
            throws StanzaErrorException {
        PubSubNode node = owned(service, from, name);
        List<Runnable> changes = new ArrayList<>();
        for (Element e : subscriptions.elements("subscription")) {
            JID jid = jid(e.attributeValue("jid"));
            String state = e.attributeValue("subscription");
            if ("none".equals(state)) {
                changes.add(() -> {
                    ctx.store().deleteSubscription(node.id(), jid);
                    node.unsubscribe(jid);
                });
            } else if ("subscribed".equals(state)) {
                PubSubNode.Subscription old = node.subscription(jid);
                PubSubNode.Subscription s = old != null ? old
                        : new PubSubNode.Subscription(jid, UUID.randomUUID().toString(), true, ctx.clock().instant());
                changes.add(() -> {
                    ctx.store().saveSubscription(node.id(), s);
                    node.subscribe(s);
                });
            } else {
                throw StanzaErrorException.badRequest("a subscription is 'subscribed' or 'none'"); // §8.8.2.4
            }
        }
        changes.forEach(Runnable::run);
    }

    /** §8.9.1: the node's affiliations. */
    Map<String, Affiliation> affiliations(NodeRegistry.Service service, JID from, String name)
            throws StanzaErrorException {
        return owned(service, from, name).affiliations();
    }

    /**
     * §8.9.2: changes affiliations. A node keeps at least one owner (§8.9.2.4 "the service MUST
     * NOT allow the owner to remove ... himself if he is the only owner"), and a PEP node only
     * its account as owner.
     */
    void setAffiliations(NodeRegistry.Service service, JID from, String name, Element affiliations)
            throws StanzaErrorException {
        PubSubNode node = owned(service, from, name);
        Map<String, Affiliation> after = new java.util.LinkedHashMap<>(node.affiliations());
        for (Element e : affiliations.elements("affiliation")) {
            String bare = jid(e.attributeValue("jid")).toBareJID();
            Affiliation a;
            try {
                a = Affiliation.parse(e.attributeValue("affiliation"));
            } catch (IllegalArgumentException ex) {
                throw StanzaErrorException.badRequest("unknown affiliation");
            }
            if (service.isPep() && (a == Affiliation.OWNER) != bare.equals(service.address().toBareJID())) {
                throw StanzaErrorException.notAcceptable("a personal eventing node has its account as sole owner");
            }
            if (a == Affiliation.NONE) {
                after.remove(bare);
            } else {
                after.put(bare, a);
            }
        }
        if (!after.containsValue(Affiliation.OWNER)) {
            throw StanzaErrorException.notAcceptable("a node keeps at least one owner");
        }
        for (String bare : new java.util.HashSet<>(node.affiliations().keySet())) {
            if (!after.containsKey(bare)) {
                ctx.store().setAffiliation(node.id(), bare, Affiliation.NONE);
                node.affiliation(bare, Affiliation.NONE);
            }
        }
        for (Map.Entry<String, Affiliation> a : after.entrySet()) {
            if (node.affiliations().get(a.getKey()) != a.getValue()) {
                ctx.store().setAffiliation(node.id(), a.getKey(), a.getValue());
                node.affiliation(a.getKey(), a.getValue());
            }
            if (a.getValue() == Affiliation.OUTCAST) {
                unsubscribeAll(node, a.getKey()); // §8.9.2.? an outcast cannot stay subscribed
            }
        }
    }

    private void unsubscribeAll(PubSubNode node, String bare) {
        for (PubSubNode.Subscription s : node.subscriptions()) {
            if (s.jid().toBareJID().equals(bare)) {
                ctx.store().deleteSubscription(node.id(), s.jid());
                node.unsubscribe(s.jid());
            }
        }
    }

    Element form(NodeConfig config, String type) {
        return config.toForm(type, ctx.options().maxPayloadBytes(), ctx.options().maxItems());
    }

    /** The node, when the requester owns it: item-not-found without it, forbidden for others (§8.2.3.x). */
    private static PubSubNode owned(NodeRegistry.Service service, JID from, String name) throws StanzaErrorException {
        if (name == null || name.isEmpty()) {
            throw PubSub.nodeIdRequired();
        }
        PubSubNode node = service.nodes.get(name);
        if (node == null) {
            throw PubSub.noSuchNode();
        }
        if (!AccessControl.isOwner(node, from)) {
            throw StanzaErrorException.forbidden("only an owner may do this");
        }
        return node;
    }

    private static JID jid(String value) throws StanzaErrorException {
        try {
            if (value == null || value.isEmpty()) {
                throw StanzaErrorException.badRequest("a JID is needed");
            }
            return new JID(value);
        } catch (IllegalArgumentException e) {
            throw new StanzaErrorException(Condition.jid_malformed, "not a JID");
        }
    }
}
