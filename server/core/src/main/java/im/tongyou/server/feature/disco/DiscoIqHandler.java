package im.tongyou.server.feature.disco;

import im.tongyou.api.DiscoIdentity;
import im.tongyou.api.DiscoItem;
import im.tongyou.api.DiscoScope;
import im.tongyou.api.PluginContext;
import im.tongyou.api.StanzaErrorException;
import org.dom4j.Element;
import org.xmpp.packet.IQ;
import org.xmpp.packet.JID;

/** Answers disco#info and disco#items (XEP-0030 §3, §4) for the server and for accounts. */
final class DiscoIqHandler {

    private final PluginContext ctx;

    DiscoIqHandler(PluginContext ctx) {
        this.ctx = ctx;
    }

    IQ serverInfo(IQ request) throws StanzaErrorException {
        IQ reply = infoReply(request, DiscoScope.SERVER);
        Element query = reply.getChildElement();
        for (DiscoIdentity identity : ctx.discoInfo().identities()) {
            Element e = query.addElement("identity").addAttribute("category", identity.category())
                    .addAttribute("type", identity.type());
            if (identity.name() != null) {
                e.addAttribute("name", identity.name());
            }
        }
        addFeatures(query, DiscoScope.SERVER);
        return reply;
    }

    IQ serverItems(IQ request) throws StanzaErrorException {
        IQ reply = itemsReply(request);
        for (DiscoItem item : ctx.discoInfo().serverItems()) {
            Element e = reply.getChildElement().addElement("item").addAttribute("jid", item.jid().toString());
            if (item.name() != null) {
                e.addAttribute("name", item.name());
            }
        }
        return reply;
    }

    /**
     * An account's info, answered by the server on the account's behalf (XEP-0030 §3.1). Only the
     * account's owner sees it for now: XEP-0030 §8 lets a server refuse others with
     * service-unavailable so that the account's existence is not revealed; contacts will be let in
     * once rosters exist.
     */
    IQ accountInfo(IQ request) throws StanzaErrorException {
        requireOwner(request);
        IQ reply = infoReply(request, DiscoScope.ACCOUNT);
        Element query = reply.getChildElement();
        query.addElement("identity").addAttribute("category", "account").addAttribute("type", "registered");
        addFeatures(query, DiscoScope.ACCOUNT);
        return reply;
    }

    IQ accountItems(IQ request) throws StanzaErrorException {
        requireOwner(request);
        return itemsReply(request);
    }

    private static void requireOwner(IQ request) throws StanzaErrorException {
        JID to = request.getTo();
        if (to != null && !to.asBareJID().equals(request.getFrom().asBareJID())) {
            throw StanzaErrorException.serviceUnavailable();
        }
    }

    /**
     * XEP-0030 §3.2: a node the entity does not know gets item-not-found; a node that names the
     * entity's own info (XEP-0115 §6.2) gets that info, with the node echoed.
     */
    private IQ infoReply(IQ request, DiscoScope scope) throws StanzaErrorException {
        String node = request.getChildElement().attributeValue("node");
        if (node != null && !ctx.discoInfo().isInfoNode(scope, node)) {
            throw StanzaErrorException.itemNotFound("no such node");
        }
        IQ reply = IQ.createResultIQ(request);
        Element query = reply.setChildElement("query", DiscoPlugin.INFO);
        if (node != null) {
            query.addAttribute("node", node);
        }
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

    private void addFeatures(Element query, DiscoScope scope) {
        for (String feature : ctx.discoInfo().features(scope)) {
            query.addElement("feature").addAttribute("var", feature);
        }
    }
}
