package im.tongyou.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.xmpp.packet.Message;

/** XEP-0198 counters: acknowledgement, the unacknowledged queue, and wrapping at 2^32. */
class StreamManagementTest {

    static Message message(String body) {
        Message m = new Message();
        m.setBody(body);
        return m;
    }

    @Test
    void acknowledgementsRemoveTheOldestStanzas() {
        StreamManagement sm = new StreamManagement("id", true, 10);
        sm.sent(message("1"));
        sm.sent(message("2"));
        sm.sent(message("3"));

        assertThat(sm.acknowledge(2)).isTrue();

        assertThat(sm.unacked()).extracting(p -> ((Message) p).getBody()).containsExactly("3");
        assertThat(sm.acknowledge(2)).isTrue(); // the same h again is no news
        assertThat(sm.unackedCount()).isEqualTo(1);
    }

    @Test
    void anAcknowledgementOfMoreThanWasSentIsRefused() {
        StreamManagement sm = new StreamManagement("id", true, 10);
        sm.sent(message("1"));

        assertThat(sm.acknowledge(2)).isFalse();
        assertThat(sm.unackedCount()).isEqualTo(1);
    }

    @Test
    void theQueueIsBounded() {
        StreamManagement sm = new StreamManagement("id", true, 2);

        assertThat(sm.sent(message("1"))).isTrue();
        assertThat(sm.sent(message("2"))).isTrue();
        assertThat(sm.sent(message("3"))).isFalse();
    }

    @Test
    void acknowledgementsWorkAcrossTheWrapAt2To32() throws Exception {
        StreamManagement sm = new StreamManagement("id", true, 100);
        var acked = StreamManagement.class.getDeclaredField("ackedOutbound");
        acked.setAccessible(true);
        acked.setLong(sm, 0xFFFFFFFEL); // the client has acknowledged 2^32 - 2 stanzas so far
        for (int i = 0; i < 4; i++) {
            sm.sent(message("m" + i));
        }

        assertThat(sm.acknowledge(1)).isTrue(); // 2^32 - 2 + 3 wraps to 1

        assertThat(sm.unacked()).extracting(p -> ((Message) p).getBody()).containsExactly("m3");
    }

    @Test
    void handledCountWrapsToZero() throws Exception {
        StreamManagement sm = new StreamManagement("id", false, 10);
        var field = StreamManagement.class.getDeclaredField("handledInbound");
        field.setAccessible(true);
        field.setLong(sm, 0xFFFFFFFFL);

        sm.handled();

        assertThat(sm.handledInbound()).isZero();
    }
}
