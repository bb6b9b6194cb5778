package im.tongyou.server.feature.blocking;

import im.tongyou.api.Sessions;
import im.tongyou.api.StanzaErrorException;
import im.tongyou.api.Verdict;
import org.dom4j.DocumentHelper;
import org.dom4j.QName;
import org.xmpp.packet.IQ;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;
import org.xmpp.packet.Packet;
import org.xmpp.packet.PacketError;
import org.xmpp.packet.Presence;

/**
 * The rules of XEP-0191 §3.3 for stanzas between a user and a JID the user blocked. Outbound (at
 * PRE_ROUTE): "the user's server MUST NOT route the stanza ... but instead MUST return a
 * &lt;not-acceptable/&gt; error containing an application-specific error condition of
 * &lt;blocked/&gt;"; presence is dropped silently (a broadcast must not bounce), except the
 * cancellations "unsubscribe" and "unsubscribed", which keep the contact's roster true. Inbound (at
 * DELIVER and OFFLINE, and at PRE_ROUTE for probes and requests the server answers for the user):
 * presence is dropped without an error, messages and IQ requests get service-unavailable, so that
 * "the user will appear offline to the blocked JID". A user's own resources and the server itself
 * are never blocked.
 */
final class BlockingInterceptor {

    static final String ERRORS_NS = "urn:xmpp:blocking:errors";

    private final String domain;
    private final BlockList list;
    private final Sessions sessions;

    BlockingInterceptor(String domain, BlockList list, Sessions sessions) {
        this.domain = domain;
        this.list = list;
        this.sessions = sessions;
    }

    /** PRE_ROUTE: the sender's blocklist, and the recipient's for stanzas that never reach DELIVER. */
    <T extends Packet> Verdict preRoute(T stanza) throws StanzaErrorException {
        JID from = stanza.getFrom();
        JID to = stanza.getTo();
        if (from == null || to == null || sameAccount(from, to)) {
            return Verdict.CONTINUE;
        }
        if (isLocalUser(from) && !isServer(to) && list.blocks(from.getNode(), to) && !isCancellation(stanza)) {
            if ((stanza instanceof Message m && m.getType() != Message.Type.error) || isRequest(stanza)) {
                refuse(stanza);
                return Verdict.HANDLED;
            }
            return Verdict.DROP;
        }
        boolean answeredByServer = (stanza instanceof Presence p && p.getType() == Presence.Type.probe)
                || (isRequest(stanza) && to.getResource() == null);
        if (answeredByServer && isLocalUser(to) && !isServer(from) && list.blocks(to.getNode(), from)) {
            return inbound(stanza);
        }
        return Verdict.CONTINUE;
    }

    /** DELIVER and OFFLINE: the recipient's blocklist. */
    <T extends Packet> Verdict deliver(T stanza) throws StanzaErrorException {
        JID from = stanza.getFrom();
        JID to = stanza.getTo();
        if (from == null || to == null || sameAccount(from, to) || isServer(from) || !isLocalUser(to)) {
            return Verdict.CONTINUE;
        }
        return list.blocks(to.getNode(), from) ? inbound(stanza) : Verdict.CONTINUE;
    }

    /**
     * The not-acceptable error with {@code <blocked/>}, written straight to the sending session: as
     * an error "from" the blocked JID it would otherwise meet the inbound rule of its recipient.
     */
    private void refuse(Packet stanza) {
        Packet reply = stanza.createCopy();
        reply.setTo(stanza.getFrom());
        reply.setFrom(stanza.getTo());
        PacketError error = new StanzaErrorException(PacketError.Condition.not_acceptable, PacketError.Type.cancel,
                "you have blocked this address", DocumentHelper.createElement(QName.get("blocked", ERRORS_NS)))
                .toPacketError();
        reply.setError(error);
        if (reply instanceof IQ iq) {
            iq.setType(IQ.Type.error);
        }
        sessions.get(stanza.getFrom()).ifPresent(session -> session.send(reply));
    }

    private static Verdict inbound(Packet stanza) throws StanzaErrorException {
        if ((stanza instanceof Message m && m.getType() != Message.Type.error) || isRequest(stanza)) {
            throw new StanzaErrorException(PacketError.Condition.service_unavailable);
        }
        return Verdict.DROP; // presence of every kind, IQ results and errors: "silently dropped"
    }

    private static boolean isRequest(Packet stanza) {
        return stanza instanceof IQ iq && (iq.getType() == IQ.Type.get || iq.getType() == IQ.Type.set);
    }

    private static boolean isCancellation(Packet stanza) {
        return stanza instanceof Presence p
                && (p.getType() == Presence.Type.unsubscribe || p.getType() == Presence.Type.unsubscribed);
    }

    private boolean sameAccount(JID a, JID b) {
        return a.getNode() != null && a.getNode().equals(b.getNode()) && a.getDomain().equals(b.getDomain());
    }

    private boolean isLocalUser(JID jid) {
        return jid.getNode() != null && domain.equals(jid.getDomain());
    }

    private boolean isServer(JID jid) {
        return jid.getNode() == null && jid.getResource() == null && domain.equals(jid.getDomain());
    }
}
