package im.tongyou.server.routing;

import im.tongyou.api.IqHandler;
import im.tongyou.api.IqTarget;
import im.tongyou.api.Phase;
import im.tongyou.api.Router;
import im.tongyou.api.ServiceHandler;
import im.tongyou.api.StanzaErrorException;
import im.tongyou.api.Verdict;
import im.tongyou.server.session.LocalSession;
import im.tongyou.server.storage.StorageException;
import im.tongyou.server.session.SessionRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.dom4j.Element;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmpp.packet.IQ;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;
import org.xmpp.packet.Packet;
import org.xmpp.packet.PacketError;
import org.xmpp.packet.Presence;

/**
 * Routes stanzas by the delivery rules of RFC 6120 §10 and RFC 6121 §8, running the interceptors
 * of each {@link Phase}. It runs on the sending session's worker thread and never blocks on the
 * network; only a look-up of an offline account may touch the database.
 */
public final class StanzaRouter implements Router {

    private static final Logger log = LoggerFactory.getLogger(StanzaRouter.class);

    private final String domain;
    private final JID serverJid;
    private final SessionRegistry sessions;
    private final Predicate<String> accountExists;
    private final InterceptorChain<Message> messages;
    private final InterceptorChain<Presence> presences;
    private final InterceptorChain<IQ> iqs;
    private final IqRoutes iqRoutes;
    private final PendingRequests pending;
    private final Services services;
    /** Accounts being erased (cancelled, erasure not ended): nothing is routed to them. */
    private volatile Predicate<String> fenced = user -> false;

    public StanzaRouter(String domain, SessionRegistry sessions, Predicate<String> accountExists,
                        InterceptorChain<Message> messages, InterceptorChain<Presence> presences,
                        InterceptorChain<IQ> iqs, IqRoutes iqRoutes, PendingRequests pending, Services services) {
        this.domain = domain;
        this.serverJid = new JID(null, domain, null, true);
        this.sessions = sessions;
        this.accountExists = accountExists;
        this.messages = messages;
        this.presences = presences;
        this.iqs = iqs;
        this.iqRoutes = iqRoutes;
        this.pending = pending;
        this.services = services;
    }

    /**
     * Sets the test of accounts being erased: stanzas to them are refused before any interceptor,
     * as if the account did not exist, whatever sessions are still bound ({@code ErasureFence}).
     */
    public void fence(Predicate<String> fenced) {
        this.fenced = fenced;
    }

    @Override
    public void route(Packet stanza) {
        route(stanza, true);
    }

    /**
     * Delivers a stanza again, skipping {@link Phase#PRE_ROUTE} (its sender's side already ran):
     * for stanzas a session never acknowledged (XEP-0198), re-addressed to the user's bare JID.
     */
    public void redeliver(Packet stanza) {
        route(stanza, false);
    }

    private void route(Packet stanza, boolean preRoute) {
        try {
            dispatch(stanza, preRoute);
        } catch (StanzaErrorException e) {
            bounce(stanza, e);
        } catch (RuntimeException e) {
            if (isStorageFailure(e)) {
                // Refused, not lost: the sender learns the stanza was not taken and may try again
                // (RFC 6120 §8.3.2: type 'wait', "retry after waiting").
                log.error("storage failed while routing a {} from {}: {}", stanza.getElement().getName(),
                        stanza.getFrom(), e.toString());
                bounce(stanza, new StanzaErrorException(PacketError.Condition.internal_server_error,
                        PacketError.Type.wait, "the server's storage is unavailable; nothing was stored", null));
                return;
            }
            log.error("failed to route a {} from {}", stanza.getElement().getName(), stanza.getFrom(), e);
            bounce(stanza, new StanzaErrorException(PacketError.Condition.internal_server_error));
        }
    }

    /** A database that is gone, full or refusing: a {@link StorageException} or an SQL error inside. */
    private static boolean isStorageFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof StorageException || t instanceof java.sql.SQLException) {
                return true;
            }
        }
        return false;
    }

    @Override
    public java.util.concurrent.CompletionStage<IQ> request(IQ request, java.time.Duration timeout) {
        if (request.getFrom() == null) {
            request.setFrom(serverJid);
        }
        var future = pending.register(request, timeout);
        route(request);
        return future;
    }

    private void dispatch(Packet stanza, boolean preRoute) throws StanzaErrorException {
        if (stanza instanceof IQ iq && isResponse(iq) && pending.complete(iq)) {
            return;
        }
        JID to = stanza.getTo();
        if (to != null && to.getNode() != null && domain.equals(to.getDomain()) && fenced.test(to.getNode())) {
            noSuchUser(stanza); // a cancelled account: nothing may be delivered, stored or archived for it
            return;
        }
        if (preRoute && run(Phase.PRE_ROUTE, stanza) != Verdict.CONTINUE) {
            return;
        }
        if (to == null) {
            toOwnAccount(stanza);
        } else if (!domain.equals(to.getDomain())) {
            ServiceHandler service = services.find(to.getDomain());
            if (service != null) {
                service.handle(stanza);
                return;
            }
            // COMPAT: no federation (RFC 6120 §13.7) yet; RFC 6120 §10.4.3 names this condition.
            throw new StanzaErrorException(PacketError.Condition.remote_server_not_found,
                    "this server does not federate with other domains");
        } else if (to.getNode() == null) {
            toServer(stanza);
        } else if (to.getResource() == null) {
            toBareJid(stanza, to);
        } else {
            toFullJid(stanza, to);
        }
    }

    /** RFC 6120 §10.3: no 'to' means the sender's own account. */
    private void toOwnAccount(Packet stanza) throws StanzaErrorException {
        JID from = stanza.getFrom();
        if (stanza instanceof Message) {
            // RFC 6120 §10.3.1: "treat the message as if the 'to' address were the bare JID ... of
            // the sending entity".
            toBareJid(stanza, from.asBareJID());
        } else if (stanza instanceof IQ iq) {
            // RFC 6120 §10.3.3: "the server MUST handle it directly on behalf of the entity that sent it".
            handleIq(iq, true);
        }
        // Broadcast presence (RFC 6121 §4.2) is the presence plugins' business at PRE_ROUTE.
    }

    /** RFC 6120 §10.4: the server's own domain. */
    private void toServer(Packet stanza) throws StanzaErrorException {
        if (stanza instanceof IQ iq) {
            if (!isResponse(iq)) {
                dispatchIq(iq, iqRoutes.find(iq.getType(), IqTarget.SERVER, childNs(iq), childName(iq)));
            }
        } else if (stanza instanceof Message message && isErrorless(message)
                && message.getType() != Message.Type.headline) {
            throw new StanzaErrorException(PacketError.Condition.service_unavailable);
        }
    }

    /** RFC 6121 §8.5.1 and §8.5.2: a local user's bare JID. */
    private void toBareJid(Packet stanza, JID to) throws StanzaErrorException {
        String user = to.getNode();
        LocalSession[] userSessions = sessions.sessionsOf(user);
        if (userSessions.length == 0 && !accountExists.test(user)) {
            noSuchUser(stanza);
            return;
        }
        if (stanza instanceof IQ iq) {
            // RFC 6121 §8.5.2.1.3: "the server MUST handle it directly on behalf of the intended recipient".
            if (!isResponse(iq)) {
                handleIq(iq, to.getNode().equals(iq.getFrom().getNode()) && domain.equals(iq.getFrom().getDomain()));
            }
        } else if (stanza instanceof Message message) {
            deliverMessageToBare(message, userSessions);
        } else if (stanza instanceof Presence presence) {
            deliverPresenceToBare(presence, userSessions);
        }
    }

    private void deliverMessageToBare(Message message, LocalSession[] userSessions) throws StanzaErrorException {
        Message.Type type = message.getType();
        if (type == Message.Type.error) {
            return; // RFC 6121 §8.5.2.1.1 and §8.5.2.2.1: "silently ignore the stanza"
        }
        if (type == Message.Type.groupchat) {
            throw new StanzaErrorException(PacketError.Condition.service_unavailable);
        }
        List<LocalSession> targets = type == Message.Type.headline
                ? nonNegative(userSessions) : mostAvailable(userSessions);
        if (targets.isEmpty()) {
            offline(message);
            return;
        }
        if (run(Phase.DELIVER, message) == Verdict.CONTINUE) {
            targets.forEach(s -> s.send(message));
        }
    }

    private void deliverPresenceToBare(Presence presence, LocalSession[] userSessions) throws StanzaErrorException {
        if (presence.getType() == Presence.Type.probe) {
            return; // RFC 6121 §4.3: answered by the server (the presence plugin at PRE_ROUTE)
        }
        List<LocalSession> targets = available(userSessions);
        if (targets.isEmpty()) {
            offline(presence);
            return;
        }
        if (run(Phase.DELIVER, presence) == Verdict.CONTINUE) {
            targets.forEach(s -> s.send(presence));
        }
    }

    /** RFC 6121 §8.5.3: a local user's full JID. */
    private void toFullJid(Packet stanza, JID to) throws StanzaErrorException {
        LocalSession session = sessions.find(to);
        if (session != null) {
            if (run(Phase.DELIVER, stanza) == Verdict.CONTINUE) {
                session.send(stanza);
            }
            return;
        }
        if (sessions.sessionsOf(to.getNode()).length == 0 && !accountExists.test(to.getNode())) {
            noSuchUser(stanza);
            return;
        }
        if (stanza instanceof Message message) {
            switch (message.getType()) {
                // RFC 6121 §8.5.3.2.1: chat (and here normal) is treated as addressed to the bare JID.
                case chat, normal -> toBareJid(stanza, to.asBareJID());
                case groupchat -> throw new StanzaErrorException(PacketError.Condition.service_unavailable);
                default -> { } // headline, error: silently ignore
            }
        } else if (stanza instanceof Presence presence) {
            if (isSubscription(presence)) {
                toBareJid(stanza, to.asBareJID()); // RFC 6121 §3: subscriptions are between bare JIDs
            }
            // RFC 6121 §8.5.3.2.2: other presence to an unknown resource is silently ignored.
        } else if (stanza instanceof IQ iq && !isResponse(iq)) {
            throw new StanzaErrorException(PacketError.Condition.service_unavailable); // RFC 6121 §8.5.3.2.3
        }
    }

    /** RFC 6121 §8.5.1: answers that do not reveal whether the account exists. */
    private void noSuchUser(Packet stanza) throws StanzaErrorException {
        if (stanza instanceof IQ iq && !isResponse(iq)) {
            throw new StanzaErrorException(PacketError.Condition.service_unavailable);
        }
        if (stanza instanceof Message message && isErrorless(message) && message.getType() != Message.Type.headline) {
            throw new StanzaErrorException(PacketError.Condition.service_unavailable);
        }
    }

    /** No session can take the stanza: the OFFLINE phase, then RFC 6121 §8.5.2.2's default. */
    private void offline(Packet stanza) throws StanzaErrorException {
        if (run(Phase.OFFLINE, stanza) != Verdict.CONTINUE) {
            return;
        }
        if (stanza instanceof Message message
                && (message.getType() == Message.Type.chat || message.getType() == Message.Type.normal)) {
            throw new StanzaErrorException(PacketError.Condition.service_unavailable);
        }
    }

    private void handleIq(IQ iq, boolean ownAccount) throws StanzaErrorException {
        if (isResponse(iq)) {
            return;
        }
        String ns = childNs(iq);
        String name = childName(iq);
        IqHandler handler = ownAccount ? iqRoutes.find(iq.getType(), IqTarget.ACCOUNT, ns, name) : null;
        if (handler == null) {
            handler = iqRoutes.find(iq.getType(), IqTarget.USER, ns, name);
        }
        dispatchIq(iq, handler);
    }

    private void dispatchIq(IQ iq, IqHandler handler) throws StanzaErrorException {
        if (handler == null) {
            throw new StanzaErrorException(PacketError.Condition.service_unavailable);
        }
        IQ reply = handler.handle(iq);
        if (reply != null) {
            route(reply);
        }
    }

    private Verdict run(Phase phase, Packet stanza) throws StanzaErrorException {
        if (stanza instanceof Message m) {
            return messages.run(phase, m);
        } else if (stanza instanceof Presence p) {
            return presences.run(phase, p);
        } else if (stanza instanceof IQ iq) {
            // Every IQ passes PRE_ROUTE, requests the server answers itself included: rules on the
            // sender (blocking, XEP-0191 §3.3; an account awaiting a guardian's consent) apply to
            // all of them. Later phases see only IQs travelling between users' resources.
            JID to = iq.getTo();
            boolean betweenEntities = phase == Phase.PRE_ROUTE || isResponse(iq) || (to != null && to.getResource() != null);
            return betweenEntities ? iqs.run(phase, iq) : Verdict.CONTINUE;
        }
        return Verdict.CONTINUE;
    }

    /**
     * Sends an error reply to a stanza's sender. RFC 6120 §8.3.1: "An entity that receives an error
     * stanza MUST NOT respond to the stanza with a further error stanza", so errors are dropped.
     * The reply is the server's, not a client's: it skips {@link Phase#PRE_ROUTE}.
     */
    public void bounce(Packet stanza, StanzaErrorException error) {
        if (isError(stanza) || stanza.getFrom() == null) {
            return;
        }
        Packet reply = stanza.createCopy();
        reply.setTo(stanza.getFrom());
        reply.setFrom(stanza.getTo() == null ? stanza.getFrom().asBareJID() : stanza.getTo());
        reply.setError(error.toPacketError());
        if (reply instanceof IQ iq) {
            iq.setType(IQ.Type.error);
        }
        route(reply, false);
    }

    private static boolean isError(Packet stanza) {
        // Read the attribute itself: the stanza may carry a type its class cannot parse.
        return "error".equals(stanza.getElement().attributeValue("type"));
    }

    private static boolean isErrorless(Message message) {
        return message.getType() != Message.Type.error;
    }

    private static boolean isResponse(IQ iq) {
        return iq.getType() == IQ.Type.result || iq.getType() == IQ.Type.error;
    }

    private static boolean isSubscription(Presence presence) {
        Presence.Type t = presence.getType();
        return t == Presence.Type.subscribe || t == Presence.Type.subscribed
                || t == Presence.Type.unsubscribe || t == Presence.Type.unsubscribed;
    }

    private static String childNs(IQ iq) {
        Element child = iq.getChildElement();
        return child == null ? "" : child.getNamespaceURI();
    }

    private static String childName(IQ iq) {
        Element child = iq.getChildElement();
        return child == null ? "" : child.getName();
    }

    private static List<LocalSession> available(LocalSession[] sessions) {
        List<LocalSession> result = new ArrayList<>(sessions.length);
        for (LocalSession s : sessions) {
            if (s.isAvailable()) {
                result.add(s);
            }
        }
        return result;
    }

    private static List<LocalSession> nonNegative(LocalSession[] sessions) {
        List<LocalSession> result = new ArrayList<>(sessions.length);
        for (LocalSession s : sessions) {
            if (s.isAvailable() && s.priority() >= 0) {
                result.add(s);
            }
        }
        return result;
    }

    /**
     * RFC 6121 §8.5.2.1.1: chat and normal messages go to the "most available" resources, here those
     * of highest non-negative priority (all of them when several share it).
     */
    private static List<LocalSession> mostAvailable(LocalSession[] sessions) {
        int best = -1;
        List<LocalSession> result = new ArrayList<>(2);
        for (LocalSession s : sessions) {
            if (!s.isAvailable() || s.priority() < 0) {
                continue;
            }
            if (s.priority() > best) {
                best = s.priority();
                result.clear();
            }
            if (s.priority() == best) {
                result.add(s);
            }
        }
        return result;
    }
}
