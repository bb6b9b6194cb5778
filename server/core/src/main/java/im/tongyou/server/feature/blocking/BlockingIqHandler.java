package im.tongyou.server.feature.blocking;

import im.tongyou.api.ClientSession;
import im.tongyou.api.PluginContext;
import im.tongyou.api.SessionKey;
import im.tongyou.api.StanzaErrorException;
import im.tongyou.api.roster.Roster;
import im.tongyou.api.roster.RosterItem;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.dom4j.Element;
import org.xmpp.packet.IQ;
import org.xmpp.packet.JID;
import org.xmpp.packet.PacketError;
import org.xmpp.packet.Presence;

/** Blocklist retrieval, block, unblock and unblock-all (XEP-0191 §3), with pushes and presence. */
final class BlockingIqHandler {

    static final String NS = "urn:xmpp:blocking";
    static final int MAX_JID_CHARS = 512;
    /** Set on the sessions that asked for the blocklist: they get the pushes (XEP-0191 §3.3). */
    private static final SessionKey<Boolean> INTERESTED = SessionKey.of("blocking.interested");

    private final PluginContext ctx;
    private final BlockingStore store;
    private final BlockList list;
    private final Roster roster;
    private final int maxItems;
    private final AtomicLong ids = new AtomicLong();

    BlockingIqHandler(PluginContext ctx, BlockingStore store, BlockList list, Roster roster, int maxItems) {
        this.ctx = ctx;
        this.store = store;
        this.list = list;
        this.roster = roster;
        this.maxItems = maxItems;
    }

    /** §3.2: the blocklist; the requesting resource gets the pushes from now on. */
    IQ blocklist(IQ request) {
        ctx.sessions().get(request.getFrom()).ifPresent(s -> s.set(INTERESTED, Boolean.TRUE));
        IQ result = IQ.createResultIQ(request);
        Element blocklist = result.setChildElement("blocklist", NS);
        for (String jid : store.list(request.getFrom().getNode())) {
            blocklist.addElement("item").addAttribute("jid", jid);
        }
        return result;
    }

    /**
     * §3.3: blocks the JIDs. "When the user blocks communications with a JID, the user's server
     * MUST send unavailable presence information to the JID (but only if the JID is allowed to
     * receive presence notifications from the user...)": sent before the block takes effect, since
     * the block then stops everything from the user to the JID.
     */
    IQ block(IQ request) throws StanzaErrorException {
        String username = request.getFrom().getNode();
        List<String> jids = items(request, true);
        if (store.count(username) + jids.size() > maxItems) {
            throw StanzaErrorException.notAllowed("the blocklist is full (" + maxItems + " entries)");
        }
        List<String> fresh = new ArrayList<>(jids);
        fresh.removeAll(list.blocked(username));
        for (RosterItem contact : contactsMatching(username, fresh, true)) {
            forEachAvailable(username, session -> {
                Presence unavailable = new Presence(Presence.Type.unavailable);
                unavailable.setFrom(session.jid());
                unavailable.setTo(contact.jid());
                return unavailable;
            });
        }
        store.add(username, jids, ctx.clock().instant());
        list.invalidate(username);
        push(username, "block", jids);
        return IQ.createResultIQ(request);
    }

    /**
     * §3.4 and §3.5: unblocks some or all JIDs. "The user's server MUST send the user's current
     * presence information to the JID (but only if the JID is allowed to receive presence
     * notifications from the user)"; the server also probes the unblocked contacts the user is
     * subscribed to, so that the user's resources see their presence again.
     */
    IQ unblock(IQ request) throws StanzaErrorException {
        String username = request.getFrom().getNode();
        List<String> jids = items(request, false);
        List<String> removed = jids.isEmpty() ? store.removeAll(username) : store.remove(username, jids);
        list.invalidate(username);
        push(username, "unblock", jids);
        for (RosterItem contact : contactsMatching(username, removed, true)) {
            forEachAvailable(username, session -> {
                Presence current = session.presence().createCopy();
                current.setFrom(session.jid());
                current.setTo(contact.jid());
                return current;
            });
        }
        for (RosterItem contact : contactsMatching(username, removed, false)) {
            forEachAvailable(username, session -> {
                Presence probe = new Presence(Presence.Type.probe);
                probe.setFrom(session.jid());
                probe.setTo(contact.jid());
                return probe;
            });
        }
        return IQ.createResultIQ(request);
    }

    /** The prepared JIDs of the items; §3.3: a block "MUST" have at least one item, else bad-request. */
    private List<String> items(IQ request, boolean required) throws StanzaErrorException {
        Set<String> jids = new LinkedHashSet<>();
        for (Element item : request.getChildElement().elements("item")) {
            String value = item.attributeValue("jid");
            JID jid;
            try {
                jid = value == null ? null : new JID(value);
            } catch (IllegalArgumentException e) {
                jid = null;
            }
            if (jid == null) {
                throw new StanzaErrorException(PacketError.Condition.jid_malformed, "'" + value + "' is not a valid JID");
            }
            if (jid.toString().length() > MAX_JID_CHARS) {
                throw StanzaErrorException.notAcceptable("the JID is longer than " + MAX_JID_CHARS + " characters");
            }
            if (required && jid.getResource() == null && jid.toBareJID().equals(request.getFrom().toBareJID())) {
                throw StanzaErrorException.notAcceptable("you cannot block your own account");
            }
            jids.add(jid.toString());
        }
        if (required && jids.isEmpty()) {
            throw StanzaErrorException.badRequest("a block command names at least one JID (XEP-0191 §3.3)");
        }
        return new ArrayList<>(jids);
    }

    /** The roster contacts matching the patterns that see the user (from/both) or that the user sees (to/both). */
    private List<RosterItem> contactsMatching(String username, List<String> patterns, boolean seeingUser) {
        if (patterns.isEmpty()) {
            return List.of();
        }
        return roster.items(username).stream()
                .filter(i -> seeingUser ? i.subscription().contactSeesUser() : i.subscription().userSeesContact())
                .filter(i -> BlockList.matchesAny(patterns, i.jid()))
                .toList();
    }

    private void forEachAvailable(String username, java.util.function.Function<ClientSession, Presence> make) {
        for (ClientSession session : ctx.sessions().of(username)) {
            if (session.isAvailable() && session.presence() != null) {
                ctx.router().route(make.apply(session));
            }
        }
    }

    /** §3.3 to §3.5: the change goes to every resource of the user that asked for the blocklist. */
    private void push(String username, String element, List<String> jids) {
        for (ClientSession session : ctx.sessions().of(username)) {
            if (session.get(INTERESTED) == null) {
                continue;
            }
            IQ push = new IQ(IQ.Type.set, "block-push-" + ids.incrementAndGet());
            push.setTo(session.jid());
            push.setFrom(new JID(session.jid().toBareJID()));
            Element e = push.setChildElement(element, NS);
            jids.forEach(jid -> e.addElement("item").addAttribute("jid", jid));
            session.send(push);
        }
    }
}
