package im.tongyou.server.feature.presence;

import im.tongyou.api.ClientSession;
import im.tongyou.api.PluginContext;
import im.tongyou.api.Verdict;
import im.tongyou.api.roster.Roster;
import java.util.function.Consumer;
import org.xmpp.packet.JID;
import org.xmpp.packet.Presence;

/** Presence probes answered by the server on behalf of a local contact (RFC 6121 §4.3.2). */
final class PresenceProbes {

    private final PluginContext ctx;
    private final Roster roster;
    private final Consumer<Presence> relay;

    PresenceProbes(PluginContext ctx, Roster roster, Consumer<Presence> relay) {
        this.ctx = ctx;
        this.roster = roster;
        this.relay = relay;
    }

    /**
     * §4.3.2: "If the contact account does not exist or the user's bare JID is in the contact's
     * roster with a subscription state other than From, From + Pending Out, or Both", the answer is
     * "unsubscribed" (which repairs the prober's roster); for a contact with no available resource,
     * unavailable presence; otherwise the last presence of each available resource. Nothing leaks
     * to an entity that is not subscribed.
     */
    Verdict answer(Presence probe) {
        JID to = probe.getTo();
        JID prober = probe.getFrom();
        if (to == null) {
            return Verdict.DROP;
        }
        if (to.getNode() == null || !ctx.domain().equals(to.getDomain())) {
            return Verdict.CONTINUE; // to the server or a remote domain: the router's business
        }
        String contact = to.getNode();
        JID contactBare = new JID(to.toBareJID());
        if (!roster.isContact(contact, prober)
                || (ctx.sessions().of(contact).isEmpty() && !ctx.accounts().exists(contact))) {
            Presence unsubscribed = new Presence(Presence.Type.unsubscribed);
            unsubscribed.setFrom(contactBare);
            unsubscribed.setTo(new JID(prober.toBareJID()));
            ctx.router().route(unsubscribed);
            return Verdict.HANDLED;
        }
        int sent = 0;
        for (ClientSession session : ctx.sessions().of(contact)) {
            Presence last = session.presence();
            if (session.isAvailable() && last != null) {
                Presence copy = last.createCopy();
                copy.setFrom(session.jid());
                copy.setTo(prober);
                relay.accept(copy);
                sent++;
            }
        }
        if (sent == 0) {
            Presence unavailable = new Presence(Presence.Type.unavailable);
            unavailable.setFrom(contactBare);
            unavailable.setTo(prober);
            relay.accept(unavailable);
        }
        return Verdict.HANDLED;
    }
}
