package im.tongyou.server.feature.presence;

import static org.assertj.core.api.Assertions.assertThat;

import im.tongyou.server.feature.FeatureHarness;
import im.tongyou.server.feature.FeatureHarness.Client;
import im.tongyou.server.feature.MutableClock;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xmpp.packet.Presence;

/** Presence (RFC 6121 §4) between local users, with the real router, roster and blocking. */
class PresenceFlowTest {

    @TempDir
    Path dir;
    FeatureHarness server;

    @BeforeEach
    void start() throws Exception {
        server = FeatureHarness.startAll(dir, new MutableClock(Instant.parse("2026-11-29T10:00:00Z")));
        server.createUsers("romeo", "juliet", "nurse");
        Client romeo = server.login("romeo", "setup");
        Client juliet = server.login("juliet", "setup");
        FeatureHarness.mutual(romeo, juliet);
        romeo.drop();
        juliet.drop();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    static List<Presence> from(Client c, String from, Presence.Type type) {
        return c.presences(p -> p.getFrom().toString().equals(from) && p.getType() == type);
    }

    @Test
    void aContactAlreadyOnlineIsSeenByAUserWhoLogsIn() {
        Client juliet = server.login("juliet", "balcony");
        Presence away = new Presence();
        away.setShow(Presence.Show.away);
        away.setStatus("on the balcony");
        juliet.send(away);

        Client romeo = server.login("romeo", "orchard");

        List<Presence> seen = from(romeo, "juliet@example.net/balcony", null);
        assertThat(seen).hasSize(1);
        assertThat(seen.get(0).getShow()).isEqualTo(Presence.Show.away);
        assertThat(seen.get(0).getStatus()).isEqualTo("on the balcony");
        assertThat(seen.get(0).getTo().toString()).isEqualTo("romeo@example.net/orchard");
        assertThat(from(juliet, "romeo@example.net/orchard", null)).as("broadcast to subscribers").hasSize(1);
    }

    @Test
    void presenceGoesToOwnResourcesAndSubscribersButNeverToOthers() {
        Client nurse = server.login("nurse", "kitchen");
        Client juliet = server.login("juliet", "balcony");
        Client romeo = server.login("romeo", "orchard");
        Client romeo2 = server.login("romeo", "phone");

        assertThat(from(romeo2, "romeo@example.net/phone", null)).as("no echo to the sender").isEmpty();
        assertThat(from(romeo2, "romeo@example.net/orchard", null)).as("the other resource's presence").hasSize(1);
        assertThat(from(romeo, "romeo@example.net/phone", null)).hasSize(1);
        assertThat(from(juliet, "romeo@example.net/phone", null)).hasSize(1);
        assertThat(nurse.presences(p -> p.getFrom().getNode().equals("romeo"))).isEmpty();

        Presence probe = new Presence(Presence.Type.probe);
        probe.setTo("romeo@example.net");
        nurse.send(probe);
        assertThat(nurse.presences(p -> p.getFrom().getNode().equals("romeo") && p.getType() != Presence.Type.unsubscribed))
                .as("§4.3.2: a probe from a non-subscriber learns nothing").isEmpty();
    }

    @Test
    void aDroppedConnectionIsBroadcastAsUnavailable() {
        Client juliet = server.login("juliet", "balcony");
        Client romeo = server.login("romeo", "orchard");

        romeo.drop();

        assertThat(from(juliet, "romeo@example.net/orchard", Presence.Type.unavailable)).hasSize(1);
    }

    @Test
    void aReplacedSessionDoesNotMarkItsSuccessorOffline() {
        Client juliet = server.login("juliet", "balcony");
        Client old = server.login("romeo", "orchard");
        Client successor = server.connect("romeo", "orchard"); // the old one is closed with conflict
        successor.send(new Presence());
        juliet.take();

        old.drop(); // already dropped by the replacement: nothing more

        Client again = server.login("romeo", "phone");
        again.drop();
        List<Presence> all = juliet.presences(p -> p.getFrom().toString().equals("romeo@example.net/orchard"));
        assertThat(all).isEmpty();
    }

    @Test
    void theOldSessionEndingAfterItsSuccessorIsAvailableSendsNoUnavailable() {
        Client juliet = server.login("juliet", "balcony");
        Client old = server.login("romeo", "orchard");
        // the successor binds and announces itself before the old session's end is processed
        Client successor = server.connect("romeo", "orchard", false);
        successor.send(new Presence());
        juliet.take();

        old.drop();

        assertThat(from(juliet, "romeo@example.net/orchard", Presence.Type.unavailable)).isEmpty();
        successor.drop();
        assertThat(from(juliet, "romeo@example.net/orchard", Presence.Type.unavailable)).hasSize(1);
    }

    @Test
    void theOldSessionEndingBeforeItsSuccessorIsAvailableIsUnavailableUntilThen() {
        Client juliet = server.login("juliet", "balcony");
        Client old = server.login("romeo", "orchard");
        Client successor = server.connect("romeo", "orchard", false);
        juliet.take();

        old.drop();
        successor.send(new Presence());

        List<Presence> seen = juliet.presences(p -> p.getFrom().toString().equals("romeo@example.net/orchard"));
        assertThat(seen).extracting(Presence::getType).containsExactly(Presence.Type.unavailable, null);
    }

    @Test
    void directedPresenceIsFollowedByItsUnavailable() {
        Client nurse = server.login("nurse", "kitchen");
        Client romeo = server.login("romeo", "orchard");
        Presence directed = new Presence();
        directed.setTo("nurse@example.net");
        directed.setStatus("a word, good nurse");
        romeo.send(directed);
        assertThat(from(nurse, "romeo@example.net/orchard", null)).hasSize(1);

        Presence away = new Presence();
        away.setShow(Presence.Show.away);
        romeo.send(away);
        assertThat(from(nurse, "romeo@example.net/orchard", null)).as("§4.6: no later broadcasts").hasSize(1);

        romeo.send(new Presence(Presence.Type.unavailable));
        assertThat(from(nurse, "romeo@example.net/orchard", Presence.Type.unavailable)).hasSize(1);
    }

    @Test
    void directedPresenceGetsUnavailableWhenTheConnectionDrops() {
        Client nurse = server.login("nurse", "kitchen");
        Client romeo = server.connect("romeo", "orchard"); // directed presence before any broadcast
        Presence directed = new Presence();
        directed.setTo("nurse@example.net/kitchen");
        romeo.send(directed);

        romeo.drop();

        assertThat(from(nurse, "romeo@example.net/orchard", Presence.Type.unavailable)).hasSize(1);
    }

    @Test
    void aProbeOfAnOfflineContactIsAnsweredUnavailable() {
        Client romeo = server.login("romeo", "orchard");

        assertThat(from(romeo, "juliet@example.net", Presence.Type.unavailable)).hasSize(1);
        assertThat(romeo.presences(p -> p.getType() == Presence.Type.unsubscribed)).isEmpty();
    }
}
