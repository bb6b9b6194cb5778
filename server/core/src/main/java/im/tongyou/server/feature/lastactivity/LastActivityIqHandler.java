package im.tongyou.server.feature.lastactivity;

import im.tongyou.api.PluginContext;
import im.tongyou.api.StanzaErrorException;
import im.tongyou.api.Verdict;
import im.tongyou.api.privacy.Crypto;
import im.tongyou.api.roster.Roster;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.dom4j.Element;
import org.xmpp.packet.IQ;
import org.xmpp.packet.JID;

/**
 * Last activity queries (XEP-0012): the server's uptime (§5), and a user's time since the last
 * logout (§4), told only to those who may see the user's presence. XEP-0012 §4: "If the requesting
 * entity is not authorized to view the user's presence information (normally via a presence
 * subscription ...), the user's server MUST NOT return last activity information but instead MUST
 * return a &lt;forbidden/&gt; error"; §8 calls anything else a "presence leak".
 */
final class LastActivityIqHandler {

    static final String NS = "jabber:iq:last";

    private final PluginContext ctx;
    private final LastActivityStore store;
    private final Roster roster;
    private final Instant started;

    LastActivityIqHandler(PluginContext ctx, LastActivityStore store, Roster roster, Instant started) {
        this.ctx = ctx;
        this.store = store;
        this.roster = roster;
        this.started = started;
    }

    /** §5: "how long the host has been running since it was last (re-)started". */
    IQ uptime(IQ request) {
        return reply(request, Duration.between(started, ctx.clock().instant()).toSeconds(), null);
    }

    /** §4: a user's bare JID (or no 'to': the requester's own account). */
    IQ user(IQ request) throws StanzaErrorException {
        JID to = request.getTo();
        String username = to == null ? request.getFrom().getNode() : to.getNode();
        if (!roster.isContact(username, request.getFrom())) {
            throw StanzaErrorException.forbidden("only contacts subscribed to the user's presence may ask");
        }
        if (!ctx.sessions().of(username).isEmpty()) {
            // §4: "If the user has at least one connected or available resource ... a value of '0'".
            return reply(request, 0, null);
        }
        LastActivityStore.Logout logout = store.find(username)
                .orElseThrow(() -> StanzaErrorException.itemNotFound("no logout of this user is known"));
        long seconds = Math.max(0, Duration.between(logout.at(), ctx.clock().instant()).toSeconds());
        return reply(request, seconds, status(username, logout.status()));
    }

    /**
     * §4: a query for a full JID from an entity that may not see the user's presence: "the user's
     * server MUST NOT deliver the IQ-get to an available resource but instead MUST return a
     * &lt;forbidden/&gt; error".
     */
    Verdict fullJid(IQ iq) throws StanzaErrorException {
        JID to = iq.getTo();
        JID from = iq.getFrom();
        Element child = iq.getChildElement();
        if (iq.getType() != IQ.Type.get || child == null || !NS.equals(child.getNamespaceURI()) || to == null
                || from == null || to.getNode() == null || to.getResource() == null
                || !ctx.domain().equals(to.getDomain())) {
            return Verdict.CONTINUE;
        }
        if (!roster.isContact(to.getNode(), from)) {
            throw StanzaErrorException.forbidden("only contacts subscribed to the user's presence may ask");
        }
        return Verdict.CONTINUE;
    }

    private String status(String username, byte[] encrypted) {
        if (encrypted == null) {
            return null;
        }
        try {
            return new String(ctx.crypto().decrypt(username, encrypted), StandardCharsets.UTF_8);
        } catch (Crypto.KeyDestroyedException e) {
            return null;
        }
    }

    private static IQ reply(IQ request, long seconds, String status) {
        IQ result = IQ.createResultIQ(request);
        Element query = result.setChildElement("query", NS);
        query.addAttribute("seconds", Long.toString(seconds));
        if (status != null && !status.isEmpty()) {
            query.setText(status);
        }
        return result;
    }
}
