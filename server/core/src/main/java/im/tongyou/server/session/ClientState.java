package im.tongyou.server.session;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dom4j.Element;
import org.xmpp.packet.IQ;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;
import org.xmpp.packet.Packet;
import org.xmpp.packet.Presence;

/**
 * Client state indication (XEP-0352): while a client says it is inactive, stanzas it does not need
 * at once are held — the latest presence of each contact, and messages without content such as
 * chat states — and released, in order, when it becomes active or when something urgent arrives
 * (a message with a body, say). IQs and subscription requests are never held. Thread-safe.
 */
public final class ClientState {

    private static final int MAX_HELD = 500;
    private static final String CARBONS = "urn:xmpp:carbons:2";
    /** Payloads that do not make a message worth waking a client for. */
    private static final java.util.Set<String> NOT_CONTENT = java.util.Set.of(
            "http://jabber.org/protocol/chatstates", "urn:xmpp:receipts", "urn:xmpp:chat-markers:0",
            "urn:xmpp:hints", "urn:xmpp:sid:0", "urn:xmpp:delay");

    private boolean inactive;
    /** Held stanzas in arrival order; a contact's newer presence replaces the held older one. */
    private final Map<Object, Packet> held = new LinkedHashMap<>();
    private long sequence;

    /** The client said {@code <inactive/>}. */
    public synchronized void inactive() {
        inactive = true;
    }

    /** The client said {@code <active/>}: returns what was held, to send now. */
    public synchronized List<Packet> active() {
        inactive = false;
        return drain();
    }

    public synchronized boolean isInactive() {
        return inactive;
    }

    /**
     * Decides what to send now for a stanza going to the client: nothing (it is held), or the held
     * stanzas followed by this one (it is urgent, or the client is active).
     */
    public synchronized List<Packet> offer(Packet stanza) {
        if (!inactive || bypasses(stanza)) {
            return List.of(stanza);
        }
        if (isUrgent(stanza) || held.size() >= MAX_HELD) {
            List<Packet> out = drain();
            out.add(stanza);
            return out;
        }
        Object key = stanza instanceof Presence p && p.getFrom() != null ? presenceKey(p.getFrom()) : sequence++;
        held.remove(key); // a newer presence moves to the end, in arrival order
        held.put(key, stanza);
        return List.of();
    }

    private List<Packet> drain() {
        List<Packet> out = new ArrayList<>(held.values());
        held.clear();
        return out;
    }

    private static Object presenceKey(JID from) {
        return "presence:" + from;
    }

    /**
     * Stanzas that go out at once without releasing what is held, since their order relative to
     * it does not matter: IQs (a request must be answered, a result is awaited) and presence
     * subscriptions and errors (the user must answer them).
     */
    static boolean bypasses(Packet stanza) {
        if (stanza instanceof IQ) {
            return true;
        }
        if (stanza instanceof Presence p) {
            Presence.Type type = p.getType();
            return type == Presence.Type.subscribe || type == Presence.Type.subscribed
                    || type == Presence.Type.unsubscribe || type == Presence.Type.unsubscribed
                    || type == Presence.Type.error;
        }
        return false;
    }

    /**
     * Whether a message must reach an inactive client at once, with everything held before it:
     * messages with a body, a subject, or an encrypted or other payload a user would want to see
     * (everything but chat states, receipts and markers).
     */
    static boolean isUrgent(Packet stanza) {
        if (stanza instanceof Presence) {
            return false;
        }
        if (stanza instanceof Message m) {
            if (m.getBody() != null || m.getSubject() != null || m.getType() == Message.Type.error) {
                return true;
            }
            for (Element child : m.getElement().elements()) {
                String ns = child.getNamespaceURI();
                if (CARBONS.equals(ns) && ("sent".equals(child.getName()) || "received".equals(child.getName()))) {
                    // A carbon (XEP-0280) is as urgent as the message it carries: not for a chat state.
                    Element forwarded = child.element("forwarded");
                    Element inner = forwarded == null ? null : forwarded.element("message");
                    if (inner != null && isUrgent(new Message(inner, true))) {
                        return true;
                    }
                } else if (!NOT_CONTENT.contains(ns) && !"thread".equals(child.getName())) {
                    return true; // an encrypted payload, an invitation...
                }
            }
            return false;
        }
        return true;
    }
}
