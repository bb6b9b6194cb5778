package im.tongyou.server.feature.presence;

import im.tongyou.api.ClientSession;
import im.tongyou.api.PluginContext;
import im.tongyou.api.SessionKey;
import im.tongyou.api.Verdict;
import im.tongyou.api.roster.Roster;
import im.tongyou.api.roster.RosterItem;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.xmpp.packet.JID;
import org.xmpp.packet.Presence;

/**
 * Broadcast and directed presence (RFC 6121 §4.2, §4.4, §4.5, §4.6) at PRE_ROUTE. Every copy it
 * sends travels through the router, so blocking and the delivery rules apply to each recipient.
 *
 * <p>The broadcasts of one user, and the unavailable presence of a session that ended, happen under
 * that user's lock: a session replaced by a new one with the same full JID (RFC 6120 §7.7.2.2) ends
 * without marking the new one offline, whichever of the two gets there first.
 */
final class PresenceBroadcaster {

    /** Set while the session's available presence has been broadcast and not yet withdrawn. */
    private static final SessionKey<Boolean> ANNOUNCED = SessionKey.of("presence.announced");
    /** The copy this plugin is routing, which its own interceptor lets pass. */
    private static final ThreadLocal<Presence> RELAYING = new ThreadLocal<>();

    private final PluginContext ctx;
    private final Roster roster;
    private final PresenceProbes probes;
    private final ReentrantLock[] locks = new ReentrantLock[256];

    PresenceBroadcaster(PluginContext ctx, Roster roster) {
        this.ctx = ctx;
        this.roster = roster;
        this.probes = new PresenceProbes(ctx, roster, this::relay);
        for (int i = 0; i < locks.length; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    Verdict intercept(Presence presence) {
        JID from = presence.getFrom();
        if (presence == RELAYING.get() || from == null || !isLocalUser(from)) {
            return Verdict.CONTINUE;
        }
        Presence.Type type = presence.getType();
        if (type == Presence.Type.probe) {
            return probes.answer(presence);
        }
        if (type != null && type != Presence.Type.unavailable) {
            return Verdict.CONTINUE; // subscriptions (the roster's business) and errors
        }
        ClientSession session = from.getResource() == null ? null : ctx.sessions().get(from).orElse(null);
        if (session == null) {
            return Verdict.CONTINUE; // presence the server sends on a user's behalf
        }
        if (presence.getTo() == null) {
            broadcast(session, presence);
            return Verdict.HANDLED;
        }
        directed(session, presence);
        return Verdict.CONTINUE;
    }

    /** §4.2.2, §4.4.2, §4.5.2: presence with no 'to' goes to subscribers and the user's own resources. */
    private void broadcast(ClientSession session, Presence presence) {
        String username = session.username();
        boolean available = presence.isAvailable();
        ReentrantLock lock = lockOf(username);
        lock.lock();
        try {
            boolean announced = session.get(ANNOUNCED) != null;
            session.set(ANNOUNCED, available ? Boolean.TRUE : null);
            if (!available && !announced) {
                directedUnavailable(session, presence, null); // never available: nothing to withdraw
                return;
            }
            List<RosterItem> items = roster.items(username);
            toSubscribersAndResources(username, items, presence);
            if (!available) {
                directedUnavailable(session, presence, null);
            } else if (!announced) {
                initial(session, items);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * §4.2.2: after initial presence, the server probes the contacts the user is subscribed to and
     * tells the new resource about the user's other available resources.
     */
    private void initial(ClientSession session, List<RosterItem> items) {
        for (RosterItem item : items) {
            if (item.subscription().userSeesContact() && isLocalUser(item.jid())) {
                Presence probe = new Presence(Presence.Type.probe);
                probe.setFrom(session.jid());
                probe.setTo(item.jid());
                ctx.router().route(probe); // not relayed: the probe is answered by this plugin's interceptor
            }
        }
        for (ClientSession other : ctx.sessions().of(session.username())) {
            if (other != session && other.isAvailable() && other.presence() != null) {
                Presence copy = other.presence().createCopy();
                copy.setFrom(other.jid());
                copy.setTo(session.jid());
                relay(copy);
            }
        }
    }

    /**
     * §4.6.2: the server remembers the entities that received directed available presence and are
     * not subscribed (subscribers get the broadcast anyway), so that they get the session's
     * unavailable presence later (§4.6.3); directed unavailable presence forgets them.
     */
    private void directed(ClientSession session, Presence presence) {
        JID to = presence.getTo();
        if (!ctx.domain().equals(to.getDomain()) || session.username().equals(to.getNode())) {
            return; // remote (no federation yet) or the user's own account: nothing to remember
        }
        if (!presence.isAvailable()) {
            DirectedPresence.remove(session, to);
        } else if (to.getNode() == null || !roster.item(session.username(), to)
                .map(i -> i.subscription().contactSeesUser()).orElse(false)) {
            DirectedPresence.add(session, to);
        }
    }

    /**
     * §4.5.2: a session that ended without unavailable presence (a closed stream, a dropped
     * connection) is handled as if the client had sent it. Not when a new session with the same
     * full JID replaced it and is available: contacts already see that one.
     */
    void closed(ClientSession session, boolean wasAvailable) {
        ReentrantLock lock = lockOf(session.username());
        lock.lock();
        try {
            ClientSession replacement = ctx.sessions().get(session.jid()).filter(s -> s != session).orElse(null);
            Presence unavailable = new Presence(Presence.Type.unavailable);
            unavailable.setFrom(session.jid());
            boolean replacedWhileAvailable = replacement != null && replacement.isAvailable();
            if (wasAvailable && !replacedWhileAvailable) {
                toSubscribersAndResources(session.username(), roster.items(session.username()), unavailable);
            }
            directedUnavailable(session, unavailable, replacedWhileAvailable ? replacement : null);
        } finally {
            lock.unlock();
        }
    }

    private void toSubscribersAndResources(String username, List<RosterItem> items, Presence presence) {
        for (RosterItem item : items) {
            if (item.subscription().contactSeesUser() && isLocalUser(item.jid())) {
                relayTo(presence, item.jid());
            }
        }
        // §4.2.2, §4.4.2: also to the user's other available resources. The RFC includes "the resource
        // that generated the presence notification in the first place"; like Prosody we do not echo
        // it back to the sender, which knows what it sent (COMPAT: ejabberd does echo).
        for (ClientSession own : ctx.sessions().of(username)) {
            if (own.isAvailable() && !own.jid().equals(presence.getFrom())) {
                relayTo(presence, own.jid());
            }
        }
    }

    /** Unavailable presence to the session's directed-presence recipients, except those a replacement also told. */
    private void directedUnavailable(ClientSession session, Presence presence, ClientSession replacement) {
        for (JID to : DirectedPresence.take(session)) {
            if (replacement == null || !DirectedPresence.contains(replacement, to)) {
                Presence unavailable = new Presence(Presence.Type.unavailable);
                unavailable.setFrom(session.jid());
                unavailable.setStatus(presence.getStatus());
                unavailable.setTo(to);
                relay(unavailable);
            }
        }
    }

    private void relayTo(Presence presence, JID to) {
        Presence copy = presence.createCopy();
        copy.setTo(to);
        relay(copy);
    }

    /** Routes a copy this plugin made; its own interceptor lets it through. */
    void relay(Presence copy) {
        Presence previous = RELAYING.get();
        RELAYING.set(copy);
        try {
            ctx.router().route(copy);
        } finally {
            RELAYING.set(previous);
        }
    }

    private boolean isLocalUser(JID jid) {
        return jid.getNode() != null && ctx.domain().equals(jid.getDomain());
    }

    private ReentrantLock lockOf(String username) {
        return locks[Math.floorMod(username.hashCode(), locks.length)];
    }
}
