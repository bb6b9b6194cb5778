package im.tongyou.testkit;

import static im.tongyou.testkit.ImClients.bare;
import static org.assertj.core.api.Assertions.assertThat;

import org.jivesoftware.smack.StanzaCollector;
import org.jivesoftware.smack.filter.AndFilter;
import org.jivesoftware.smack.filter.FromMatchesFilter;
import org.jivesoftware.smack.filter.StanzaTypeFilter;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.packet.PresenceBuilder;
import org.jivesoftware.smack.roster.Roster;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.iqlast.LastActivityManager;
import org.jivesoftware.smackx.iqlast.packet.LastActivity;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jxmpp.jid.impl.JidCreate;

/** Presence (RFC 6121 §4) and last activity (XEP-0012) between stock clients. */
class PresenceE2ETest {

    @RegisterExtension
    static TongyouServerExtension server = TongyouServerExtension.create();

    @BeforeAll
    static void users() throws Exception {
        Roster.setDefaultSubscriptionMode(Roster.SubscriptionMode.manual);
        for (String name : new String[] {"romeo", "juliet", "romeo2", "juliet2", "romeo3", "nurse", "romeo4", "juliet4",
                "friar", "romeo5", "juliet5"}) {
            server.createUser(name, name + "-secret");
        }
    }

    static XMPPTCPConnection login(String name) throws Exception {
        return server.login(name, name + "-secret");
    }

    @Test
    void julietAlreadyOnlineIsSeenByRomeoWhenHeLogsIn() throws Exception {
        XMPPTCPConnection romeo = login("romeo");
        XMPPTCPConnection juliet = login("juliet");
        ImClients.befriend(romeo, juliet);
        juliet.sendStanza(PresenceBuilder.buildPresence().ofType(Presence.Type.available).setStatus("on the balcony")
                .build());
        server.sync(juliet);
        romeo.disconnect();

        XMPPTCPConnection again = login("romeo");

        Await.until("the probe at login shows Juliet online", () -> ImClients.sees(again, bare("juliet")));
        assertThat(Roster.getInstanceFor(again).getPresence(bare("juliet")).getStatus()).isEqualTo("on the balcony");
    }

    @Test
    void aDroppedConnectionIsSeenAsUnavailable() throws Exception {
        XMPPTCPConnection juliet = login("juliet2");
        XMPPTCPConnection romeo = login("romeo2");
        ImClients.befriend(romeo, juliet);
        romeo.disconnect();

        RawXmppClient raw = server.raw();
        raw.login("romeo2", "romeo2-secret", "raw");
        raw.send("<presence/>");
        Await.until("Romeo online", () -> ImClients.sees(juliet, bare("romeo2")));

        raw.close(); // the socket goes away without a closing stream tag nor unavailable presence

        Await.until("Romeo offline", () -> !ImClients.sees(juliet, bare("romeo2")));
    }

    @Test
    void directedPresenceIsFollowedByItsUnavailableAndNothingElseLeaks() throws Exception {
        XMPPTCPConnection nurse = login("nurse");
        // without stream management: a dropped connection then ends the session at once (XEP-0198
        // would keep it waiting for resumption, and its presence with it)
        XMPPTCPConnection romeo = server.connect(server.config("romeo3", "romeo3-secret").build(),
                c -> c.setUseStreamManagement(false));
        StanzaCollector fromRomeo = nurse.createStanzaCollector(new AndFilter(StanzaTypeFilter.PRESENCE,
                FromMatchesFilter.createFull(romeo.getUser())));
        server.sync(romeo);
        server.sync(nurse);
        assertThat((Object) fromRomeo.pollResult()).as("not subscribed: no broadcast").isNull();

        romeo.sendStanza(PresenceBuilder.buildPresence().ofType(Presence.Type.available).to(bare("nurse"))
                .setStatus("a word with you").build());
        Presence directed = fromRomeo.nextResult(10_000);
        assertThat(directed).isNotNull();
        assertThat(directed.getStatus()).isEqualTo("a word with you");

        romeo.sendStanza(PresenceBuilder.buildPresence().ofType(Presence.Type.available).setStatus("busy").build());
        server.sync(romeo);
        server.sync(nurse);
        assertThat((Object) fromRomeo.pollResult()).as("§4.6: later broadcasts do not follow").isNull();

        romeo.instantShutdown();

        Presence gone = fromRomeo.nextResult(10_000);
        assertThat(gone).as("unavailable after directed presence").isNotNull();
        assertThat(gone.getType()).isEqualTo(Presence.Type.unavailable);
    }

    @Test
    void lastActivityIsForContactsOnly() throws Exception {
        XMPPTCPConnection romeo = login("romeo4");
        XMPPTCPConnection juliet = login("juliet4");
        XMPPTCPConnection friar = login("friar");
        ImClients.befriend(romeo, juliet);

        juliet.disconnect(PresenceBuilder.buildPresence().ofType(Presence.Type.unavailable).setStatus("Heading home")
                .build());
        Await.until("Juliet offline", () -> !ImClients.sees(romeo, bare("juliet4")));
        // her presence travels before her session ends: ask until the server has recorded the logout
        LastActivity[] last = new LastActivity[1];
        Await.until("Juliet's logout recorded", () -> {
            try {
                last[0] = LastActivityManager.getInstanceFor(romeo).getLastActivity(bare("juliet4"));
            } catch (org.jivesoftware.smack.XMPPException.XMPPErrorException e) {
                return false; // item-not-found between the end of her session and the record of it
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return "Heading home".equals(last[0].getStatusMessage());
        });
        assertThat(last[0].getIdleTime()).isGreaterThanOrEqualTo(0);
        assertThat(LastActivityManager.getInstanceFor(friar).isLastActivitySupported(
                JidCreate.domainBareFrom(server.domain()))).isTrue();
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> LastActivityManager.getInstanceFor(friar).getLastActivity(bare("juliet4")))
                .hasMessageContaining("forbidden");
    }

    @Test
    void whatAClientSendsJustBeforeClosingItsStreamStillArrives() throws Exception {
        XMPPTCPConnection juliet = login("juliet5");
        XMPPTCPConnection romeo = login("romeo5");
        ImClients.befriend(romeo, juliet);
        romeo.disconnect();
        StanzaCollector inbox = juliet.createStanzaCollector(StanzaTypeFilter.MESSAGE);
        StanzaCollector statuses = juliet.createStanzaCollector(new AndFilter(StanzaTypeFilter.PRESENCE,
                s -> ((Presence) s).getType() == Presence.Type.unavailable && s.getFrom().toString().endsWith("/raw")));

        try (RawXmppClient raw = server.raw()) {
            raw.login("romeo5", "romeo5-secret", "raw");
            raw.send("<presence/>");
            Await.until("Romeo online", () -> ImClients.sees(juliet, bare("romeo5")));
            // RFC 6120 §4.4: what was sent before the closing tag is processed, in one write here
            raw.send("<message to='juliet5@tongyou.test' type='chat'><body>farewell</body></message>"
                    + "<presence type='unavailable'><status>Gone to Mantua</status></presence></stream:stream>");
            // the server answers with its closing tag and leaves the TCP close to us (§4.4)
            raw.readUntil("</stream:stream>");
        }

        assertThat(inbox.<org.jivesoftware.smack.packet.Message>nextResultOrThrow(10_000).getBody()).isEqualTo("farewell");
        Presence gone = statuses.nextResult(10_000);
        assertThat(gone).isNotNull();
        assertThat(gone.getStatus()).isEqualTo("Gone to Mantua");
    }
}
