package im.tongyou.server.feature.blocking;

import static org.assertj.core.api.Assertions.assertThat;

import im.tongyou.server.feature.FeatureHarness;
import im.tongyou.server.feature.FeatureHarness.Client;
import im.tongyou.server.feature.MutableClock;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.dom4j.Element;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xmpp.packet.IQ;
import org.xmpp.packet.Message;
import org.xmpp.packet.PacketError;
import org.xmpp.packet.Presence;

/** Blocking Command (XEP-0191) with the real router, roster and presence. */
class BlockingFlowTest {

    @TempDir
    Path dir;
    FeatureHarness server;
    Client romeo;
    Client juliet;

    @BeforeEach
    void start() throws Exception {
        server = FeatureHarness.startAll(dir, new MutableClock(Instant.parse("2026-11-29T10:00:00Z")));
        server.createUsers("romeo", "juliet", "nurse");
        juliet = server.login("juliet", "balcony");
        romeo = server.login("romeo", "orchard");
        FeatureHarness.mutual(romeo, juliet);
        juliet.request(command("blocklist", IQ.Type.get));
        romeo.take();
        juliet.take();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    static IQ command(String name, IQ.Type type, String... jids) {
        IQ iq = new IQ(type, name + "-" + System.nanoTime());
        Element e = iq.setChildElement(name, "urn:xmpp:blocking");
        for (String jid : jids) {
            e.addElement("item").addAttribute("jid", jid);
        }
        return iq;
    }

    static Message chat(String to, String body) {
        Message m = new Message();
        m.setType(Message.Type.chat);
        m.setTo(to);
        m.setBody(body);
        return m;
    }

    @Test
    void blockingStopsEverythingBothWaysAndUnblockingRestoresPresence() {
        Client laptop = server.login("juliet", "laptop");
        laptop.request(command("blocklist", IQ.Type.get));
        laptop.take();

        assertThat(juliet.request(command("block", IQ.Type.set, "Romeo@Example.net")).getType()).isEqualTo(IQ.Type.result);

        for (Client c : List.of(juliet, laptop)) {
            IQ push = c.pushes().get(0);
            assertThat(push.getChildElement().getName()).isEqualTo("block");
            assertThat(push.getChildElement().element("item").attributeValue("jid")).isEqualTo("romeo@example.net");
        }
        assertThat(romeo.presences(p -> p.getType() == Presence.Type.unavailable && p.getFrom().getNode().equals("juliet")))
                .as("XEP-0191 §3.3: unavailable to the blocked contact").hasSize(2);
        romeo.take();
        juliet.take();

        romeo.send(chat("juliet@example.net", "speak again, bright angel"));
        Message bounced = romeo.received(Message.class, m -> m.getType() == Message.Type.error).get(0);
        assertThat(bounced.getError().getCondition()).isEqualTo(PacketError.Condition.service_unavailable);
        assertThat(juliet.received(Message.class, m -> true)).isEmpty();

        juliet.send(chat("romeo@example.net", "deny thy father"));
        Message refused = juliet.received(Message.class, m -> m.getType() == Message.Type.error).get(0);
        assertThat(refused.getError().getCondition()).isEqualTo(PacketError.Condition.not_acceptable);
        assertThat(refused.getError().getApplicationConditionNamespaceURI()).isEqualTo("urn:xmpp:blocking:errors");
        assertThat(refused.getError().getApplicationConditionName()).isEqualTo("blocked");
        assertThat(romeo.received(Message.class, m -> m.getType() == Message.Type.chat)).isEmpty();

        Presence away = new Presence();
        away.setShow(Presence.Show.away);
        romeo.send(away);
        juliet.send(away.createCopy());
        assertThat(juliet.presences(p -> p.getFrom().getNode().equals("romeo"))).isEmpty();
        assertThat(romeo.presences(p -> p.getFrom().getNode().equals("juliet"))).isEmpty();
        assertThat(romeo.presences(p -> p.getType() == Presence.Type.error)).as("no bounce for presence").isEmpty();

        IQ last = new IQ(IQ.Type.get, "last-1");
        last.setTo("juliet@example.net");
        last.setChildElement("query", "jabber:iq:last");
        assertThat(romeo.request(last).getError().getCondition()).isEqualTo(PacketError.Condition.service_unavailable);
        IQ ping = new IQ(IQ.Type.get, "ping-1");
        ping.setTo("juliet@example.net/balcony");
        ping.setChildElement("ping", "urn:xmpp:ping");
        assertThat(romeo.request(ping).getError().getCondition()).isEqualTo(PacketError.Condition.service_unavailable);

        Client nurse = server.login("nurse", "kitchen");
        Message offline = chat("juliet@example.net", "she is not here");
        juliet.drop();
        laptop.drop();
        romeo.send(offline);
        assertThat(romeo.received(Message.class, m -> m.getType() == Message.Type.error)).hasSize(2);
        nurse.drop();

        Client back = server.login("juliet", "balcony");
        back.request(command("blocklist", IQ.Type.get));
        romeo.take();
        back.take();
        assertThat(back.request(command("unblock", IQ.Type.set, "romeo@example.net")).getType()).isEqualTo(IQ.Type.result);

        assertThat(back.pushes().get(0).getChildElement().getName()).isEqualTo("unblock");
        assertThat(romeo.presences(p -> p.isAvailable() && p.getFrom().toString().equals("juliet@example.net/balcony")))
                .as("§3.4: current presence to the unblocked contact").hasSize(1);
        assertThat(back.presences(p -> p.isAvailable() && p.getFrom().toString().equals("romeo@example.net/orchard")))
                .as("the unblocked contact's presence, probed").hasSize(1);
        romeo.send(chat("juliet@example.net", "again"));
        assertThat(back.received(Message.class, m -> "again".equals(m.getBody()))).hasSize(1);
    }

    @Test
    void theBlocklistIsKeptAndBadCommandsAreRefused() {
        juliet.request(command("block", IQ.Type.set, "romeo@example.net", "montague.example", "nurse@example.net/kitchen"));

        IQ list = juliet.request(command("blocklist", IQ.Type.get));
        assertThat(list.getChildElement().elements("item")).extracting(e -> e.attributeValue("jid"))
                .containsExactlyInAnyOrder("romeo@example.net", "montague.example", "nurse@example.net/kitchen");

        assertThat(juliet.request(command("block", IQ.Type.set)).getError().getCondition())
                .isEqualTo(PacketError.Condition.bad_request);
        assertThat(juliet.request(command("block", IQ.Type.set, "a@@b")).getError().getCondition())
                .isEqualTo(PacketError.Condition.jid_malformed);
        assertThat(juliet.request(command("block", IQ.Type.set, "juliet@example.net")).getError().getCondition())
                .isEqualTo(PacketError.Condition.not_acceptable);

        juliet.take();
        assertThat(juliet.request(command("unblock", IQ.Type.set)).getType()).isEqualTo(IQ.Type.result);
        IQ push = juliet.pushes().get(0);
        assertThat(push.getChildElement().getName()).isEqualTo("unblock");
        assertThat(push.getChildElement().elements()).as("unblock-all push").isEmpty();
        assertThat(juliet.request(command("blocklist", IQ.Type.get)).getChildElement().elements()).isEmpty();
    }

    @Test
    void jidMatchingFollowsXep0191() {
        java.util.Set<String> blocked = java.util.Set.of("montague.example", "nurse@example.net/kitchen",
                "example.org/desk", "tybalt@example.net");
        assertThat(BlockList.matches(blocked, new org.xmpp.packet.JID("anyone@montague.example/x"))).isTrue();
        assertThat(BlockList.matches(blocked, new org.xmpp.packet.JID("nurse@example.net/kitchen"))).isTrue();
        assertThat(BlockList.matches(blocked, new org.xmpp.packet.JID("nurse@example.net/garden"))).isFalse();
        assertThat(BlockList.matches(blocked, new org.xmpp.packet.JID("nurse@example.net"))).isFalse();
        assertThat(BlockList.matches(blocked, new org.xmpp.packet.JID("someone@example.org/desk"))).isTrue();
        assertThat(BlockList.matches(blocked, new org.xmpp.packet.JID("tybalt@example.net/sword"))).isTrue();
        assertThat(BlockList.matches(blocked, new org.xmpp.packet.JID("romeo@example.net"))).isFalse();
    }
}
