package im.tongyou.consent;

import im.tongyou.api.StanzaErrorException;
import im.tongyou.api.Verdict;
import java.util.Set;
import org.dom4j.Element;
import org.xmpp.packet.IQ;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;
import org.xmpp.packet.Packet;
import org.xmpp.packet.PacketError;
import org.xmpp.packet.Presence;

/**
 * The gate of an account waiting for a guardian (R-CHD-2, AC-07; {@code xeps/tongyou-consent.md}
 * §5): it may use the consent flow and nothing else. Its messages, presence, roster changes, uploads,
 * group chat and every other request are refused with {@code <guardian-required/>}, except this
 * namespace, ping, service discovery, in-band registration (to cancel the account), a correction
 * request to staff, a cancellation by the rights extension and reading its own (empty) roster; session establishment and stream management never reach the router. Nothing
 * from other users reaches it either.
 */
final class PendingGuardianInterceptor {

    /** The IQ namespaces a pending account may use. */
    static final Set<String> ALLOWED = Set.of(ConsentElement.NS, "urn:xmpp:ping",
            "http://jabber.org/protocol/disco#info", "http://jabber.org/protocol/disco#items", "jabber:iq:register");
    private static final String ROSTER = "jabber:iq:roster";
    /**
     * A correction request (xeps/tongyou-rights.md §3.5) is the support contact R-CHD-2 allows: an
     * adult who mistyped the year can ask staff to correct the birthday; a pending account's
     * corrections all wait for staff and change nothing meanwhile.
     */
    private static final String RIGHTS = "urn:tongyou:rights:0";
    /** A correction, and a cancellation (the same right XEP-0077 {@code <remove/>} gives). */
    private static final Set<String> RIGHTS_ALLOWED = Set.of("correction", "cancel");

    private final Minors minors;
    private final String domain;

    PendingGuardianInterceptor(Minors minors, String domain) {
        this.minors = minors;
        this.domain = domain;
    }

    /** PRE_ROUTE: a pending account's messages. */
    Verdict message(Message m) throws StanzaErrorException {
        if (!fromPending(m)) {
            return Verdict.CONTINUE;
        }
        if (m.getType() == Message.Type.error) {
            return Verdict.DROP;
        }
        throw refused("messages");
    }

    /** PRE_ROUTE: a pending account's presence; going offline is simply not broadcast. */
    Verdict presence(Presence p) throws StanzaErrorException {
        if (!fromPending(p)) {
            return Verdict.CONTINUE;
        }
        if (p.getType() == Presence.Type.error || (p.getTo() == null && p.getType() == Presence.Type.unavailable)) {
            return Verdict.DROP;
        }
        throw refused("presence");
    }

    /** PRE_ROUTE: a pending account's requests, but for the allowed ones. */
    Verdict iq(IQ iq) throws StanzaErrorException {
        if (!fromPending(iq) || iq.getType() == IQ.Type.result || iq.getType() == IQ.Type.error) {
            return Verdict.CONTINUE;
        }
        Element child = iq.getChildElement();
        String ns = child == null ? "" : child.getNamespaceURI();
        if (ALLOWED.contains(ns) || (ROSTER.equals(ns) && iq.getType() == IQ.Type.get)
                || (RIGHTS.equals(ns) && RIGHTS_ALLOWED.contains(child.getName()) && iq.getType() == IQ.Type.set)) {
            return Verdict.CONTINUE;
        }
        throw refused("this request");
    }

    /**
     * DELIVER and OFFLINE: nothing from other users reaches a pending account, but the server's
     * bounces of what the account itself sent: errors from the addressee's bare JID (a user's own
     * stanzas always carry the full JID its session stamped).
     */
    Verdict inbound(Packet stanza) throws StanzaErrorException {
        if (stanza.getError() != null && stanza.getFrom() != null && stanza.getFrom().getResource() == null) {
            return Verdict.CONTINUE;
        }
        JID to = stanza.getTo();
        JID from = stanza.getFrom();
        if (to == null || !domain.equals(to.getDomain()) || !minors.isPending(to.getNode())
                || from == null || (from.getNode() == null && domain.equals(from.getDomain()))
                || (to.getNode().equals(from.getNode()) && domain.equals(from.getDomain()))) {
            return Verdict.CONTINUE;
        }
        boolean request = (stanza instanceof Message m && m.getType() != Message.Type.error)
                || (stanza instanceof IQ iq && (iq.getType() == IQ.Type.get || iq.getType() == IQ.Type.set));
        if (request) {
            throw new StanzaErrorException(PacketError.Condition.service_unavailable);
        }
        return Verdict.DROP;
    }

    private boolean fromPending(Packet stanza) {
        JID from = stanza.getFrom();
        return from != null && from.getNode() != null && domain.equals(from.getDomain()) && minors.isPending(from.getNode());
    }

    private static StanzaErrorException refused(String what) {
        return ConsentCondition.GUARDIAN_REQUIRED.error(what + " wait for a guardian's consent to this child's account");
    }
}
