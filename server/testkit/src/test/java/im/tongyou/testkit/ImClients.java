package im.tongyou.testkit;

import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.packet.PresenceBuilder;
import org.jivesoftware.smack.roster.Roster;
import org.jivesoftware.smack.roster.RosterEntry;
import org.jivesoftware.smack.roster.packet.RosterPacket;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jxmpp.jid.BareJid;
import org.jxmpp.jid.impl.JidCreate;

/** Small conversation steps shared by the IM end-to-end tests, with Smack's own roster API. */
final class ImClients {

    private ImClients() {
    }

    static BareJid bare(String user) {
        return JidCreate.bareFromOrThrowUnchecked(user + "@" + TongyouServerExtension.DOMAIN);
    }

    static void send(XMPPTCPConnection from, Presence.Type type, BareJid to) throws Exception {
        from.sendStanza(PresenceBuilder.buildPresence().ofType(type).to(to).build());
    }

    /** A subscribes to B and B to A, approving each other by hand; returns when both rosters say "both". */
    static void befriend(XMPPTCPConnection a, XMPPTCPConnection b) throws Exception {
        BareJid aJid = a.getUser().asBareJid();
        BareJid bJid = b.getUser().asBareJid();
        Roster.getInstanceFor(a).createItemAndRequestSubscription(bJid, null, null);
        Roster.getInstanceFor(b).createItemAndRequestSubscription(aJid, null, null);
        send(b, Presence.Type.subscribed, aJid);
        send(a, Presence.Type.subscribed, bJid);
        Await.until(aJid + " and " + bJid + " subscribed both ways",
                () -> type(a, bJid) == RosterPacket.ItemType.both && type(b, aJid) == RosterPacket.ItemType.both);
    }

    static RosterPacket.ItemType type(XMPPTCPConnection c, BareJid contact) {
        RosterEntry entry = Roster.getInstanceFor(c).getEntry(contact);
        return entry == null ? null : entry.getType();
    }

    static boolean sees(XMPPTCPConnection c, BareJid contact) {
        return Roster.getInstanceFor(c).getPresence(contact).isAvailable();
    }
}
