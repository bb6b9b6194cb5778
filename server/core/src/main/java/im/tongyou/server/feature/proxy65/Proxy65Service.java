package im.tongyou.server.feature.proxy65;

import im.tongyou.api.DiscoIdentity;
import im.tongyou.api.StanzaErrorException;
import im.tongyou.server.feature.disco.ServiceInfo;
import org.dom4j.Element;
import org.xmpp.packet.IQ;
import org.xmpp.packet.JID;

/**
 * The proxy's IQs (XEP-0065 §4 and §6): service discovery, the network address (§6.3.1 "Initiator
 * Requests Network Address from Proxy") and the activation of a bytestream (§6.3.4). Only users of
 * this server may use the proxy.
 */
final class Proxy65Service {

    static final String NS = "http://jabber.org/protocol/bytestreams";
    private static final String DISCO_ITEMS = "http://jabber.org/protocol/disco#items";

    private final JID jid;
    private final String host;
    private final int port;
    private final String domain;
    private final Socks5Relay relay;

    Proxy65Service(JID jid, String host, int port, String domain, Socks5Relay relay) {
        this.jid = jid;
        this.host = host;
        this.port = port;
        this.domain = domain;
        this.relay = relay;
    }

    IQ handle(IQ request) throws StanzaErrorException {
        Element child = request.getChildElement();
        if (child == null) {
            throw StanzaErrorException.badRequest("the request has no payload");
        }
        String ns = child.getNamespaceURI();
        boolean get = request.getType() == IQ.Type.get;
        if (get && ServiceInfo.NS.equals(ns)) {
            return ServiceInfo.reply(request, new DiscoIdentity("proxy", "bytestreams", "SOCKS5 Bytestreams Service"),
                    NS, ServiceInfo.NS);
        }
        if (get && DISCO_ITEMS.equals(ns)) {
            IQ reply = IQ.createResultIQ(request);
            reply.setChildElement("query", DISCO_ITEMS);
            return reply;
        }
        if (NS.equals(ns) && "query".equals(child.getName())) {
            JID from = request.getFrom();
            if (from == null || from.getNode() == null || !domain.equals(from.getDomain())) {
                // §6.3.1: "If the Initiator does not have permissions to initiate bytestreams on the
                // Proxy for whatever reason ... the Proxy MUST return a <forbidden/> error".
                throw StanzaErrorException.forbidden("only users of " + domain + " may use this proxy");
            }
            return get ? address(request) : activate(request, child);
        }
        throw StanzaErrorException.serviceUnavailable();
    }

    private IQ address(IQ request) {
        IQ reply = IQ.createResultIQ(request);
        reply.setChildElement("query", NS).addElement("streamhost").addAttribute("jid", jid.toString())
                .addAttribute("host", host).addAttribute("port", String.valueOf(port));
        return reply;
    }

    /**
     * §6.3.4: "Using this information, with the SID and from address on the packet, the Proxy is
     * able to activate the stream by hashing the SID + Initiator JID + Target JID."
     */
    private IQ activate(IQ request, Element query) throws StanzaErrorException {
        String sid = query.attributeValue("sid");
        Element activate = query.element("activate");
        if (sid == null || sid.isEmpty() || activate == null || activate.getTextTrim().isEmpty()) {
            throw StanzaErrorException.badRequest("an activation names the sid and the target's JID");
        }
        JID target;
        try {
            target = new JID(activate.getTextTrim());
        } catch (IllegalArgumentException e) {
            throw StanzaErrorException.badRequest("the target's JID is not valid");
        }
        String digest = Socks5Relay.digest(sid, request.getFrom(), target);
        switch (relay.activate(digest)) {
            case ACTIVATED -> {
                return IQ.createResultIQ(request);
            }
            case ONE_PARTY -> throw StanzaErrorException.notAllowed(
                    "only one party is connected to the proxy for this bytestream");
            default -> throw StanzaErrorException.itemNotFound(
                    "no bytestream with that sid, initiator and target is connected to the proxy");
        }
    }
}
