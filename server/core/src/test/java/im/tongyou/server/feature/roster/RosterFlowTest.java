package im.tongyou.server.feature.roster;

import static im.tongyou.server.feature.FeatureHarness.jid;
import static org.assertj.core.api.Assertions.assertThat;

import im.tongyou.server.feature.FeatureHarness;
import im.tongyou.server.feature.FeatureHarness.Client;
import im.tongyou.server.feature.presence.PresencePlugin;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.dom4j.Element;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xmpp.packet.IQ;
import org.xmpp.packet.PacketError;
import org.xmpp.packet.Presence;

/** Roster get, set, remove and versioning (RFC 6121 §2) with the real router and store. */
class RosterFlowTest {

    @TempDir
    Path dir;
    FeatureHarness server;

    @BeforeEach
    void start() throws Exception {
        server = FeatureHarness.start(dir, Map.of("roster", Map.of("max-items", 3)), new RosterPlugin(),
                new PresencePlugin());
        server.createUsers("romeo", "juliet", "nurse", "tybalt");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    static IQ set(String itemXml) throws Exception {
        IQ iq = new IQ(IQ.Type.set, "set-" + System.nanoTime());
        Element query = iq.setChildElement("query", "jabber:iq:roster");
        Element parsed = org.dom4j.DocumentHelper.parseText("<query xmlns='jabber:iq:roster'>" + itemXml + "</query>")
                .getRootElement();
        for (Element child : parsed.elements()) {
            query.add(child.createCopy());
        }
        return iq;
    }

    static PacketError.Condition error(IQ reply) {
        assertThat(reply.getType()).as(reply.toXML()).isEqualTo(IQ.Type.error);
        return reply.getError().getCondition();
    }

    @Test
    void anItemIsAddedUpdatedAndPushedToInterestedResourcesOnly() throws Exception {
        Client phone = server.login("juliet", "phone");
        Client laptop = server.login("juliet", "laptop");
        Client quiet = server.connect("juliet", "quiet"); // never asked for the roster
        phone.take();
        laptop.take();

        IQ result = phone.request(set("<item jid='Romeo@Example.NET' name='Romeo'><group>Friends</group>"
                + "<group>Verona</group></item>"));

        assertThat(result.getType()).isEqualTo(IQ.Type.result);
        for (Client c : List.of(phone, laptop)) {
            List<IQ> pushes = c.pushes();
            assertThat(pushes).hasSize(1);
            Element item = pushes.get(0).getChildElement().element("item");
            assertThat(item.attributeValue("jid")).isEqualTo("romeo@example.net");
            assertThat(item.attributeValue("name")).isEqualTo("Romeo");
            assertThat(item.attributeValue("subscription")).isEqualTo("none");
            assertThat(item.elements("group")).extracting(Element::getText).containsExactly("Friends", "Verona");
            assertThat(pushes.get(0).getFrom().toString()).isEqualTo("juliet@example.net");
        }
        assertThat(quiet.pushes()).isEmpty();

        laptop.request(set("<item jid='romeo@example.net' name='R' subscription='both'/>"));
        IQ roster = laptop.request(FeatureHarness.rosterGet(null));
        Element item = roster.getChildElement().element("item");
        assertThat(item.attributeValue("name")).isEqualTo("R");
        assertThat(item.attributeValue("subscription")).as("RFC 6121 §2.1.2.5: ignored in a set").isEqualTo("none");
        assertThat(item.elements("group")).isEmpty();
    }

    @Test
    void badRosterSetsGetTheErrorsOfRfc6121() throws Exception {
        Client juliet = server.login("juliet", "phone");

        assertThat(error(juliet.request(set("<item jid='romeo@example.net'/><item jid='nurse@example.net'/>"))))
                .isEqualTo(PacketError.Condition.bad_request);
        assertThat(error(juliet.request(set("<item jid='romeo@example.net'><group>A</group><group>A</group></item>"))))
                .isEqualTo(PacketError.Condition.bad_request);
        assertThat(error(juliet.request(set("<item jid='romeo@example.net'><group></group></item>"))))
                .isEqualTo(PacketError.Condition.not_acceptable);
        assertThat(error(juliet.request(set("<item jid='romeo@example.net'><group>" + "g".repeat(1025) + "</group></item>"))))
                .isEqualTo(PacketError.Condition.not_acceptable);
        assertThat(error(juliet.request(set("<item jid='romeo@example.net' name='" + "n".repeat(1025) + "'/>"))))
                .isEqualTo(PacketError.Condition.not_acceptable);
        assertThat(error(juliet.request(set("<item jid='romeo@@example.net'/>"))))
                .isEqualTo(PacketError.Condition.jid_malformed);
        assertThat(error(juliet.request(set("<item jid='romeo@example.net/balcony'/>"))))
                .isEqualTo(PacketError.Condition.bad_request);
        assertThat(error(juliet.request(set("<item/>")))).isEqualTo(PacketError.Condition.bad_request);
        assertThat(error(juliet.request(set("")))).isEqualTo(PacketError.Condition.bad_request);
        assertThat(error(juliet.request(set("<item jid='juliet@example.net'/>"))))
                .isEqualTo(PacketError.Condition.not_allowed);
        assertThat(error(juliet.request(set("<item jid='romeo@example.net' subscription='remove'/>"))))
                .isEqualTo(PacketError.Condition.item_not_found);
        assertThat(juliet.pushes()).isEmpty();
    }

    @Test
    void theRosterSizeIsLimited() throws Exception {
        Client juliet = server.login("juliet", "phone");
        for (String contact : List.of("a", "b", "c")) {
            assertThat(juliet.request(set("<item jid='" + contact + "@example.net'/>")).getType()).isEqualTo(IQ.Type.result);
        }

        assertThat(error(juliet.request(set("<item jid='d@example.net'/>")))).isEqualTo(PacketError.Condition.not_allowed);
        assertThat(juliet.request(set("<item jid='a@example.net' name='updates still work'/>")).getType())
                .isEqualTo(IQ.Type.result);
    }

    @Test
    void anotherUsersRosterIsServiceUnavailable() {
        Client juliet = server.login("juliet", "phone");
        IQ get = FeatureHarness.rosterGet(null);
        get.setTo(jid("romeo"));

        assertThat(error(juliet.request(get))).isEqualTo(PacketError.Condition.service_unavailable);
        IQ own = FeatureHarness.rosterGet(null);
        own.setTo(jid("juliet"));
        assertThat(juliet.request(own).getType()).isEqualTo(IQ.Type.result);
    }

    @Test
    void versioningAnswersEmptyWhenCurrentAndPushesTheChangesOtherwise() throws Exception {
        Client phone = server.connect("juliet", "phone");
        IQ first = phone.request(FeatureHarness.rosterGet(""));
        String ver0 = first.getChildElement().attributeValue("ver");
        assertThat(ver0).isEqualTo("0");
        phone.request(set("<item jid='romeo@example.net'/>"));
        phone.request(set("<item jid='nurse@example.net'/>"));
        String ver2 = phone.pushes().get(1).getChildElement().attributeValue("ver");
        phone.request(set("<item jid='romeo@example.net' subscription='remove'/>"));
        String ver3 = phone.pushes().get(2).getChildElement().attributeValue("ver");
        phone.drop();

        Client current = server.connect("juliet", "tablet");
        IQ empty = current.request(FeatureHarness.rosterGet(ver3));
        assertThat(empty.getType()).isEqualTo(IQ.Type.result);
        assertThat(empty.getChildElement()).isNull();
        assertThat(current.pushes()).isEmpty();

        Client stale = server.connect("juliet", "laptop");
        IQ delta = stale.request(FeatureHarness.rosterGet(ver2));
        assertThat(delta.getChildElement()).isNull();
        List<IQ> pushes = stale.pushes();
        assertThat(pushes).hasSize(1);
        assertThat(pushes.get(0).getChildElement().attributeValue("ver")).isEqualTo(ver3);
        assertThat(pushes.get(0).getChildElement().element("item").attributeValue("subscription")).isEqualTo("remove");

        Client unknown = server.connect("juliet", "desk");
        IQ full = unknown.request(FeatureHarness.rosterGet("not-ours"));
        assertThat(full.getChildElement().attributeValue("ver")).isEqualTo(ver3);
        assertThat(full.getChildElement().elements("item")).hasSize(1);
    }

    @Test
    void theSubscriptionHandshakeBetweenOnlineUsers() throws Exception {
        Client romeo = server.login("romeo", "orchard");
        Client juliet = server.login("juliet", "balcony");
        romeo.take();
        juliet.take();

        Presence subscribe = new Presence(Presence.Type.subscribe);
        subscribe.setTo("juliet@example.net/balcony");
        subscribe.setStatus("It is my lady");
        romeo.send(subscribe);

        Presence request = juliet.presences(p -> p.getType() == Presence.Type.subscribe).get(0);
        assertThat(request.getFrom().toString()).as("§3.1.2: stamped with the bare JID").isEqualTo("romeo@example.net");
        assertThat(request.getTo().toString()).isEqualTo("juliet@example.net");
        assertThat(request.getStatus()).isEqualTo("It is my lady");
        assertThat(romeo.pushes().get(0).getChildElement().element("item").attributeValue("ask")).isEqualTo("subscribe");
        assertThat(juliet.pushes()).as("no item for a request only (None + Pending In)").isEmpty();

        Presence approve = new Presence(Presence.Type.subscribed);
        approve.setTo("romeo@example.net");
        juliet.send(approve);

        assertThat(item(juliet.pushes(), "romeo@example.net").attributeValue("subscription")).isEqualTo("from");
        List<IQ> romeoPushes = romeo.pushes();
        Element romeoItem = item(romeoPushes.subList(1, romeoPushes.size()), "juliet@example.net");
        assertThat(romeoItem.attributeValue("subscription")).isEqualTo("to");
        assertThat(romeoItem.attributeValue("ask")).isNull();
        assertThat(romeo.presences(p -> p.getType() == Presence.Type.subscribed)).hasSize(1);
        assertThat(romeo.presences(p -> p.isAvailable() && p.getFrom().toString().equals("juliet@example.net/balcony")))
                .as("§3.1.5: the contact's server sends the contact's presence").hasSize(1);

        server.connect("juliet", "other").send(FeatureHarness.rosterGet(null));
        romeo.take();
        Presence unavailable = new Presence(Presence.Type.unavailable);
        juliet.send(unavailable);
        assertThat(romeo.presences(p -> p.getType() == Presence.Type.unavailable)).hasSize(1);
    }

    @Test
    void aRequestToAnOfflineContactIsDeliveredAtItsNextLoginOnce() {
        Client romeo = server.login("romeo", "orchard");
        Presence subscribe = new Presence(Presence.Type.subscribe);
        subscribe.setTo("juliet@example.net");
        subscribe.setStatus("wherefore art thou");
        romeo.send(subscribe);
        romeo.send(subscribe.createCopy()); // a repeated request is kept once

        Client juliet = server.login("juliet", "balcony");

        List<Presence> requests = juliet.presences(p -> p.getType() == Presence.Type.subscribe);
        assertThat(requests).hasSize(1);
        assertThat(requests.get(0).getFrom().toString()).isEqualTo("romeo@example.net");
        assertThat(requests.get(0).getStatus()).isEqualTo("wherefore art thou");
        juliet.drop();

        Client again = server.login("juliet", "balcony");
        assertThat(again.presences(p -> p.getType() == Presence.Type.subscribe))
                .as("still awaiting an answer: delivered again").hasSize(1);
        Presence deny = new Presence(Presence.Type.unsubscribed);
        deny.setTo("romeo@example.net");
        again.send(deny);
        again.drop();

        assertThat(server.login("juliet", "balcony").presences(p -> p.getType() == Presence.Type.subscribe)).isEmpty();
        assertThat(item(romeo.pushes(), "juliet@example.net").attributeValue("ask")).isNull();
    }

    @Test
    void aPreApprovedRequestIsApprovedAtOnce() {
        Client juliet = server.login("juliet", "balcony");
        Presence preApprove = new Presence(Presence.Type.subscribed);
        preApprove.setTo("romeo@example.net");
        juliet.send(preApprove);
        assertThat(item(juliet.pushes(), "romeo@example.net").attributeValue("approved")).isEqualTo("true");
        juliet.take();

        Client romeo = server.login("romeo", "orchard");
        Presence subscribe = new Presence(Presence.Type.subscribe);
        subscribe.setTo("juliet@example.net");
        romeo.send(subscribe);

        assertThat(juliet.presences(p -> p.getType() == Presence.Type.subscribe)).as("not delivered").isEmpty();
        Element julietItem = item(juliet.pushes(), "romeo@example.net");
        assertThat(julietItem.attributeValue("subscription")).isEqualTo("from");
        assertThat(julietItem.attributeValue("approved")).isNull();
        List<IQ> pushes = romeo.pushes();
        assertThat(item(pushes.subList(pushes.size() - 1, pushes.size()), "juliet@example.net")
                .attributeValue("subscription")).isEqualTo("to");
        assertThat(romeo.presences(p -> p.isAvailable() && p.getFrom().getNode().equals("juliet"))).hasSize(1);
    }

    @Test
    void subscribingToOneselfIsNotAllowedAndToNobodyIsAnsweredUnsubscribed() {
        Client romeo = server.login("romeo", "orchard");
        Presence self = new Presence(Presence.Type.subscribe);
        self.setTo("romeo@example.net");
        romeo.send(self);

        List<Presence> errors = romeo.presences(p -> p.getType() == Presence.Type.error);
        assertThat(errors).hasSize(1);
        assertThat(errors.get(0).getError().getCondition()).isEqualTo(PacketError.Condition.not_allowed);
        assertThat(romeo.pushes()).isEmpty();

        Presence ghost = new Presence(Presence.Type.subscribe);
        ghost.setTo("rosaline@example.net");
        romeo.send(ghost);
        assertThat(romeo.presences(p -> p.getType() == Presence.Type.unsubscribed)).hasSize(1);
        assertThat(item(romeo.pushes(), "rosaline@example.net").attributeValue("ask")).isNull();
    }

    @Test
    void removingAContactCancelsTheSubscriptionsBothWays() throws Exception {
        Client romeo = server.login("romeo", "orchard");
        Client juliet = server.login("juliet", "balcony");
        mutual(romeo, juliet);
        romeo.take();
        juliet.take();

        juliet.request(set("<item jid='romeo@example.net' subscription='remove'/>"));

        assertThat(juliet.pushes().get(0).getChildElement().element("item").attributeValue("subscription"))
                .isEqualTo("remove");
        List<IQ> pushes = romeo.pushes();
        assertThat(pushes.get(pushes.size() - 1).getChildElement().element("item").attributeValue("subscription"))
                .isEqualTo("none");
        assertThat(romeo.presences(p -> p.getType() == Presence.Type.unavailable
                && p.getFrom().toString().equals("juliet@example.net/balcony"))).hasSize(1);
        assertThat(juliet.presences(p -> p.getType() == Presence.Type.unavailable
                && p.getFrom().toString().equals("romeo@example.net/orchard"))).hasSize(1);
    }

    @Test
    void aSubscriptionThatWouldOverflowTheRosterIsRefused() throws Exception {
        Client juliet = server.login("juliet", "balcony");
        Client romeo = server.login("romeo", "orchard");
        for (String contact : List.of("a", "b", "c")) {
            juliet.request(set("<item jid='" + contact + "@example.net'/>"));
        }
        Presence subscribe = new Presence(Presence.Type.subscribe);
        subscribe.setTo("romeo@example.net");

        juliet.send(subscribe);

        assertThat(juliet.presences(p -> p.getType() == Presence.Type.error)).singleElement()
                .satisfies(e -> assertThat(e.getError().getCondition()).isEqualTo(PacketError.Condition.not_allowed));
        assertThat(romeo.presences(p -> p.getType() == Presence.Type.subscribe)).isEmpty();
    }

    @Test
    void unsubscribingEndsTheSubscriptionOnBothRostersAndTheContactGoesOffline() {
        Client romeo = server.login("romeo", "orchard");
        Client juliet = server.login("juliet", "balcony");
        mutual(romeo, juliet);
        romeo.take();
        juliet.take();

        Presence unsubscribe = new Presence(Presence.Type.unsubscribe);
        unsubscribe.setTo("juliet@example.net");
        romeo.send(unsubscribe);

        assertThat(item(romeo.pushes(), "juliet@example.net").attributeValue("subscription")).isEqualTo("from");
        assertThat(item(juliet.pushes(), "romeo@example.net").attributeValue("subscription")).isEqualTo("to");
        assertThat(juliet.presences(p -> p.getType() == Presence.Type.unsubscribe)).as("A.3.2: delivered").hasSize(1);
        assertThat(romeo.presences(p -> p.getType() == Presence.Type.unavailable
                && p.getFrom().toString().equals("juliet@example.net/balcony"))).as("§3.3.3").hasSize(1);
        juliet.take();

        Presence away = new Presence();
        away.setShow(Presence.Show.away);
        romeo.send(away);
        assertThat(juliet.presences(p -> p.getFrom().getNode().equals("romeo"))).as("Juliet still sees Romeo").hasSize(1);
        romeo.take();
        juliet.send(away.createCopy());
        assertThat(romeo.presences(p -> p.getFrom().getNode().equals("juliet") && p.getType() == null))
                .as("but Romeo no longer sees Juliet").isEmpty();
    }

    static void mutual(Client a, Client b) {
        for (Client[] pair : new Client[][] {{a, b}, {b, a}}) {
            Presence subscribe = new Presence(Presence.Type.subscribe);
            subscribe.setTo(pair[1].jid().asBareJID());
            pair[0].send(subscribe);
            Presence approve = new Presence(Presence.Type.subscribed);
            approve.setTo(pair[0].jid().asBareJID());
            pair[1].send(approve);
        }
    }

    static Element item(List<IQ> pushes, String jid) {
        Element last = null;
        for (IQ push : pushes) {
            Element item = push.getChildElement().element("item");
            if (item != null && jid.equals(item.attributeValue("jid"))) {
                last = item;
            }
        }
        assertThat(last).as("a push for " + jid).isNotNull();
        return last;
    }
}
