package im.tongyou.server.net;

import im.tongyou.api.SessionEvent;
import im.tongyou.server.session.LocalSession;
import im.tongyou.server.session.SerialExecutor;
import im.tongyou.server.session.SessionRegistry;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.dom4j.Element;
import org.dom4j.QName;
import org.xmpp.packet.IQ;
import org.xmpp.packet.JID;
import org.xmpp.packet.PacketError;
import org.xmpp.packet.StreamError;

/**
 * Resource binding (RFC 6120 §7): prepares the requested resource or generates one, binds the
 * session, and ends an older session with the same full JID with a {@code conflict} stream error.
 */
final class ResourceBinder {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private static final int MAX_RESOURCE_BYTES = 1023; // RFC 7622 §3.4

    private final C2sHandler connection;
    private final C2sServices services;
    private final C2sSettings settings;

    ResourceBinder(C2sHandler connection, C2sServices services, C2sSettings settings) {
        this.connection = connection;
        this.services = services;
        this.settings = settings;
    }

    void bind(Element iqElement, String username) {
        IQ request = new IQ(iqElement, true);
        if (request.getType() != IQ.Type.set || request.getID() == null) {
            // RFC 6120 §7.6.1: binding is an IQ set.
            reply(error(request, PacketError.Condition.bad_request, "resource binding is an IQ of type set with an id"));
            return;
        }
        Element bind = iqElement.element(QName.get("bind", Namespaces.BIND));
        Element requested = bind.element(QName.get("resource", Namespaces.BIND));
        String resource;
        if (requested == null || requested.getText().isEmpty()) {
            resource = generateResource(); // RFC 6120 §7.6: the server generates a resourcepart
        } else {
            try {
                resource = JID.resourceprep(requested.getText());
            } catch (IllegalArgumentException e) {
                resource = null;
            }
            if (resource == null || resource.isEmpty()
                    || resource.getBytes(StandardCharsets.UTF_8).length > MAX_RESOURCE_BYTES) {
                // RFC 6120 §7.7.2.1: a resourcepart that cannot be prepared is a bad request.
                reply(error(request, PacketError.Condition.bad_request, "the resource is not a valid resourcepart"));
                return;
            }
        }
        JID jid = new JID(username, settings.domain(), resource, true);
        SerialExecutor executor = new SerialExecutor(services.workers());
        LocalSession session = new LocalSession(jid, connection, executor, services.clock().instant(), services.lifecycle());
        SessionRegistry.BindResult result = services.sessions().bind(session, settings.maxSessionsPerUser());
        if (result == null) {
            // RFC 6120 §7.6.2.1: the account has reached its limit of connected resources.
            reply(error(request, PacketError.Condition.resource_constraint, "too many sessions for this account"));
            return;
        }
        if (result.replaced() != null) {
            // RFC 6120 §7.7.2.2: "override the existing session" and end it with <conflict/>.
            result.replaced().close(StreamError.Condition.conflict, "replaced by a new connection with the same resource");
        }
        connection.bound(session);
        IQ reply = IQ.createResultIQ(request);
        reply.setTo((JID) null);
        reply.setFrom((JID) null);
        reply.setChildElement("bind", Namespaces.BIND).addElement("jid").setText(jid.toString());
        reply(reply);
        executor.execute(() -> services.events().fire(new SessionEvent.Bound(session)));
    }

    private void reply(IQ iq) {
        connection.write(iq);
    }

    private static IQ error(IQ request, PacketError.Condition condition, String text) {
        IQ reply = new IQ(IQ.Type.error, request.getID());
        reply.setError(new PacketError(condition, condition.getDefaultType(), text, "en"));
        return reply;
    }

    private static String generateResource() {
        char[] chars = new char[12];
        for (int i = 0; i < chars.length; i++) {
            chars[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return "ty-" + new String(chars);
    }
}
