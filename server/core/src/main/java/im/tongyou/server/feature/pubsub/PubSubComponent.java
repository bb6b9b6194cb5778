package im.tongyou.server.feature.pubsub;

import im.tongyou.api.DiscoItem;
import im.tongyou.api.DiscoNodeHandler;
import im.tongyou.api.ServiceHandler;
import im.tongyou.api.StanzaErrorException;
import java.util.List;
import java.util.Optional;
import org.dom4j.Element;
import org.xmpp.packet.IQ;
import org.xmpp.packet.Message;
import org.xmpp.packet.Packet;

/**
 * The publish-subscribe service on {@code pubsub.<domain>} (XEP-0060): its discovery (§5.1
 * "pubsub/service", §5.2 nodes, §5.3 node info, §5.5 items) and the {@code <pubsub/>} requests.
 */
final class PubSubComponent implements ServiceHandler {

    static final String DISCO_INFO = "http://jabber.org/protocol/disco#info";
    static final String DISCO_ITEMS = "http://jabber.org/protocol/disco#items";

    private final PubSubContext ctx;
    private final PubSubIqHandler handler;
    private final PubSubDisco disco;

    PubSubComponent(PubSubContext ctx, PubSubIqHandler handler, PubSubDisco disco) {
        this.ctx = ctx;
        this.handler = handler;
        this.disco = disco;
    }

    @Override
    public void handle(Packet stanza) throws StanzaErrorException {
        if ("error".equals(stanza.getElement().attributeValue("type"))) {
            return;
        }
        if (stanza instanceof IQ iq && (iq.getType() == IQ.Type.get || iq.getType() == IQ.Type.set)) {
            if (stanza.getTo().getNode() != null || stanza.getTo().getResource() != null) {
                throw StanzaErrorException.serviceUnavailable(); // nodes are not addressed by JID here
            }
            IQ reply;
            try {
                reply = answer(iq);
            } catch (StanzaErrorException e) {
                reply = PubSub.errorReply(iq, e);
            }
            ctx.router().route(reply);
        } else if (stanza instanceof Message m && m.getType() != Message.Type.headline) {
            throw StanzaErrorException.serviceUnavailable();
        }
    }

    private IQ answer(IQ iq) throws StanzaErrorException {
        Element child = iq.getChildElement();
        String ns = child == null ? "" : child.getNamespaceURI();
        NodeRegistry.Service service = ctx.registry().component(ctx.service());
        if ((ns.equals(PubSub.NS) || ns.equals(PubSub.OWNER)) && child.getName().equals("pubsub")) {
            return handler.handle(service, iq);
        }
        if (iq.getType() == IQ.Type.get && child.getName().equals("query") && ns.equals(DISCO_INFO)) {
            return info(iq, service, child.attributeValue("node"));
        }
        if (iq.getType() == IQ.Type.get && child.getName().equals("query") && ns.equals(DISCO_ITEMS)) {
            return items(iq, service, child.attributeValue("node"));
        }
        if (iq.getType() == IQ.Type.get && child.getName().equals("ping") && ns.equals("urn:xmpp:ping")) {
            return IQ.createResultIQ(iq);
        }
        throw StanzaErrorException.serviceUnavailable();
    }

    private IQ info(IQ iq, NodeRegistry.Service service, String node) throws StanzaErrorException {
        IQ reply = IQ.createResultIQ(iq);
        Element query = reply.setChildElement("query", DISCO_INFO);
        if (node == null) {
            query.addElement("identity").addAttribute("category", "pubsub").addAttribute("type", "service")
                    .addAttribute("name", ctx.options().name());
            for (String f : features()) {
                query.addElement("feature").addAttribute("var", f);
            }
            return reply;
        }
        Optional<DiscoNodeHandler.Info> info = disco.nodeInfo(service, iq.getFrom(), node);
        if (info.isEmpty()) {
            throw PubSub.noSuchNode();
        }
        query.addAttribute("node", node);
        info.get().identities().forEach(i -> {
            Element e = query.addElement("identity").addAttribute("category", i.category())
                    .addAttribute("type", i.type());
            if (i.name() != null) {
                e.addAttribute("name", i.name());
            }
        });
        info.get().features().forEach(f -> query.addElement("feature").addAttribute("var", f));
        return reply;
    }

    private IQ items(IQ iq, NodeRegistry.Service service, String node) throws StanzaErrorException {
        IQ reply = IQ.createResultIQ(iq);
        Element query = reply.setChildElement("query", DISCO_ITEMS);
        List<DiscoItem> items;
        if (node == null) {
            items = disco.nodes(service, iq.getFrom());
        } else {
            query.addAttribute("node", node);
            items = disco.items(service, iq.getFrom(), node).orElseThrow(PubSub::noSuchNode);
        }
        for (DiscoItem item : items) {
            Element e = query.addElement("item").addAttribute("jid", item.jid().toString());
            if (item.node() != null) {
                e.addAttribute("node", item.node());
            }
            if (item.name() != null) {
                e.addAttribute("name", item.name());
            }
        }
        return reply;
    }

    static List<String> features() {
        List<String> all = new java.util.ArrayList<>(List.of(DISCO_INFO, DISCO_ITEMS, PubSub.NS + "#instant-nodes"));
        all.addAll(PubSub.FEATURES);
        return all.stream().sorted().toList();
    }
}
