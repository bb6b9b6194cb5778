package im.tongyou.server.feature.muc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;

/** Discussion history management (XEP-0045 §7.2.14): "the smallest amount of traffic that meets any combination". */
class RoomHistoryTest {

    static final Instant T0 = Instant.parse("2026-11-29T10:00:00Z");

    RoomHistory history = new RoomHistory(5);

    void add(String body, int secondsAfterT0) {
        Message m = new Message();
        m.setFrom(new JID("coven@chat.shakespeare.lit/firstwitch"));
        m.setType(Message.Type.groupchat);
        m.setBody(body);
        history.add(m, T0.plusSeconds(secondsAfterT0), "crone1@shakespeare.lit");
    }

    List<String> bodies(RoomHistory.Request request, int nowAfterT0) {
        return history.select(request, T0.plusSeconds(nowAfterT0)).stream().map(e -> e.message().getBody()).toList();
    }

    @Test
    void keepsOnlyTheNewestMessagesUpToItsCapacity() {
        for (int i = 1; i <= 7; i++) {
            add("m" + i, i);
        }
        assertThat(bodies(RoomHistory.Request.ALL, 10)).containsExactly("m3", "m4", "m5", "m6", "m7");
        history.capacity(2);
        assertThat(bodies(RoomHistory.Request.ALL, 10)).containsExactly("m6", "m7");
    }

    @Test
    void eachLimitAndTheirCombination() {
        add("first", 0);
        add("second", 100);
        add("third", 200);
        assertThat(bodies(new RoomHistory.Request(null, 2, null, null), 300)).containsExactly("second", "third");
        assertThat(bodies(new RoomHistory.Request(null, null, 150, null), 300)).containsExactly("third");
        assertThat(bodies(new RoomHistory.Request(null, null, null, T0.plusSeconds(50)), 300))
                .containsExactly("second", "third");
        // since and seconds together: the later bound wins; maxstanzas cuts further.
        assertThat(bodies(new RoomHistory.Request(null, 1, 250, T0.plusSeconds(50)), 300)).containsExactly("third");
    }

    @Test
    void maxcharsCountsWholeStanzasAndZeroMeansNone() {
        add("first", 0);
        add("second", 1);
        int one = history.select(RoomHistory.Request.ALL, T0).get(1).chars();
        assertThat(bodies(new RoomHistory.Request(one, null, null, null), 5)).containsExactly("second");
        assertThat(bodies(new RoomHistory.Request(one - 1, null, null, null), 5)).isEmpty(); // never a truncated stanza
        assertThat(bodies(new RoomHistory.Request(0, null, null, null), 5)).isEmpty();
    }

    @Test
    void parsesTheHistoryElementAndIgnoresNonsense() {
        RoomHistory.Request r = RoomHistory.Request.from(MucHarness.element(
                "<history xmlns='http://jabber.org/protocol/muc' maxchars='65000' maxstanzas='x' seconds='-5'"
                        + " since='1970-01-01T00:00:00Z'/>"));
        assertThat(r.maxChars()).isEqualTo(65000);
        assertThat(r.maxStanzas()).isNull();
        assertThat(r.seconds()).isZero();
        assertThat(r.since()).isEqualTo(Instant.EPOCH);
    }

    @Test
    void anErasedUsersMessagesGo() {
        add("mine", 0);
        Message other = new Message();
        other.setBody("theirs");
        history.add(other, T0, "hag66@shakespeare.lit");
        history.removeSender("crone1@shakespeare.lit");
        assertThat(bodies(RoomHistory.Request.ALL, 1)).containsExactly("theirs");
    }
}
