package im.tongyou.server.net;

import im.tongyou.api.SessionEvent;
import im.tongyou.api.StanzaErrorException;
import im.tongyou.server.session.LocalSession;
import im.tongyou.server.session.RateLimiter;
import im.tongyou.server.session.StreamManagement;
import org.dom4j.Element;
import org.xmpp.packet.IQ;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;
import org.xmpp.packet.Packet;
import org.xmpp.packet.PacketError;
import org.xmpp.packet.Presence;
import org.xmpp.packet.StreamError;

/**
 * The stanzas of a bound session: checked on the event loop for what ends the stream (RFC 6120
 * §4.9), then turned into packets, validated, stamped with the session's full JID and routed on the
 * session's worker, in order.
 */
final class StanzaInput {

    private final C2sHandler connection;
    private final LocalSession session;
    private final C2sServices services;
    private final C2sSettings settings;
    private final JID serverJid;
    private boolean paused;
    private final RateLimiter rate;

    StanzaInput(C2sHandler connection, LocalSession session, C2sServices services, C2sSettings settings) {
        this.connection = connection;
        this.session = session;
        this.services = services;
        this.settings = settings;
        this.serverJid = new JID(null, settings.domain(), null, true);
        this.rate = new RateLimiter(settings.maxStanzasPerSecond(), settings.stanzaBurst(), System.nanoTime());
    }

    /** On the event loop: one top-level element from the client. */
    void accept(Element element) {
        if (!rate.tryAcquire(System.nanoTime())) {
            // RFC 6120 §4.9.3.15: the client broke a local service policy (here, its stanza rate).
            connection.closeWithError(StreamError.Condition.policy_violation, "too many stanzas too fast");
            return;
        }
        if (!Namespaces.CLIENT.equals(element.getNamespaceURI())) {
            // RFC 6120 §4.9.3.23: a first-level child the server does not support.
            connection.closeWithError(StreamError.Condition.unsupported_stanza_type,
                    "unsupported element {" + element.getNamespaceURI() + "}" + element.getName());
            return;
        }
        String name = element.getName();
        if (!"message".equals(name) && !"presence".equals(name) && !"iq".equals(name)) {
            connection.closeWithError(StreamError.Condition.unsupported_stanza_type, "unknown stanza " + name);
            return;
        }
        String from = element.attributeValue("from");
        if (from != null && !from.equals(session.jid().toString()) && !from.equals(session.jid().toBareJID())) {
            // RFC 6120 §8.1.2.1: a 'from' that is not the session's JID ends the stream with invalid-from.
            connection.closeWithError(StreamError.Condition.invalid_from, "the 'from' address is not yours");
            return;
        }
        session.executor().execute(() -> process(element));
        if (!paused && session.executor().pending() > settings.maxPendingStanzas()) {
            // Backpressure: stop reading until the worker caught up, instead of queueing without bound.
            paused = true;
            connection.channel().config().setAutoRead(false);
            session.executor().execute(() -> connection.onLoop(this::unpause));
        }
    }

    private void unpause() {
        paused = false;
        connection.channel().config().setAutoRead(true);
    }

    /** On the session's worker: one stanza, counted as handled for stream management (XEP-0198 §4). */
    private void process(Element element) {
        try {
            handle(element);
        } finally {
            StreamManagement sm = session.streamManagement();
            if (sm != null) {
                sm.handled();
            }
        }
    }

    private void handle(Element element) {
        if (connection.endedByServer() || session.isEnded()) {
            return;
        }
        StanzaErrorException malformedTo = null;
        String to = element.attributeValue("to");
        if (to != null && !isJid(to)) {
            // Tinder parses 'to' while building the packet and throws on some malformed addresses
            // ("@x"): the address is dropped first, and the sender gets jid-malformed all the same.
            element.remove(element.attribute("to"));
            malformedTo = new StanzaErrorException(PacketError.Condition.jid_malformed, "the 'to' address is not a valid JID");
        }
        Packet packet = switch (element.getName()) {
            case "message" -> new Message(element, true);
            case "presence" -> new Presence(element, true);
            default -> new IQ(element, true);
        };
        packet.setFrom(session.jid());
        try {
            if (malformedTo != null) {
                throw malformedTo;
            }
            validate(packet);
        } catch (StanzaErrorException e) {
            packet.setTo(serverJid); // the error comes from the server, whatever 'to' said
            services.router().bounce(packet, e);
            return;
        }
        if (packet instanceof IQ iq && isSessionRequest(iq)) {
            // RFC 6121 Appendix E: session establishment is a no-op kept for older clients.
            IQ result = IQ.createResultIQ(iq);
            result.setFrom((JID) null);
            session.send(result);
            return;
        }
        if (packet instanceof Presence presence && presence.getTo() == null && isBroadcast(presence)) {
            boolean initial = session.updatePresence(presence);
            services.router().route(presence);
            services.events().fire(new SessionEvent.PresenceChanged(session, presence, initial));
            return;
        }
        services.router().route(packet);
    }

    /**
     * Called on the event loop when the connection closed: after the session's stanzas, it ends, or
     * waits to be resumed when it has resumable stream management and the close was not clean.
     */
    void closed(boolean clean) {
        session.executor().execute(() -> services.lifecycle().connectionLost(session, connection, clean));
    }

    private static boolean isJid(String address) {
        try {
            new JID(address);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static void validate(Packet packet) throws StanzaErrorException {
        String to = packet.getElement().attributeValue("to");
        if (to != null) {
            try {
                packet.setTo(new JID(to));
            } catch (IllegalArgumentException e) {
                throw new StanzaErrorException(PacketError.Condition.jid_malformed, "the 'to' address is not a valid JID");
            }
        }
        try {
            if (packet instanceof Message m) {
                m.getType();
            } else if (packet instanceof Presence p) {
                p.getType();
            }
        } catch (IllegalArgumentException e) {
            throw StanzaErrorException.badRequest("unknown stanza type");
        }
        if (packet instanceof IQ iq) {
            validateIq(iq);
        }
    }

    /**
     * RFC 6120 §8.2.3: an IQ has an id and a type; a get or set has exactly one child element, a
     * result at most one, an error the error element (and perhaps the original payload).
     */
    private static void validateIq(IQ iq) throws StanzaErrorException {
        IQ.Type type;
        try {
            type = iq.getType();
        } catch (IllegalArgumentException e) {
            type = null;
        }
        if (type == null || iq.getID() == null || iq.getID().isEmpty()) {
            throw StanzaErrorException.badRequest("an IQ needs an id and a type of get, set, result or error");
        }
        int children = iq.getElement().elements().size();
        if ((type == IQ.Type.get || type == IQ.Type.set) && children != 1) {
            throw StanzaErrorException.badRequest("an IQ " + type + " must have exactly one child element");
        }
        if (type == IQ.Type.result && children > 1) {
            throw StanzaErrorException.badRequest("an IQ result has at most one child element");
        }
    }

    private static boolean isSessionRequest(IQ iq) {
        Element child = iq.getChildElement();
        return iq.getType() == IQ.Type.set && child != null && "session".equals(child.getName())
                && Namespaces.SESSION.equals(child.getNamespaceURI())
                && (iq.getTo() == null || iq.getTo().getNode() == null);
    }

    private static boolean isBroadcast(Presence presence) {
        return presence.getType() == null || presence.getType() == Presence.Type.unavailable;
    }
}
