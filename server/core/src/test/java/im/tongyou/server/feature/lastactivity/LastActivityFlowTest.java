package im.tongyou.server.feature.lastactivity;

import static org.assertj.core.api.Assertions.assertThat;

import im.tongyou.server.feature.FeatureHarness;
import im.tongyou.server.feature.FeatureHarness.Client;
import im.tongyou.server.feature.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xmpp.packet.IQ;
import org.xmpp.packet.PacketError;
import org.xmpp.packet.Presence;

/** Last Activity (XEP-0012) and account disco (XEP-0030) as contacts and strangers see them. */
class LastActivityFlowTest {

    @TempDir
    Path dir;
    MutableClock clock = new MutableClock(Instant.parse("2026-11-29T10:00:00Z"));
    FeatureHarness server;

    @BeforeEach
    void start() throws Exception {
        server = FeatureHarness.startAll(dir, clock);
        server.createUsers("romeo", "juliet", "nurse");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    static IQ last(String to) {
        IQ iq = new IQ(IQ.Type.get, "last-" + System.nanoTime());
        if (to != null) {
            iq.setTo(to);
        }
        iq.setChildElement("query", "jabber:iq:last");
        return iq;
    }

    @Test
    void contactsLearnTheTimeSinceLogoutWithItsStatusAndStrangersAreForbidden() {
        Client romeo = server.login("romeo", "orchard");
        Client juliet = server.login("juliet", "balcony");
        FeatureHarness.mutual(romeo, juliet);
        Client nurse = server.login("nurse", "kitchen");

        IQ online = romeo.request(last("juliet@example.net"));
        assertThat(online.getChildElement().attributeValue("seconds")).as("§4: online means 0").isEqualTo("0");

        Presence gone = new Presence(Presence.Type.unavailable);
        gone.setStatus("Heading home");
        juliet.send(gone);
        juliet.drop();
        clock.advance(Duration.ofSeconds(903));

        IQ answer = romeo.request(last("juliet@example.net"));
        assertThat(answer.getChildElement().attributeValue("seconds")).isEqualTo("903");
        assertThat(answer.getChildElement().getText()).isEqualTo("Heading home");

        IQ refused = nurse.request(last("juliet@example.net"));
        assertThat(refused.getError().getCondition()).as("XEP-0012 §4: MUST return forbidden")
                .isEqualTo(PacketError.Condition.forbidden);
        assertThat(refused.getChildElement()).satisfiesAnyOf(
                q -> assertThat(q).isNull(), q -> assertThat(q.attributeValue("seconds")).isNull());
    }

    @Test
    void aFullJidQueryFromAStrangerIsForbiddenAndNotDelivered() {
        Client juliet = server.login("juliet", "balcony");
        Client nurse = server.login("nurse", "kitchen");
        juliet.take();

        IQ refused = nurse.request(last("juliet@example.net/balcony"));

        assertThat(refused.getError().getCondition()).isEqualTo(PacketError.Condition.forbidden);
        assertThat(juliet.received(IQ.class, iq -> iq.getType() == IQ.Type.get)).isEmpty();
    }

    @Test
    void theServerTellsItsUptimeAndAUserSeesTheirOwn() {
        clock.advance(Duration.ofHours(34));
        Client romeo = server.login("romeo", "orchard");

        assertThat(romeo.request(last("example.net")).getChildElement().attributeValue("seconds"))
                .isEqualTo(Long.toString(Duration.ofHours(34).toSeconds()));
        assertThat(romeo.request(last(null)).getChildElement().attributeValue("seconds")).isEqualTo("0");
        assertThat(romeo.request(last("juliet@example.net")).getError().getCondition())
                .isEqualTo(PacketError.Condition.forbidden);
    }

    @Test
    void accountDiscoIsForTheOwnerAndContactsOnly() {
        Client romeo = server.login("romeo", "orchard");
        Client juliet = server.login("juliet", "balcony");
        Client nurse = server.login("nurse", "kitchen");
        FeatureHarness.mutual(romeo, juliet);

        IQ info = new IQ(IQ.Type.get, "disco-1");
        info.setTo("juliet@example.net");
        info.setChildElement("query", "http://jabber.org/protocol/disco#info");

        IQ forContact = romeo.request(info.createCopy());
        assertThat(forContact.getType()).isEqualTo(IQ.Type.result);
        assertThat(forContact.getChildElement().elements("feature")).extracting(f -> f.attributeValue("var"))
                .contains("jabber:iq:last");
        assertThat(nurse.request(info.createCopy()).getError().getCondition())
                .isEqualTo(PacketError.Condition.service_unavailable);
        assertThat(juliet.request(info.createCopy()).getType()).isEqualTo(IQ.Type.result);
    }
}
