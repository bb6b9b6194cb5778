package im.tongyou.server.feature.pubsub;

import im.tongyou.api.Router;
import im.tongyou.api.StanzaErrorException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.dom4j.Element;
import org.dom4j.QName;
import org.xmpp.packet.IQ;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;

/**
 * Answers the {@code <pubsub/>} requests of XEP-0060 (§5.6, §5.7, §6-§8) to one service, the one
 * on {@code pubsub.<domain>} or a user's PEP service: the work runs under the service's lock, and
 * the notifications it caused are routed afterwards, in order.
 */
final class PubSubIqHandler {

    /** One use case run under the lock. */
    @FunctionalInterface
    private interface Work {
        Element run(Element pubsub, Element child, List<Message> outbox) throws StanzaErrorException;
    }

    private final PubSubContext ctx;
    private final Publishing publishing;
    private final Subscribing subscribing;
    private final Owning owning;
    private final Router router;

    PubSubIqHandler(PubSubContext ctx, Publishing publishing, Subscribing subscribing, Owning owning) {
        this.ctx = ctx;
        this.publishing = publishing;
        this.subscribing = subscribing;
        this.owning = owning;
        this.router = ctx.router();
    }

    /** Handles a request to the service; the reply is returned, notifications are routed. */
    IQ handle(NodeRegistry.Service service, IQ iq) throws StanzaErrorException {
        Element pubsub = iq.getChildElement();
        List<Element> children = pubsub.elements();
        if (children.isEmpty()) {
            throw StanzaErrorException.badRequest("the pubsub element is empty");
        }
        Element child = children.get(0);
        boolean owner = PubSub.OWNER.equals(pubsub.getNamespaceURI());
        JID from = iq.getFrom();
        Work work = owner ? ownerWork(iq.getType(), child.getName(), service, from)
                : entityWork(iq.getType(), child.getName(), service, from);
        if (work == null) {
            throw StanzaErrorException.featureNotImplemented("no such pubsub request: " + child.getName());
        }
        List<Message> outbox = new ArrayList<>();
        Element answer;
        synchronized (service) {
            answer = work.run(pubsub, child, outbox);
        }
        outbox.forEach(router::route);
        IQ reply = IQ.createResultIQ(iq);
        if (answer != null) {
            reply.setChildElement(answer);
        }
        return reply;
    }

    private Work entityWork(IQ.Type type, String name, NodeRegistry.Service s, JID from) {
        if (type == IQ.Type.set) {
            return switch (name) {
                case "create" -> (p, c, out) -> {
                    Element configure = p.element("configure");
                    Element form = Forms.find(configure);
                    PubSubNode node = publishing.create(s, from, c.attributeValue("node"),
                            form == null ? null : Forms.values(form));
                    return result().addElement("create").addAttribute("node", node.name()).getParent();
                };
                case "publish" -> (p, c, out) -> {
                    Element po = Forms.find(p.element("publish-options"));
                    String id = publishing.publish(s, from, c.attributeValue("node"), c.element("item"),
                            po == null ? null : withoutFormType(po), out);
                    Element r = result();
                    r.addElement("publish").addAttribute("node", c.attributeValue("node"))
                            .addElement("item").addAttribute("id", id);
                    return r;
                };
                case "retract" -> (p, c, out) -> {
                    publishing.retract(s, from, c, out);
                    return null;
                };
                case "subscribe" -> (p, c, out) -> {
                    Element form = Forms.find(p.element("options"));
                    PubSubNode.Subscription sub = subscribing.subscribe(s, from, c,
                            form == null ? null : Forms.values(form), out);
                    Element r = result();
                    subscription(r.addElement("subscription"), c.attributeValue("node"), sub);
                    return r;
                };
                case "unsubscribe" -> (p, c, out) -> {
                    subscribing.unsubscribe(s, from, c);
                    return null;
                };
                case "options" -> (p, c, out) -> {
                    subscribing.setOptions(s, from, c);
                    return null;
                };
                default -> null;
            };
        }
        return switch (name) {
            case "items" -> (p, c, out) -> items(c, subscribing.items(s, from, c));
            case "subscriptions" -> (p, c, out) -> ownSubscriptions(s, from, c.attributeValue("node"));
            case "affiliations" -> (p, c, out) -> ownAffiliations(s, from, c.attributeValue("node"));
            case "options" -> (p, c, out) -> {
                Element r = result();
                r.addElement("options").addAttribute("node", c.attributeValue("node"))
                        .addAttribute("jid", c.attributeValue("jid") == null ? from.toBareJID() : c.attributeValue("jid"))
                        .add(subscribing.options(s, from, c));
                return r;
            };
            case "default" -> (p, c, out) -> { // §6.4: the default subscription options
                Element r = result();
                r.addElement("default").add(Subscribing.optionsForm("form", true));
                return r;
            };
            default -> null;
        };
    }

    private Work ownerWork(IQ.Type type, String name, NodeRegistry.Service s, JID from) {
        if (type == IQ.Type.set) {
            return switch (name) {
                case "configure" -> (p, c, out) -> {
                    owning.configure(s, from, c.attributeValue("node"), Forms.find(c), out);
                    return null;
                };
                case "delete" -> (p, c, out) -> {
                    owning.delete(s, from, c.attributeValue("node"), c, out);
                    return null;
                };
                case "purge" -> (p, c, out) -> {
                    owning.purge(s, from, c.attributeValue("node"), out);
                    return null;
                };
                case "subscriptions" -> (p, c, out) -> {
                    owning.setSubscriptions(s, from, c.attributeValue("node"), c);
                    return null;
                };
                case "affiliations" -> (p, c, out) -> {
                    owning.setAffiliations(s, from, c.attributeValue("node"), c);
                    return null;
                };
                default -> null;
            };
        }
        return switch (name) {
            case "configure" -> (p, c, out) -> {
                Element r = ownerResult();
                r.addElement("configure").addAttribute("node", c.attributeValue("node"))
                        .add(owning.configuration(s, from, c.attributeValue("node")));
                return r;
            };
            case "default" -> (p, c, out) -> {
                Element r = ownerResult();
                r.addElement("default").add(owning.defaults(s));
                return r;
            };
            case "subscriptions" -> (p, c, out) -> {
                Element r = ownerResult();
                Element list = r.addElement("subscriptions").addAttribute("node", c.attributeValue("node"));
                for (PubSubNode.Subscription sub : owning.subscriptions(s, from, c.attributeValue("node"))) {
                    subscription(list.addElement("subscription"), null, sub);
                }
                return r;
            };
            case "affiliations" -> (p, c, out) -> {
                Element r = ownerResult();
                Element list = r.addElement("affiliations").addAttribute("node", c.attributeValue("node"));
                for (Map.Entry<String, Affiliation> a : owning.affiliations(s, from, c.attributeValue("node")).entrySet()) {
                    list.addElement("affiliation").addAttribute("jid", a.getKey())
                            .addAttribute("affiliation", a.getValue().value());
                }
                return r;
            };
            default -> null;
        };
    }

    private Element items(Element request, List<PubSubStore.StoredItem> items) {
        Element r = result();
        Element list = r.addElement("items").addAttribute("node", request.attributeValue("node"));
        for (PubSubStore.StoredItem item : items) {
            Element e = list.addElement("item").addAttribute("id", item.id());
            ctx.payloads().open(item).forEach(e::add);
        }
        return r;
    }

    /** §5.6: the requester's subscriptions on this service (to one node, when named). */
    private static Element ownSubscriptions(NodeRegistry.Service s, JID from, String node) {
        Element r = result();
        Element list = r.addElement("subscriptions");
        for (PubSubNode n : s.nodes.values()) {
            if (node != null && !node.equals(n.name())) {
                continue;
            }
            for (PubSubNode.Subscription sub : n.subscriptions()) {
                if (sub.jid().toBareJID().equals(from.toBareJID())) {
                    subscription(list.addElement("subscription"), n.name(), sub);
                }
            }
        }
        return r;
    }

    /** §5.7: the requester's affiliations on this service. */
    private static Element ownAffiliations(NodeRegistry.Service s, JID from, String node) {
        Element r = result();
        Element list = r.addElement("affiliations");
        for (PubSubNode n : s.nodes.values()) {
            Affiliation a = n.affiliation(from);
            if ((node == null || node.equals(n.name())) && a != Affiliation.NONE) {
                list.addElement("affiliation").addAttribute("node", n.name()).addAttribute("affiliation", a.value());
            }
        }
        return r;
    }

    private static void subscription(Element e, String node, PubSubNode.Subscription sub) {
        if (node != null) {
            e.addAttribute("node", node);
        }
        e.addAttribute("jid", sub.jid().toString()).addAttribute("subid", sub.subid())
                .addAttribute("subscription", "subscribed");
    }

    private static Map<String, List<String>> withoutFormType(Element form) {
        Map<String, List<String>> values = Forms.values(form);
        values.remove("FORM_TYPE");
        return values;
    }

    private static Element result() {
        return org.dom4j.DocumentHelper.createElement(QName.get("pubsub", PubSub.NS));
    }

    private static Element ownerResult() {
        return org.dom4j.DocumentHelper.createElement(QName.get("pubsub", PubSub.OWNER));
    }
}
