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
import im.tongyou.api.roster.Subscription;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.QName;
import org.xmpp.packet.JID;
import org.xmpp.packet.Presence;

/**
 * The roster tables as a store of personal data. Erasing a user first ends every presence
 * subscription with the user, as if the user had removed each contact (RFC 6121 §2.5.2: both
 * "unsubscribe" and "unsubscribed"), so that contacts' clients see the user go offline; Prosody and
 * ejabberd do the same on account removal. Then the cancelled address leaves the contacts' rosters
 * too (privacy requirements C-13, AC-13 (c)), with a roster push to their interested resources, and
 * their versioning records forget it (a client with an older version gets the whole roster). The
 * portable export is the roster as XEP-0227 §4.4 has it: a {@code jabber:iq:roster} query.
 */
final class RosterSubjectData implements SubjectDataProvider {

    private final PluginContext ctx;
    private final RosterStore store;
    private final RosterService roster;

    RosterSubjectData(PluginContext ctx, RosterStore store, RosterService roster) {
        this.ctx = ctx;
        this.store = store;
        this.roster = roster;
    }

    @Override
    public String name() {
        return "roster";
    }

    @Override
    public String purpose() {
        return "Contact list and presence subscriptions (RFC 6121): the user's roster and pending requests (core IM, contract).";
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
        List<String> holders = store.usersRelatedTo(self);
        holders.forEach(u -> others.add(u + "@" + ctx.domain()));
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
        for (String holder : holders) {
            roster.remove(holder, self);
        }
        store.forgetRemovals(self);
        store.erase(username, self);
    }

    @Override
    public void exportPortable(String username, Element user) {
        Element query = user.addElement(QName.get("query", RosterElement.NS));
        for (RosterItem item : store.items(username)) {
            query.add(RosterElement.item(item));
        }
    }

    /** Imports the items of a XEP-0227 roster as they were (their subscription states included). */
    @Override
    public void importPortable(String username, Element user) {
        Element query = user.element(QName.get("query", RosterElement.NS));
        if (query == null) {
            return;
        }
        for (Element e : query.elements(QName.get("item", RosterElement.NS))) {
            JID contact;
            try {
                contact = new JID(e.attributeValue("jid"));
            } catch (IllegalArgumentException | NullPointerException bad) {
                continue; // not an address: nothing to import
            }
            Subscription subscription = switch (String.valueOf(e.attributeValue("subscription"))) {
                case "to" -> Subscription.TO;
                case "from" -> Subscription.FROM;
                case "both" -> Subscription.BOTH;
                default -> Subscription.NONE;
            };
            Set<String> groups = new java.util.TreeSet<>();
            e.elements(QName.get("group", RosterElement.NS)).forEach(g -> groups.add(g.getTextTrim()));
            store.save(username, new RosterItem(new JID(contact.toBareJID()), e.attributeValue("name"), subscription,
                    "subscribe".equals(e.attributeValue("ask")), false, "true".equals(e.attributeValue("approved")),
                    groups));
        }
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
