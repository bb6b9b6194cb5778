package im.tongyou.server.feature.push;

import im.tongyou.api.StanzaErrorException;
import java.util.List;
import org.dom4j.Element;
import org.dom4j.QName;
import org.xmpp.packet.IQ;
import org.xmpp.packet.JID;
import org.xmpp.packet.PacketError;

/**
 * Enabling and disabling push notifications (XEP-0357 §5 and §6). The enable request may carry a
 * data form: its publish options (FORM_TYPE {@code http://jabber.org/protocol/pubsub#publish-options},
 * credentials for the app server) are sent with every notification; its field
 * {@code {urn:tongyou:push:0}previews} is ours (xeps/tongyou-push.md) and never leaves the server.
 */
final class PushIqHandler {

    static final String NS = "urn:xmpp:push:0";
    static final String DATA = "jabber:x:data";
    static final String PUBLISH_OPTIONS = "http://jabber.org/protocol/pubsub#publish-options";
    static final String PREVIEWS = "{" + PushAppServer.NS + "}previews";
    /** The most app servers one user may enable. */
    static final int MAX_REGISTRATIONS = 20;

    private final PushStore store;

    PushIqHandler(PushStore store) {
        this.store = store;
    }

    /** IQ set {@code <enable jid='...' node='...'/>}. */
    IQ enable(IQ request) throws StanzaErrorException {
        String username = request.getFrom().getNode();
        Element enable = request.getChildElement();
        JID service = service(enable);
        String node = enable.attributeValue("node", "");
        if (node.length() > 255) {
            throw StanzaErrorException.badRequest("the node is too long");
        }
        boolean previews = false;
        Element options = null;
        Element form = enable.element(QName.get("x", DATA));
        if (form != null) {
            options = form.createCopy();
            for (Element field : List.copyOf(options.elements("field"))) {
                String var = field.attributeValue("var", "");
                if (PREVIEWS.equals(var)) {
                    String value = field.elementTextTrim("value");
                    previews = "true".equals(value) || "1".equals(value);
                    options.remove(field);
                } else if ("FORM_TYPE".equals(var) && !PUBLISH_OPTIONS.equals(field.elementTextTrim("value"))) {
                    throw StanzaErrorException.badRequest("the form's FORM_TYPE must be " + PUBLISH_OPTIONS);
                }
            }
            if (options.elements("field").stream().noneMatch(f -> !"FORM_TYPE".equals(f.attributeValue("var")))) {
                options = null; // nothing for the app server
            }
        }
        if (store.count(username) >= MAX_REGISTRATIONS
                && store.registrations(username).stream().noneMatch(r -> r.service().equals(service) && r.node().equals(node))) {
            throw StanzaErrorException.resourceConstraint("at most " + MAX_REGISTRATIONS + " push services");
        }
        store.enable(new PushStore.Registration(username, service, node, options, previews));
        return IQ.createResultIQ(request);
    }

    /** IQ set {@code <disable jid='...' [node='...']/>}: that node, or every node of the service. */
    IQ disable(IQ request) throws StanzaErrorException {
        Element disable = request.getChildElement();
        store.disable(request.getFrom().getNode(), service(disable), disable.attributeValue("node"));
        return IQ.createResultIQ(request);
    }

    private static JID service(Element element) throws StanzaErrorException {
        String jid = element.attributeValue("jid");
        if (jid == null || jid.isBlank()) {
            throw StanzaErrorException.badRequest("'jid' names the push service and is required");
        }
        try {
            return new JID(jid);
        } catch (IllegalArgumentException e) {
            throw new StanzaErrorException(PacketError.Condition.jid_malformed, "'jid' is not a JID");
        }
    }
}
