package im.tongyou.server.feature.offline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import im.tongyou.api.SessionEvent;
import im.tongyou.api.StanzaErrorException;
import im.tongyou.api.Verdict;
import im.tongyou.server.feature.FakeSession;
import im.tongyou.server.feature.FakeSessions;
import im.tongyou.server.feature.FeatureDatabase;
import im.tongyou.server.feature.StoredXml;
import im.tongyou.server.feature.TestClock;
import im.tongyou.server.storage.TestDatabases;
import java.nio.file.Path;
import java.time.Instant;
import org.dom4j.Element;
import org.dom4j.QName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;
import org.xmpp.packet.PacketError;
import org.xmpp.packet.Presence;

/** Storing for an offline user and delivering on non-negative available presence (XEP-0160 §2). */
class OfflineDeliveryTest {

    static final Instant T0 = Instant.parse("2026-11-29T08:00:00Z");

    @TempDir
    Path dir;
    FeatureDatabase db;
    TestClock clock = new TestClock(T0);
    FakeSessions sessions = new FakeSessions();
    OfflineStore store;
    OfflineDelivery delivery;
    OfflineInterceptor interceptor;

    @BeforeEach
    void open() {
        db = FeatureDatabase.open(TestDatabases.Kind.H2, dir, clock, "im/tongyou/server/feature/offline/changelog.xml");
        store = new OfflineStore(db.dataSource(), db.crypto(), clock);
        delivery = new OfflineDelivery(store, sessions);
        interceptor = new OfflineInterceptor(store, delivery, 3, "tongyou.example", clock);
    }

    @AfterEach
    void close() {
        db.close();
    }

    static Message chat(String body) {
        Message m = new Message();
        m.setType(Message.Type.chat);
        m.setFrom(new JID("romeo@tongyou.example/orchard"));
        m.setTo(new JID("juliet@tongyou.example"));
        m.setBody(body);
        return m;
    }

    void presence(FakeSession session, int priority) {
        Presence p = session.presence();
        boolean initial = p == null;
        delivery.onSessionEvent(new SessionEvent.PresenceChanged(session, session.available(priority), initial));
    }

    static String bodies(FakeSession session) {
        return String.join(",", session.sent.stream().map(p -> ((Message) p).getBody()).toList());
    }

    @Test
    void storedMessagesReachTheFirstResourceThatComesOnlineOldestFirstWithADelay() throws Exception {
        assertThat(interceptor.intercept(chat("one"))).isEqualTo(Verdict.HANDLED);
        clock.advance(java.time.Duration.ofMinutes(5));
        assertThat(interceptor.intercept(chat("two"))).isEqualTo(Verdict.HANDLED);

        FakeSession balcony = sessions.bind("juliet@tongyou.example/balcony");
        presence(balcony, 1);

        assertThat(bodies(balcony)).isEqualTo("one,two");
        Element delay = ((Message) balcony.sent.get(0)).getElement().element(QName.get("delay", "urn:xmpp:delay"));
        assertThat(delay.attributeValue("from")).isEqualTo("tongyou.example");
        assertThat(delay.attributeValue("stamp")).isEqualTo("2026-11-29T08:00:00Z");
        assertThat(((Message) balcony.sent.get(1)).getElement().element(QName.get("delay", "urn:xmpp:delay"))
                .attributeValue("stamp")).isEqualTo("2026-11-29T08:05:00Z");
        assertThat(balcony.sent.get(0).getFrom()).isEqualTo(new JID("romeo@tongyou.example/orchard"));
        assertThat(store.count("juliet")).isZero();

        FakeSession chamber = sessions.bind("juliet@tongyou.example/chamber");
        presence(chamber, 5);
        assertThat(chamber.sent).isEmpty(); // delivered once, to the first
    }

    @Test
    void aNegativePriorityWaitsUntilTheResourceTurnsNonNegative() throws Exception {
        interceptor.intercept(chat("hold"));
        FakeSession phone = sessions.bind("juliet@tongyou.example/phone");

        presence(phone, -1);
        assertThat(phone.sent).isEmpty();
        presence(phone, 0);
        assertThat(bodies(phone)).isEqualTo("hold");
        presence(phone, 3); // still eligible: nothing more to send, no second flush
        assertThat(phone.sent).hasSize(1);
    }

    @Test
    void aFullQueueBouncesWithServiceUnavailable() throws Exception {
        for (int i = 0; i < 3; i++) {
            interceptor.intercept(chat("m" + i));
        }
        assertThatThrownBy(() -> interceptor.intercept(chat("one too many")))
                .isInstanceOfSatisfying(StanzaErrorException.class, e ->
                        assertThat(e.condition()).isEqualTo(PacketError.Condition.service_unavailable));
        assertThat(store.count("juliet")).isEqualTo(3);
    }

    @Test
    void chatStatesAreDroppedAndNoStoreIsLeftToTheRoutersBounce() throws Exception {
        Message typing = new Message(StoredXml.parse("<message xmlns='jabber:client' type='chat' to='juliet@tongyou.example'>"
                + "<composing xmlns='http://jabber.org/protocol/chatstates'/></message>"), true);
        Message noStore = chat("do not keep me");
        noStore.addChildElement("no-store", "urn:xmpp:hints");

        assertThat(interceptor.intercept(typing)).isEqualTo(Verdict.DROP);
        assertThat(interceptor.intercept(noStore)).isEqualTo(Verdict.CONTINUE);
        assertThat(store.count("juliet")).isZero();
    }

    @Test
    void aDelayForgedInTheServersNameIsRemovedBeforeRoutingAndOthersAreKept() throws Exception {
        Message m = chat("composed on a plane");
        m.getElement().addElement(QName.get("delay", "urn:xmpp:delay")).addAttribute("from", "tongyou.example")
                .addAttribute("stamp", "1999-01-01T00:00:00Z");
        m.getElement().addElement(QName.get("delay", "urn:xmpp:delay")).addAttribute("from", "romeo@tongyou.example/orchard")
                .addAttribute("stamp", "2026-11-28T00:00:00Z");

        assertThat(interceptor.removeForgedDelays(m)).isEqualTo(Verdict.CONTINUE);
        interceptor.intercept(m);

        FakeSession balcony = sessions.bind("juliet@tongyou.example/balcony");
        presence(balcony, 0);
        var delays = ((Message) balcony.sent.get(0)).getElement().elements(QName.get("delay", "urn:xmpp:delay"));
        assertThat(delays).extracting(d -> d.attributeValue("stamp"))
                .containsExactlyInAnyOrder("2026-11-28T00:00:00Z", "2026-11-29T08:00:00Z");
    }

    @Test
    void aMessageTheServerAlreadyDelayedKeepsItsFirstStamp() throws Exception {
        // Stream management's second chance, or an offline message handed to a session that died.
        Message again = chat("handed over, never acknowledged");
        again.getElement().addElement(QName.get("delay", "urn:xmpp:delay")).addAttribute("from", "tongyou.example")
                .addAttribute("stamp", "2026-11-28T21:00:00Z");
        interceptor.intercept(again);

        FakeSession balcony = sessions.bind("juliet@tongyou.example/balcony");
        presence(balcony, 0);
        assertThat(((Message) balcony.sent.get(0)).getElement().elements(QName.get("delay", "urn:xmpp:delay")))
                .singleElement().satisfies(d -> assertThat(d.attributeValue("stamp")).isEqualTo("2026-11-28T21:00:00Z"));
    }

    @Test
    void serverMessagesKeepTheirDelays() {
        Message fromServer = chat("a notice");
        fromServer.setFrom(new JID("tongyou.example"));
        fromServer.getElement().addElement(QName.get("delay", "urn:xmpp:delay")).addAttribute("from", "tongyou.example")
                .addAttribute("stamp", "2026-11-28T21:00:00Z");

        interceptor.removeForgedDelays(fromServer);

        assertThat(fromServer.getElement().elements(QName.get("delay", "urn:xmpp:delay"))).hasSize(1);
    }

    @Test
    void aMessageStoredWhileTheUserComesOnlineIsDeliveredAtOnce() throws Exception {
        // The session is already eligible but its presence event ran before the message was stored.
        FakeSession balcony = sessions.bind("juliet@tongyou.example/balcony");
        presence(balcony, 1);

        interceptor.intercept(chat("just in time"));

        assertThat(bodies(balcony)).isEqualTo("just in time");
        assertThat(store.count("juliet")).isZero();
    }

    @Test
    void messagesStayStoredWhenTheSessionClosedBeforeDelivery() throws Exception {
        interceptor.intercept(chat("later"));
        FakeSession balcony = sessions.bind("juliet@tongyou.example/balcony");
        balcony.available(1);
        balcony.closeNow();

        delivery.flush(balcony);

        assertThat(store.count("juliet")).isEqualTo(1);
    }

    @Test
    void aMessageWithoutToIsKeptForItsSender() throws Exception {
        Message note = new Message();
        note.setFrom(new JID("juliet@tongyou.example/balcony"));
        note.setBody("note to self");

        interceptor.intercept(note);

        assertThat(store.next("juliet", 0, 1)).singleElement()
                .satisfies(s -> assertThat(s.message().getTo()).isEqualTo(new JID("juliet@tongyou.example")));
    }
}
