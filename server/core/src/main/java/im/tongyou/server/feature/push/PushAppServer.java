package im.tongyou.server.feature.push;

import im.tongyou.api.Router;
import im.tongyou.api.ServiceHandler;
import im.tongyou.api.StanzaErrorException;
import im.tongyou.api.privacy.Crypto;
import im.tongyou.api.push.PushNotification;
import im.tongyou.api.push.PushProvider;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import org.dom4j.Element;
import org.dom4j.QName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmpp.packet.IQ;
import org.xmpp.packet.JID;
import org.xmpp.packet.Packet;

/**
 * The built-in app server: an XMPP push service (XEP-0357 §3, a pubsub service with the identity
 * pubsub/push) on {@code push.<domain>}. A device registers its provider and token and gets a node
 * and a secret ({@code urn:tongyou:push:0}, xeps/tongyou-push.md); the user's server publishes to the
 * node with the secret as a publish option, and the provider takes the notification to the device.
 * Only this server's accounts' bare JIDs may publish (§3.2: "only accept ... publish requests from
 * bare JIDs to ensure that only a user's server is able to publish"), and only with the secret.
 */
final class PushAppServer implements ServiceHandler {

    static final String NS = "urn:tongyou:push:0";
    private static final String DISCO_INFO = "http://jabber.org/protocol/disco#info";
    private static final Logger log = LoggerFactory.getLogger(PushAppServer.class);

    private final String domain;
    private final PushStore store;
    private final PushProvidersRegistry providers;
    private final Crypto crypto;
    private final Router router;
    private final SecureRandom random = new SecureRandom();
    private JID address;

    PushAppServer(String domain, PushStore store, PushProvidersRegistry providers, Crypto crypto, Router router) {
        this.domain = domain;
        this.store = store;
        this.providers = providers;
        this.crypto = crypto;
        this.router = router;
    }

    /** The service's address, once registered. */
    void address(JID address) {
        this.address = address;
    }

    @Override
    public void handle(Packet stanza) throws StanzaErrorException {
        if (!(stanza instanceof IQ iq) || iq.getType() == IQ.Type.result || iq.getType() == IQ.Type.error) {
            return; // a push service has nothing to say to messages and presence
        }
        Element child = iq.getChildElement();
        String ns = child == null ? "" : child.getNamespaceURI();
        String name = child == null ? "" : child.getName();
        IQ reply;
        if (iq.getType() == IQ.Type.get && DISCO_INFO.equals(ns)) {
            reply = info(iq);
        } else if (iq.getType() == IQ.Type.set && NS.equals(ns) && "register".equals(name)) {
            reply = register(iq, child);
        } else if (iq.getType() == IQ.Type.set && NS.equals(ns) && "unregister".equals(name)) {
            store.removeDevice(child.attributeValue("node", ""), localUser(iq.getFrom()).getNode());
            reply = IQ.createResultIQ(iq);
        } else if (iq.getType() == IQ.Type.set && PushNotifier.PUBSUB.equals(ns) && child.element("publish") != null) {
            reply = publish(iq, child);
        } else {
            throw StanzaErrorException.serviceUnavailable();
        }
        reply.setFrom(address);
        router.route(reply);
    }

    private IQ info(IQ iq) {
        IQ reply = IQ.createResultIQ(iq);
        Element query = reply.setChildElement("query", DISCO_INFO);
        query.addElement("identity").addAttribute("category", "pubsub").addAttribute("type", "push")
                .addAttribute("name", "Tongyou push notifications");
        query.addElement("feature").addAttribute("var", DISCO_INFO);
        query.addElement("feature").addAttribute("var", PushIqHandler.NS);
        query.addElement("feature").addAttribute("var", NS);
        return reply;
    }

    /** {@code <register provider='...' token='...'/>} from a device: a node and a secret for it. */
    private IQ register(IQ iq, Element request) throws StanzaErrorException {
        JID user = localUser(iq.getFrom());
        String provider = request.attributeValue("provider", "");
        String token = request.attributeValue("token", "");
        if (providers.get(provider).isEmpty()) {
            throw StanzaErrorException.itemNotFound("no push provider named '" + provider + "'");
        }
        if (token.isBlank() || token.length() > 4096) {
            throw StanzaErrorException.badRequest("a device token of 1 to 4096 characters is required");
        }
        String node = random(16);
        String secret = random(24);
        store.addDevice(node, user.getNode(), provider, token, crypto.keyedHash("push secret", secret));
        IQ reply = IQ.createResultIQ(iq);
        reply.setChildElement("registered", NS).addAttribute("node", node).addAttribute("secret", secret);
        return reply;
    }

    /** A pubsub publish from a user's server (XEP-0357 §7). */
    private IQ publish(IQ iq, Element pubsub) throws StanzaErrorException {
        JID from = iq.getFrom();
        if (from == null || from.getNode() == null || from.getResource() != null || !domain.equals(from.getDomain())) {
            throw StanzaErrorException.forbidden("only a user's server publishes notifications");
        }
        Element publish = pubsub.element("publish");
        Optional<PushStore.Device> device = store.device(publish.attributeValue("node", ""));
        if (device.isEmpty() || !device.get().username().equals(from.getNode())) {
            throw StanzaErrorException.itemNotFound("no such node");
        }
        String secret = option(pubsub, "secret");
        if (secret == null || !MessageDigest.isEqual(device.get().secretHash(), crypto.keyedHash("push secret", secret))) {
            throw StanzaErrorException.forbidden("the publish options lack the node's secret");
        }
        Element item = publish.element("item");
        Element notification = item == null ? null : item.element(QName.get("notification", PushIqHandler.NS));
        if (notification == null) {
            throw StanzaErrorException.badRequest("a notification item is required");
        }
        Element form = notification.element(QName.get("x", PushIqHandler.DATA));
        int count = 1;
        try {
            String c = field(form, "message-count");
            count = c == null ? 1 : Integer.parseInt(c);
        } catch (NumberFormatException e) {
            throw StanzaErrorException.badRequest("message-count must be a number");
        }
        PushNotification note = new PushNotification(device.get().token(), item.attributeValue("id", random(12)), count,
                field(form, "last-message-sender"), field(form, "last-message-body"));
        deliver(device.get(), note);
        return IQ.createResultIQ(iq);
    }

    private void deliver(PushStore.Device device, PushNotification note) throws StanzaErrorException {
        PushProvider provider = providers.get(device.provider()).orElseThrow(() ->
                new StanzaErrorException(org.xmpp.packet.PacketError.Condition.service_unavailable));
        try {
            provider.deliver(note);
            store.touchDevice(device.node());
        } catch (PushProvider.InvalidTokenException e) {
            log.info("push provider {} says a device token is no longer valid; removing the device", provider.name());
            store.removeDevice(device.node(), device.username());
            throw StanzaErrorException.itemNotFound("the device is gone");
        } catch (Exception e) {
            log.warn("push provider {} could not deliver a notification: {}", provider.name(), e.getMessage());
            throw new StanzaErrorException(org.xmpp.packet.PacketError.Condition.remote_server_timeout);
        }
    }

    private JID localUser(JID from) throws StanzaErrorException {
        if (from == null || from.getNode() == null || !domain.equals(from.getDomain())) {
            throw StanzaErrorException.forbidden("devices of this server's users only");
        }
        return from;
    }

    private static String option(Element pubsub, String var) {
        Element options = pubsub.element("publish-options");
        return options == null ? null : field(options.element(QName.get("x", PushIqHandler.DATA)), var);
    }

    private static String field(Element form, String var) {
        if (form == null) {
            return null;
        }
        for (Element field : form.elements("field")) {
            if (var.equals(field.attributeValue("var"))) {
                return field.elementText("value");
            }
        }
        return null;
    }

    private String random(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
