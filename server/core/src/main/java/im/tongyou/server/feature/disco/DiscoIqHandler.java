package im.tongyou.server.feature.disco;

import im.tongyou.api.AccountDiscoHandler;
import im.tongyou.api.DiscoIdentity;
import im.tongyou.api.DiscoItem;
import im.tongyou.api.DiscoNodeHandler;
import im.tongyou.api.DiscoScope;
import im.tongyou.api.PluginContext;
import im.tongyou.api.StanzaErrorException;
import im.tongyou.api.roster.Roster;
import java.util.List;
import java.util.Optional;
import org.dom4j.Element;
import org.xmpp.packet.IQ;
import org.xmpp.packet.JID;

/** Answers disco#info and disco#items (XEP-0030 §3, §4) for the server and for accounts. */
final class DiscoIqHandler {

    private final PluginContext ctx;
    private final Roster roster;

    DiscoIqHandler(PluginContext ctx, Roster roster) {
        this.ctx = ctx;
        this.roster = roster;
    }

    IQ serverInfo(IQ request) throws StanzaErrorException {
        String node = request.getChildElement().attributeValue("node");
        if (node != null) {
            return nodeInfo(request, node);
        }
        IQ reply = infoReply(request);
        Element query = reply.getChildElement();
        addIdentities(query, ctx.discoInfo().identities());
        addFeatures(query, ctx.discoInfo().features(DiscoScope.SERVER));
        return reply;
    }

    IQ serverItems(IQ request) throws StanzaErrorException {
        String node = request.getChildElement().attributeValue("node");
        if (node != null) {
            return nodeItems(request, node);
        }
        IQ reply = itemsReply(request);
        for (DiscoItem item : ctx.discoInfo().serverItems()) {
            Element e = reply.getChildElement().addElement("item").addAttribute("jid", item.jid().toString());
            if (item.name() != null) {
                e.addAttribute("name", item.name());
            }
        }
        return reply;
    }

    /** XEP-0030 §3.2: info of a node, from the plugin that owns it; nobody's node is item-not-found. */
    private IQ nodeInfo(IQ request, String node) throws StanzaErrorException {
        for (DiscoNodeHandler handler : ctx.discoInfo().nodeHandlers()) {
            Optional<DiscoNodeHandler.Info> info = handler.info(request.getFrom(), node);
            if (info.isPresent()) {
                IQ reply = IQ.createResultIQ(request);
                Element query = reply.setChildElement("query", DiscoPlugin.INFO).addAttribute("node", node);
                addIdentities(query, info.get().identities());
                addFeatures(query, info.get().features().stream().distinct().sorted().toList());
                return reply;
            }
        }
        throw StanzaErrorException.itemNotFound("no such node");
    }

    /** XEP-0030 §4.2: items of a node, from the plugin that owns it. */
    private IQ nodeItems(IQ request, String node) throws StanzaErrorException {
        for (DiscoNodeHandler handler : ctx.discoInfo().nodeHandlers()) {
            Optional<List<DiscoItem>> items = handler.items(request.getFrom(), node);
            if (items.isPresent()) {
                return itemsReply(request, node, items.get());
            }
        }
        throw StanzaErrorException.itemNotFound("no such node");
    }

    /**
     * An account's info, answered by the server on the account's behalf (XEP-0030 §3.1), for the
     * account's owner and its contacts (subscribed to its presence). XEP-0030 §8 lets a server refuse
     * others with service-unavailable so that the account's existence is not revealed.
     */
    IQ accountInfo(IQ request) throws StanzaErrorException {
        String node = request.getChildElement().attributeValue("node");
        String username = account(request);
        if (node != null) {
            return accountNodeInfo(request, username, node);
        }
        requireOwnerOrContact(request);
        IQ reply = infoReply(request);
        Element query = reply.getChildElement();
        query.addElement("identity").addAttribute("category", "account").addAttribute("type", "registered");
        for (AccountDiscoHandler handler : ctx.discoInfo().accountHandlers()) {
            addIdentities(query, handler.identities(username));
        }
        addFeatures(query, ctx.discoInfo().features(DiscoScope.ACCOUNT));
        return reply;
    }

    IQ accountItems(IQ request) throws StanzaErrorException {
        String node = request.getChildElement().attributeValue("node");
        String username = account(request);
        if (node != null) {
            for (AccountDiscoHandler handler : ctx.discoInfo().accountHandlers()) {
                Optional<List<DiscoItem>> items = handler.nodeItems(username, request.getFrom(), node);
                if (items.isPresent()) {
                    return itemsReply(request, node, items.get());
                }
            }
            throw StanzaErrorException.itemNotFound("no such node");
        }
        requireOwnerOrContact(request);
        IQ reply = itemsReply(request);
        for (AccountDiscoHandler handler : ctx.discoInfo().accountHandlers()) {
            addItems(reply.getChildElement(), handler.items(username, request.getFrom()));
        }
        return reply;
    }

    /**
     * A node of an account (XEP-0163 §6: a PEP node): the plugin that keeps it checks that the
     * requester may see it, so that an open node is discoverable by anyone (XEP-0060 §5.3).
     */
    private IQ accountNodeInfo(IQ request, String username, String node) throws StanzaErrorException {
        for (AccountDiscoHandler handler : ctx.discoInfo().accountHandlers()) {
            Optional<DiscoNodeHandler.Info> info = handler.nodeInfo(username, request.getFrom(), node);
            if (info.isPresent()) {
                IQ reply = IQ.createResultIQ(request);
                Element query = reply.setChildElement("query", DiscoPlugin.INFO).addAttribute("node", node);
                addIdentities(query, info.get().identities());
                addFeatures(query, info.get().features().stream().distinct().sorted().toList());
                return reply;
            }
        }
        throw StanzaErrorException.itemNotFound("no such node");
    }

    /** The account asked: the 'to' of the request, or its sender's own when it has none. */
    private static String account(IQ request) {
        JID to = request.getTo();
        return to != null ? to.getNode() : request.getFrom().getNode();
    }

    private void requireOwnerOrContact(IQ request) throws StanzaErrorException {
        JID to = request.getTo();
        if (to != null && !roster.isContact(to.getNode(), request.getFrom())) {
            throw StanzaErrorException.serviceUnavailable();
        }
    }

    private static IQ itemsReply(IQ request, String node, List<DiscoItem> items) {
        IQ reply = IQ.createResultIQ(request);
        addItems(reply.setChildElement("query", DiscoPlugin.ITEMS).addAttribute("node", node), items);
        return reply;
    }

    private static void addItems(Element query, List<DiscoItem> items) {
        for (DiscoItem item : items) {
            Element e = query.addElement("item").addAttribute("jid", item.jid().toString());
            if (item.node() != null) {
                e.addAttribute("node", item.node());
            }
            if (item.name() != null) {
                e.addAttribute("name", item.name());
            }
        }
    }

    private IQ infoReply(IQ request) throws StanzaErrorException {
        rejectNode(request);
        IQ reply = IQ.createResultIQ(request);
        reply.setChildElement("query", DiscoPlugin.INFO);
        return reply;
    }

    private IQ itemsReply(IQ request) throws StanzaErrorException {
        rejectNode(request);
        IQ reply = IQ.createResultIQ(request);
        reply.setChildElement("query", DiscoPlugin.ITEMS);
        return reply;
    }

    /** XEP-0030 §3.2: a node the entity does not know gets item-not-found. */
    private static void rejectNode(IQ request) throws StanzaErrorException {
        String node = request.getChildElement().attributeValue("node");
        if (node != null) {
            throw StanzaErrorException.itemNotFound("no such node");
        }
    }

    private static void addIdentities(Element query, List<DiscoIdentity> identities) {
        for (DiscoIdentity identity : identities) {
            Element e = query.addElement("identity").addAttribute("category", identity.category())
                    .addAttribute("type", identity.type());
            if (identity.name() != null) {
                e.addAttribute("name", identity.name());
            }
        }
    }

    private static void addFeatures(Element query, List<String> features) {
        for (String feature : features) {
            query.addElement("feature").addAttribute("var", feature);
        }
    }
}
