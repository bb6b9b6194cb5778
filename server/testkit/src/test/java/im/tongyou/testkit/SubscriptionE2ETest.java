package im.tongyou.testkit;

import static im.tongyou.testkit.ImClients.bare;
import static org.assertj.core.api.Assertions.assertThat;

import org.jivesoftware.smack.StanzaCollector;
import org.jivesoftware.smack.filter.AndFilter;
import org.jivesoftware.smack.filter.StanzaTypeFilter;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.roster.Roster;
import org.jivesoftware.smack.roster.packet.RosterPacket;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jxmpp.jid.BareJid;

/** Presence subscriptions (RFC 6121 §3) between stock Smack clients: Romeo asks, Juliet answers. */
class SubscriptionE2ETest {

    @RegisterExtension
    static TongyouServerExtension server = TongyouServerExtension.create();

    @BeforeAll
    static void users() throws Exception {
        Roster.setDefaultSubscriptionMode(Roster.SubscriptionMode.manual);
        for (String name : new String[] {"romeo", "juliet", "romeo2", "juliet2", "romeo3", "juliet3", "paris",
                "rosaline", "benvolio"}) {
            server.createUser(name, name + "-secret");
        }
    }

    static XMPPTCPConnection login(String name) throws Exception {
        return server.login(name, name + "-secret");
    }

    static StanzaCollector presences(XMPPTCPConnection c, Presence.Type type) {
        return c.createStanzaCollector(new AndFilter(StanzaTypeFilter.PRESENCE,
                s -> ((Presence) s).getType() == type));
    }

    @Test
    void romeoAsksJulietAcceptsAndEachRosterSaysSo() throws Exception {
        XMPPTCPConnection romeo = login("romeo");
        XMPPTCPConnection juliet = login("juliet");
        StanzaCollector requests = presences(juliet, Presence.Type.subscribe);

        Roster.getInstanceFor(romeo).createItemAndRequestSubscription(bare("juliet"), "Juliet", new String[] {"Verona"});

        Presence request = requests.nextResultOrThrow(10_000);
        assertThat((Object) request.getFrom()).as("stamped with Romeo's bare JID").isEqualTo(bare("romeo"));
        Await.until("Romeo's request pending", () -> Roster.getInstanceFor(romeo).getEntry(bare("juliet")) != null
                && Roster.getInstanceFor(romeo).getEntry(bare("juliet")).isSubscriptionPending());

        ImClients.send(juliet, Presence.Type.subscribed, bare("romeo"));

        Await.until("Romeo subscribed to Juliet", () -> ImClients.type(romeo, bare("juliet")) == RosterPacket.ItemType.to);
        Await.until("Juliet's roster shows Romeo as subscriber",
                () -> ImClients.type(juliet, bare("romeo")) == RosterPacket.ItemType.from);
        Await.until("Romeo sees Juliet online", () -> ImClients.sees(romeo, bare("juliet")));
        assertThat(Roster.getInstanceFor(romeo).getEntry(bare("juliet")).getName()).isEqualTo("Juliet");
        assertThat(ImClients.sees(juliet, bare("romeo"))).as("Juliet is not subscribed to Romeo").isFalse();
    }

    @Test
    void aRequestToAnOfflineContactIsDeliveredAtHerNextLogin() throws Exception {
        XMPPTCPConnection romeo = login("romeo2");
        Roster.getInstanceFor(romeo).createItemAndRequestSubscription(bare("juliet2"), null, null);
        ImClients.send(romeo, Presence.Type.subscribe, bare("juliet2")); // asked twice: delivered once
        server.sync(romeo);

        StanzaCollector[] requests = new StanzaCollector[1];
        XMPPTCPConnection juliet = server.connect(server.config("juliet2", "juliet2-secret").build(),
                c -> requests[0] = presences(c, Presence.Type.subscribe));

        Presence request = requests[0].nextResultOrThrow(10_000);
        assertThat((Object) request.getFrom()).isEqualTo(bare("romeo2"));
        server.sync(juliet);
        assertThat((Object) requests[0].pollResult()).as("one stored request").isNull();

        ImClients.send(juliet, Presence.Type.subscribed, bare("romeo2"));
        Await.until("Romeo subscribed", () -> ImClients.type(romeo, bare("juliet2")) == RosterPacket.ItemType.to);
        Await.until("Romeo sees Juliet", () -> ImClients.sees(romeo, bare("juliet2")));
    }

    @Test
    void aPreApprovedRequestIsAcceptedWithoutAsking() throws Exception {
        XMPPTCPConnection juliet = login("juliet3");
        Roster julietRoster = Roster.getInstanceFor(juliet);
        assertThat(julietRoster.isSubscriptionPreApprovalSupported()).isTrue();
        julietRoster.preApprove(bare("romeo3"));
        StanzaCollector requests = presences(juliet, Presence.Type.subscribe);
        XMPPTCPConnection romeo = login("romeo3");

        Roster.getInstanceFor(romeo).createItemAndRequestSubscription(bare("juliet3"), null, null);

        Await.until("Romeo subscribed at once", () -> ImClients.type(romeo, bare("juliet3")) == RosterPacket.ItemType.to);
        Await.until("Romeo sees Juliet", () -> ImClients.sees(romeo, bare("juliet3")));
        server.sync(juliet);
        assertThat((Object) requests.pollResult()).as("Juliet was not asked").isNull();
        assertThat(ImClients.type(juliet, bare("romeo3"))).isEqualTo(RosterPacket.ItemType.from);
    }

    @Test
    void aSubscriptionToOneselfIsNotAllowed() throws Exception {
        XMPPTCPConnection paris = login("paris");
        StanzaCollector errors = presences(paris, Presence.Type.error);

        ImClients.send(paris, Presence.Type.subscribe, bare("paris"));

        Presence error = errors.nextResult(10_000);
        assertThat(error).as("an error for the request").isNotNull();
        assertThat(error.getError().getCondition()).isEqualTo(StanzaError.Condition.not_allowed);
        assertThat(Roster.getInstanceFor(paris).getEntry(bare("paris"))).isNull();
    }

    @Test
    void removingAnAccountEndsItsSubscriptionsAndLeavesItsContactsRosters() throws Exception {
        XMPPTCPConnection rosaline = login("rosaline");
        XMPPTCPConnection benvolio = login("benvolio");
        ImClients.befriend(rosaline, benvolio);
        Await.until("Benvolio sees Rosaline", () -> ImClients.sees(benvolio, bare("rosaline")));

        assertThat(server.server().accounts().delete("rosaline")).isTrue();

        // A cancelled address leaves contacts' rosters too (privacy requirements C-13, AC-13 (c)).
        Await.until("Rosaline offline", () -> !ImClients.sees(benvolio, bare("rosaline")));
        BareJid gone = bare("rosaline");
        Await.until("Rosaline left Benvolio's roster", () -> Roster.getInstanceFor(benvolio).getEntry(gone) == null);
    }
}
