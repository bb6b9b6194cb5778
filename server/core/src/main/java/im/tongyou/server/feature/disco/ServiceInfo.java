package im.tongyou.server.feature.disco;

import im.tongyou.api.DiscoIdentity;
import im.tongyou.api.StanzaErrorException;
import org.dom4j.Element;
import org.xmpp.packet.IQ;

/**
 * The disco#info answer of a service on a subdomain (XEP-0030 §3.1): its identity and features. A
 * request for a node the service does not have gets {@code item-not-found} (§3.2).
 */
public final class ServiceInfo {

    public static final String NS = "http://jabber.org/protocol/disco#info";

    private ServiceInfo() {
    }

    /** The result for {@code request}; its {@code query} element may take more (a XEP-0128 form). */
    public static IQ reply(IQ request, DiscoIdentity identity, String... features) throws StanzaErrorException {
        if (request.getChildElement().attributeValue("node") != null) {
            throw StanzaErrorException.itemNotFound("no such node");
        }
        IQ reply = IQ.createResultIQ(request);
        Element query = reply.setChildElement("query", NS);
        Element id = query.addElement("identity").addAttribute("category", identity.category())
                .addAttribute("type", identity.type());
        if (identity.name() != null) {
            id.addAttribute("name", identity.name());
        }
        for (String feature : features) {
            query.addElement("feature").addAttribute("var", feature);
        }
        return reply;
    }
}
