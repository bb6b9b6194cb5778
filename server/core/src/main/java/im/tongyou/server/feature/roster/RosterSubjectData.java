package im.tongyou.server.feature.roster;

import im.tongyou.api.PluginContext;
import im.tongyou.api.privacy.Crypto;
import im.tongyou.api.privacy.SubjectDataProvider;
import im.tongyou.api.roster.RosterItem;
import im.tongyou.server.feature.roster.SubscriptionStateMachine.Kind;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.dom4j.DocumentHelper;
import org.xmpp.packet.JID;
import org.xmpp.packet.Presence;

/**
 * The roster tables as a store of personal data. Erasing a user first ends every presence
 * subscription with the user, as if the user had removed each contact (RFC 6121 §2.5.2: both
 * "unsubscribe" and "unsubscribed"), so that contacts' rosters show no subscription and their
 * clients see the user go offline; Prosody and ejabberd do the same on account removal. The
 * contacts keep the item itself: their roster is their own data, which they may remove.
 */
final class RosterSubjectData implements SubjectDataProvider {

    private final PluginContext ctx;
    private final RosterStore store;

    RosterSubjectData(PluginContext ctx, RosterStore store) {
        this.ctx = ctx;
        this.store = store;
    }

    @Override
    public String name() {
        return "roster";
    }

    @Override
    public Set<String> tables() {
        return Set.of("roster_item", "roster_version", "roster_removed", "roster_pending");
    }

    @Override
    public Map<String, Object> export(String username) {
        Map<String, Object> export = new LinkedHashMap<>();
        export.put("version", store.version(username));
        List<Object> items = new ArrayList<>();
        for (RosterItem item : store.items(username)) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("jid", item.jid().toBareJID());
            e.put("name", item.name());
            e.put("subscription", item.subscription().xmlValue());
            e.put("askSubscribe", item.pendingOut());
            e.put("preApproved", item.approved());
            e.put("groups", item.groups().stream().sorted().toList());
            items.add(e);
        }
        export.put("items", items);
        List<Object> requests = new ArrayList<>();
        for (RosterStore.Pending pending : store.pending(username)) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("from", pending.contact().toBareJID());
            e.put("receivedAt", pending.receivedAt().toString());
            e.put("status", status(username, pending));
            requests.add(e);
        }
        export.put("subscriptionRequests", requests);
        return export;
    }

    @Override
    public void erase(String username) {
        JID self = new JID(username, ctx.domain(), null);
        Set<String> others = new LinkedHashSet<>();
        Set<String> seeingUser = new LinkedHashSet<>();
        for (RosterItem item : store.items(username)) {
            others.add(item.jid().toBareJID());
            if (item.subscription().contactSeesUser()) {
                seeingUser.add(item.jid().toBareJID());
            }
        }
        store.pending(username).forEach(p -> others.add(p.contact().toBareJID()));
        store.usersRelatedTo(self).forEach(u -> others.add(u + "@" + ctx.domain()));
        for (String other : others) {
            JID contact = new JID(other);
            if (seeingUser.contains(other)) {
                ResourcePresence.sendUnavailable(ctx, username, contact);
            }
            if (ctx.domain().equals(contact.getDomain()) && contact.getNode() != null) {
                ctx.router().route(Subscriptions.subscription(Kind.UNSUBSCRIBE, self, contact));
                ctx.router().route(Subscriptions.subscription(Kind.UNSUBSCRIBED, self, contact));
            }
        }
        store.erase(username, self);
    }

    private String status(String username, RosterStore.Pending pending) {
        if (pending.stanza() == null) {
            return null;
        }
        try {
            String xml = new String(ctx.crypto().decrypt(username, pending.stanza()), StandardCharsets.UTF_8);
            return new Presence(DocumentHelper.parseText(xml).getRootElement(), true).getStatus();
        } catch (Crypto.KeyDestroyedException | org.dom4j.DocumentException e) {
            return null;
        }
    }
}
