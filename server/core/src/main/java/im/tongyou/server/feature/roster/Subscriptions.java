package im.tongyou.server.feature.roster;

import im.tongyou.api.ClientSession;
import im.tongyou.api.Phase;
import im.tongyou.api.PluginContext;
import im.tongyou.api.StanzaErrorException;
import im.tongyou.api.Verdict;
import im.tongyou.api.privacy.Crypto;
import im.tongyou.server.feature.roster.SubscriptionStateMachine.Kind;
import java.nio.charset.StandardCharsets;
import org.dom4j.DocumentException;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmpp.packet.JID;
import org.xmpp.packet.Presence;

/**
 * Presence subscriptions (RFC 6121 §3): a subscription stanza a local client sends is processed on
 * the sender's roster at {@link Phase#PRE_ROUTE} (Appendix A.2), stamped with bare JIDs and routed;
 * one addressed to a local user's bare JID is processed on the recipient's roster at
 * {@link Phase#DELIVER} or {@link Phase#OFFLINE} (Appendix A.3), where a new request is kept until
 * answered and redelivered at each initial presence.
 *
 * <p>Convention: a subscription stanza whose 'from' is a bare JID was made by the server on a
 * user's behalf (an auto-reply, a roster removal, an account removal) and was already processed on
 * the sender's side; one addressed to a full JID is the redelivery of a stored request.
 */
final class Subscriptions {

    private static final Logger log = LoggerFactory.getLogger(Subscriptions.class);
    /** The largest stored request, in bytes of XML; beyond it only a short status is kept. */
    private static final int MAX_REQUEST_BYTES = 4096;

    private final PluginContext ctx;
    private final RosterService roster;
    private final RosterStore store;

    Subscriptions(PluginContext ctx, RosterService roster, RosterStore store) {
        this.ctx = ctx;
        this.roster = roster;
        this.store = store;
    }

    /** {@link Phase#PRE_ROUTE}: a subscription stanza from a local client (RFC 6121 §3.1.2, §3.2.2, §3.3.2). */
    Verdict outbound(Presence presence) throws StanzaErrorException {
        Kind kind = Kind.of(presence);
        JID from = presence.getFrom();
        if (kind == null || from == null || from.getResource() == null || !isLocalUser(from)) {
            return Verdict.CONTINUE; // not a subscription stanza, or already processed for its sender
        }
        JID to = presence.getTo();
        if (to == null) {
            throw StanzaErrorException.badRequest("a subscription stanza is addressed to the contact's bare JID");
        }
        JID contact = new JID(to.toBareJID());
        if (contact.toBareJID().equals(from.toBareJID())) {
            // RFC 6120 §8.3.3.10 not-allowed ("does not allow any entity to perform the action"): an
            // entity "is implicitly subscribed to its own presence" (RFC 6121 §4.2.2). Prosody drops
            // such stanzas silently; an error tells the client why nothing happened.
            throw StanzaErrorException.notAllowed("you are always subscribed to your own presence");
        }
        if (!isLocalUser(contact)) {
            return Verdict.CONTINUE; // COMPAT: no federation yet; the router answers remote-server-not-found
        }
        // §3.1.2: "the user's server MUST stamp the outbound subscription request with the bare JID
        // <user@domainpart> of the user"; the 'to' is the contact's bare JID likewise.
        JID user = new JID(from.toBareJID());
        Presence stamped = presence.createCopy();
        stamped.setFrom(user);
        stamped.setTo(contact);
        RosterService.Transition t = roster.outbound(from.getNode(), contact, kind);
        if (t.forward()) {
            if (ctx.sessions().of(contact.getNode()).isEmpty() && !ctx.accounts().exists(contact.getNode())) {
                if (kind == Kind.SUBSCRIBE) {
                    // §3.1.3: for a contact that does not exist the server answers "unsubscribed".
                    ctx.router().route(subscription(Kind.UNSUBSCRIBED, contact, user));
                }
            } else {
                ctx.router().route(stamped);
            }
        }
        presenceAfter(from.getNode(), contact, t);
        return Verdict.HANDLED;
    }

    /** {@link Phase#DELIVER} or {@link Phase#OFFLINE}: a subscription stanza to a local user (Appendix A.3). */
    Verdict inbound(Presence presence, Phase phase) {
        Kind kind = Kind.of(presence);
        JID to = presence.getTo();
        JID from = presence.getFrom();
        if (kind == null || to == null || to.getResource() != null || from == null) {
            return Verdict.CONTINUE; // not a subscription stanza, or a stored request being redelivered
        }
        JID contact = new JID(from.toBareJID());
        String username = to.getNode();
        if (contact.toBareJID().equals(to.toBareJID())) {
            return Verdict.DROP;
        }
        RosterService.Transition t = roster.inbound(username, contact, kind, () -> request(username, presence));
        if (t.autoApprove()) {
            // A.3.1 rows "no *" and §3.4: the server answers "subscribed" on the user's behalf.
            ctx.router().route(subscription(Kind.SUBSCRIBED, new JID(to.toBareJID()), contact));
        }
        presenceAfter(username, contact, t);
        return t.forward() && phase == Phase.DELIVER ? Verdict.CONTINUE : Verdict.HANDLED;
    }

    /**
     * After the user's initial presence: the requests still awaiting an answer, kept since they
     * arrived and delivered when the contact next becomes available (RFC 6121 §3.1.3), to the new
     * resource only; every new resource gets them until they are answered.
     */
    void initialPresence(ClientSession session) {
        String username = session.username();
        for (RosterStore.Pending pending : store.pending(username)) {
            Presence request = restore(username, pending);
            request.setFrom(pending.contact());
            request.setTo(session.jid());
            ctx.router().route(request);
        }
    }

    /**
     * RFC 6121 §2.5.2: removing a contact cancels the subscriptions both ways: "unsubscribe" when the
     * user was subscribed or asking, "unsubscribed" when the contact was subscribed or asking.
     */
    void cancel(String username, JID contact, SubscriptionState before) {
        JID user = new JID(username, ctx.domain(), null);
        if (before.to() || before.pendingOut()) {
            ctx.router().route(subscription(Kind.UNSUBSCRIBE, user, contact));
        }
        if (before.from() || before.pendingIn()) {
            ctx.router().route(subscription(Kind.UNSUBSCRIBED, user, contact));
        }
        presenceAfter(username, contact, new RosterService.Transition(before, SubscriptionState.NONE, true, false));
    }

    /**
     * When the contact gains a subscription to the user's presence, it gets the presence of the
     * user's available resources (§3.1.5); when it loses it, their unavailable presence (§3.2.2, §3.3.3).
     */
    private void presenceAfter(String username, JID contact, RosterService.Transition t) {
        if (!t.before().from() && t.after().from()) {
            ResourcePresence.sendAvailable(ctx, username, contact);
        } else if (t.before().from() && !t.after().from()) {
            ResourcePresence.sendUnavailable(ctx, username, contact);
        }
    }

    private boolean isLocalUser(JID jid) {
        return jid.getNode() != null && ctx.domain().equals(jid.getDomain());
    }

    static Presence subscription(Kind kind, JID from, JID to) {
        Presence p = new Presence(kind.presenceType());
        p.setFrom(from);
        p.setTo(to);
        return p;
    }

    /** The content of a request worth keeping (status, nick), encrypted under the user's data key. */
    private byte[] request(String username, Presence presence) {
        Element copy = presence.getElement().createCopy();
        copy.addAttribute("from", null);
        copy.addAttribute("to", null);
        copy.addAttribute("id", null);
        byte[] xml = copy.asXML().getBytes(StandardCharsets.UTF_8);
        if (xml.length > MAX_REQUEST_BYTES) {
            Presence small = new Presence(Presence.Type.subscribe);
            String status = presence.getStatus();
            if (status != null) {
                small.setStatus(status.length() > 256 ? status.substring(0, 256) : status);
            }
            xml = small.getElement().asXML().getBytes(StandardCharsets.UTF_8);
        }
        return ctx.crypto().encrypt(username, xml);
    }

    private Presence restore(String username, RosterStore.Pending pending) {
        if (pending.stanza() != null) {
            try {
                byte[] xml = ctx.crypto().decrypt(username, pending.stanza());
                Element element = DocumentHelper.parseText(new String(xml, StandardCharsets.UTF_8)).getRootElement();
                return new Presence(element, true);
            } catch (Crypto.KeyDestroyedException | DocumentException | RuntimeException e) {
                log.debug("a stored subscription request of {} cannot be read; a bare one is sent", username, e);
            }
        }
        return new Presence(Presence.Type.subscribe);
    }
}
