package im.tongyou.server.feature.pubsub;

import im.tongyou.api.ClientSession;
import im.tongyou.api.caps.Capabilities;
import im.tongyou.api.roster.RosterItem;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.dom4j.Element;
import org.dom4j.QName;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;

/**
 * Event notifications (XEP-0060 §7.1.2.1, §7.2.2.1, §8.2.3.3, §8.4.1, §8.5.1) and who gets them:
 * the node's subscribers and, for PEP, the owner's contacts whose clients ask for the node with
 * {@code <node>+notify} in their entity capabilities (XEP-0163 §4 "Receiving Event Notifications":
 * "filtered notifications"). The messages are returned for the caller to route once it has left the
 * service's lock.
 */
final class Notifier {

    static final String NOTIFY = "+notify";

    private final PubSubContext ctx;
    private final AccessControl access;

    Notifier(PubSubContext ctx, AccessControl access) {
        this.ctx = ctx;
        this.access = access;
    }

    /** Notifications of a published item (with its payload when the node delivers payloads). */
    List<Message> published(NodeRegistry.Service service, PubSubNode node, String itemId, List<Element> payload) {
        if (!node.config().deliverNotifications()) {
            return List.of();
        }
        return toAll(service, node, event -> {
            Element item = event.addElement("items").addAttribute("node", node.name()).addElement("item");
            item.addAttribute("id", itemId);
            if (node.config().deliverPayloads()) {
                payload.forEach(p -> item.add(p.createCopy()));
            }
        });
    }

    /** Notifications of retracted items (§7.2.2.1), when the node notifies retractions or the publisher asked to. */
    List<Message> retracted(NodeRegistry.Service service, PubSubNode node, List<String> itemIds) {
        return toAll(service, node, event -> {
            Element items = event.addElement("items").addAttribute("node", node.name());
            itemIds.forEach(id -> items.addElement("retract").addAttribute("id", id));
        });
    }

    /** §8.4.1: "the service MUST send notifications to all subscribers" of a deleted node (when notify_delete). */
    List<Message> deleted(NodeRegistry.Service service, PubSubNode node) {
        return node.config().notifyDelete()
                ? toAll(service, node, event -> event.addElement("delete").addAttribute("node", node.name()))
                : List.of();
    }

    /** §8.5.1: subscribers learn of a purge when the node notifies retractions. */
    List<Message> purged(NodeRegistry.Service service, PubSubNode node) {
        return node.config().notifyRetract()
                ? toAll(service, node, event -> event.addElement("purge").addAttribute("node", node.name()))
                : List.of();
    }

    /** §8.2.3.3: a changed configuration, with the form when the node delivers payloads. */
    List<Message> configured(NodeRegistry.Service service, PubSubNode node, Element form) {
        if (!node.config().notifyConfig()) {
            return List.of();
        }
        return toAll(service, node, event -> {
            Element c = event.addElement("configuration").addAttribute("node", node.name());
            if (node.config().deliverPayloads()) {
                c.add(form.createCopy());
            }
        });
    }

    /**
     * The last published item for one recipient (§6.1.7 "Receiving the Last Published Item",
     * XEP-0163 §4.3.? on presence), stamped with XEP-0203 delayed delivery.
     */
    Message lastItem(NodeRegistry.Service service, PubSubNode node, PubSubStore.StoredItem item, List<Element> payload,
                     JID to) {
        Message m = message(service, node, to);
        Element items = event(m).addElement("items").addAttribute("node", node.name());
        Element e = items.addElement("item").addAttribute("id", item.id());
        if (node.config().deliverPayloads()) {
            payload.forEach(p -> e.add(p.createCopy()));
        }
        m.getElement().addElement(QName.get("delay", PubSub.DELAY))
                .addAttribute("from", service.address().toString())
                .addAttribute("stamp", DateTimeFormatter.ISO_INSTANT.format(item.publishedAt()));
        return m;
    }

    /**
     * Who is notified: subscribers who take notifications and, on PEP, the full JIDs of the
     * available resources of the owner and of each contact allowed by the access model whose
     * capabilities include {@code node+notify} (XEP-0163 §4.1, §4.2). A subscription by bare JID
     * gets the notification at the bare JID (XEP-0060 §6.1.1), and that user is not notified twice.
     */
    List<JID> recipients(NodeRegistry.Service service, PubSubNode node) {
        Set<JID> to = new LinkedHashSet<>();
        Set<String> covered = new LinkedHashSet<>();
        for (PubSubNode.Subscription s : node.subscriptions()) {
            if (s.deliver() && access.mayAccess(node, s.jid()) && (!node.config().presenceBasedDelivery()
                    || available(s.jid()))) {
                to.add(s.jid());
                covered.add(s.jid().toBareJID());
            }
        }
        if (service.isPep()) {
            String owner = service.pepOwner();
            List<String> users = new ArrayList<>();
            users.add(owner);
            for (RosterItem item : ctx.roster().items(owner)) {
                if (item.subscription().contactSeesUser() && ctx.isLocal(item.jid())) {
                    users.add(item.jid().getNode());
                }
            }
            for (String user : users) {
                JID bare = new JID(user, ctx.domain(), null);
                if (covered.contains(bare.toBareJID()) || !access.mayAccess(node, bare)) {
                    continue;
                }
                for (ClientSession session : ctx.sessions().of(user)) {
                    if (session.isAvailable() && wantsNotifications(session.jid(), node.name())) {
                        to.add(session.jid());
                    }
                }
            }
        }
        return new ArrayList<>(to);
    }

    /** Whether a client's verified capabilities include {@code node+notify} (XEP-0163 §4.1). */
    boolean wantsNotifications(JID fullJid, String node) {
        Optional<Capabilities> caps = ctx.caps().get();
        return caps.isPresent() && caps.get().supports(fullJid, node + NOTIFY);
    }

    private boolean available(JID jid) {
        if (!ctx.isLocal(jid)) {
            return true;
        }
        return ctx.sessions().of(jid.getNode()).stream().anyMatch(s -> s.isAvailable()
                && (jid.getResource() == null || s.jid().equals(jid)));
    }

    private List<Message> toAll(NodeRegistry.Service service, PubSubNode node,
                                java.util.function.Consumer<Element> content) {
        List<Message> messages = new ArrayList<>();
        for (JID to : recipients(service, node)) {
            Message m = message(service, node, to);
            content.accept(event(m));
            messages.add(m);
        }
        return messages;
    }

    private static Element event(Message m) {
        return m.getElement().element(QName.get("event", PubSub.EVENT));
    }

    private Message message(NodeRegistry.Service service, PubSubNode node, JID to) {
        Message m = new Message();
        m.setFrom(service.address());
        m.setTo(to);
        m.setID(UUID.randomUUID().toString());
        m.setType(node.config().notificationType().equals("normal") ? Message.Type.normal : Message.Type.headline);
        m.getElement().addElement(QName.get("event", PubSub.EVENT));
        return m;
    }

    /** The current time, for stamps. */
    Instant now() {
        return ctx.clock().instant();
    }
}
