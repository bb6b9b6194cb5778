package im.tongyou.server.feature.roster;

import im.tongyou.api.ClientSession;
import im.tongyou.api.PluginContext;
import org.xmpp.packet.JID;
import org.xmpp.packet.Presence;

/** Sends the presence of a user's available resources to one entity (RFC 6121 §3.1.5, §3.2.2, §3.3.3). */
final class ResourcePresence {

    private ResourcePresence() {
    }

    /** The last broadcast presence of each available resource, from its full JID. */
    static void sendAvailable(PluginContext ctx, String username, JID to) {
        for (ClientSession session : ctx.sessions().of(username)) {
            Presence last = session.presence();
            if (session.isAvailable() && last != null) {
                Presence copy = last.createCopy();
                copy.setFrom(session.jid());
                copy.setTo(to);
                ctx.router().route(copy);
            }
        }
    }

    /** Unavailable presence from each available resource. */
    static void sendUnavailable(PluginContext ctx, String username, JID to) {
        for (ClientSession session : ctx.sessions().of(username)) {
            if (session.isAvailable()) {
                Presence unavailable = new Presence(Presence.Type.unavailable);
                unavailable.setFrom(session.jid());
                unavailable.setTo(to);
                ctx.router().route(unavailable);
            }
        }
    }
}
