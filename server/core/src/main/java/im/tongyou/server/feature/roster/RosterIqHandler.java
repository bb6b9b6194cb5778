package im.tongyou.server.feature.roster;

import im.tongyou.api.ClientSession;
import im.tongyou.api.PluginContext;
import im.tongyou.api.StanzaErrorException;
import im.tongyou.api.roster.RosterItem;
import java.util.List;
import java.util.Optional;
import org.dom4j.Element;
import org.xmpp.packet.IQ;

/**
 * Roster get and set (RFC 6121 §2.2 to §2.5) with roster versioning (§2.6). A request addressed to
 * another user's roster reaches no route and gets service-unavailable, the answer an account that
 * does not exist gets too (RFC 6121 §8.5.1), so it reveals nothing.
 */
final class RosterIqHandler {

    private final PluginContext ctx;
    private final RosterService roster;
    private final RosterStore store;
    private final RosterPushes pushes;
    private final Subscriptions subscriptions;

    RosterIqHandler(PluginContext ctx, RosterService roster, RosterStore store, RosterPushes pushes,
                    Subscriptions subscriptions) {
        this.ctx = ctx;
        this.roster = roster;
        this.store = store;
        this.pushes = pushes;
        this.subscriptions = subscriptions;
    }

    /**
     * RFC 6121 §2.2: the roster, and the requesting resource becomes interested. With 'ver' (§2.6.3):
     * when the client's version is current, an empty IQ-result; when it is older and the changes
     * since are known, an empty result followed by a roster push for each change (the interim
     * pushes of §2.6.3); otherwise the whole roster with the current version.
     */
    IQ get(IQ request) {
        String username = request.getFrom().getNode();
        String ver = request.getChildElement().attributeValue("ver");
        ClientSession session = ctx.sessions().get(request.getFrom()).orElse(null);
        return roster.locked(username, () -> {
            if (session != null) {
                RosterPushes.interested(session, ver != null);
            }
            long current = store.version(username);
            Long since = parseVersion(ver);
            if (since != null && since == current) {
                return IQ.createResultIQ(request);
            }
            if (since != null && session != null) {
                Optional<List<RosterStore.Change>> changes = store.changesSince(username, since);
                if (changes.isPresent() && changes.get().size() <= Math.max(1, store.count(username))) {
                    IQ empty = IQ.createResultIQ(request);
                    session.send(empty);
                    for (RosterStore.Change change : changes.get()) {
                        Element item = change.item() != null ? RosterElement.item(change.item())
                                : RosterElement.removed(change.removed());
                        pushes.pushTo(session, item, change.version());
                    }
                    return null;
                }
            }
            IQ result = IQ.createResultIQ(request);
            Element query = result.setChildElement("query", RosterElement.NS);
            if (ver != null) {
                query.addAttribute("ver", Long.toString(current));
            }
            for (RosterItem item : store.items(username)) {
                query.add(RosterElement.item(item));
            }
            return result;
        });
    }

    /** RFC 6121 §2.3 to §2.5: add, update or remove one item. */
    IQ set(IQ request) throws StanzaErrorException {
        String username = request.getFrom().getNode();
        RosterElement.Update update = RosterElement.parseSet(request.getChildElement(), request.getFrom());
        if (update.remove()) {
            // §2.5.3: "If the value of the 'jid' attribute specifies an item that is not in the
            // roster, then the server MUST return an <item-not-found/> stanza error."
            SubscriptionState before = roster.remove(username, update.jid())
                    .orElseThrow(() -> StanzaErrorException.itemNotFound("the contact is not on your roster"));
            subscriptions.cancel(username, update.jid(), before);
        } else {
            roster.set(username, update);
        }
        return IQ.createResultIQ(request);
    }

    /** A version this server issued (a non-negative number), or {@code null} (RFC 6121 §2.6.2: any other string). */
    static Long parseVersion(String ver) {
        if (ver == null || ver.isEmpty() || ver.length() > 18) {
            return null;
        }
        for (int i = 0; i < ver.length(); i++) {
            if (ver.charAt(i) < '0' || ver.charAt(i) > '9') {
                return null;
            }
        }
        return Long.parseLong(ver);
    }
}
