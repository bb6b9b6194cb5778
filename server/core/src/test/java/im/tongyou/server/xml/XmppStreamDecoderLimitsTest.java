package im.tongyou.server.xml;

import static im.tongyou.server.xml.Decoding.bytewise;
import static im.tongyou.server.xml.Decoding.decode;
import static im.tongyou.server.xml.Decoding.feed;
import static im.tongyou.server.xml.Decoding.split;
import static im.tongyou.server.xml.Decoding.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.dom4j.Element;
import org.junit.jupiter.api.Test;
import org.xmpp.packet.StreamError.Condition;

class XmppStreamDecoderLimitsTest {

    static final String HEADER = XmppStreamDecoderFaultTest.HEADER;
    static final int LIMIT = 300;

    /** A message of exactly {@code bytes} bytes of UTF-8, with multi-byte characters in it. */
    static String messageOf(int bytes) {
        String open = "<message><body>中";
        String close = "</body></message>";
        int fill = bytes - utf8(open).length - utf8(close).length;
        String message = open + "a".repeat(fill) + close;
        assertThat(utf8(message)).hasSize(bytes);
        return message;
    }

    static List<List<Object>> everyWay(int maxBytes, int maxDepth, byte[] input) {
        List<List<Object>> results = new ArrayList<>();
        results.add(decode(new XmppStreamDecoder(maxBytes, maxDepth), input));
        results.add(decode(new XmppStreamDecoder(maxBytes, maxDepth), bytewise(input)));
        for (int at = 1; at < input.length; at++) {
            results.add(decode(new XmppStreamDecoder(maxBytes, maxDepth), split(input, at)));
        }
        return results;
    }

    @Test
    void aStanzaOfExactlyTheLimitPasses() {
        byte[] input = utf8(HEADER + messageOf(LIMIT) + "<presence/>");
        for (List<Object> events : everyWay(LIMIT, 8, input)) {
            assertThat(events).hasSize(3).noneMatch(StreamFault.class::isInstance);
        }
    }

    @Test
    void aStanzaOneByteOverTheLimitFails() {
        byte[] input = utf8(HEADER + messageOf(LIMIT + 1) + "<presence/>");
        for (List<Object> events : everyWay(LIMIT, 8, input)) {
            assertThat(events).hasSize(2);
            assertThat(events.get(1)).isEqualTo(new StreamFault(Condition.policy_violation,
                    "stanza larger than the limit of 300 bytes"));
        }
    }

    @Test
    void anEndlessStanzaFailsAsSoonAsItsBytesPassTheLimit() {
        EmbeddedChannel channel = new EmbeddedChannel(new XmppStreamDecoder(1000, 8));
        assertThat(feed(channel, utf8(HEADER + "<message><body>"))).hasSize(1);      // 15 bytes of stanza
        for (int chunk = 1; chunk <= 9; chunk++) {
            assertThat(feed(channel, utf8("a".repeat(100)))).as("chunk %d", chunk).isEmpty();
        }
        List<Object> events = feed(channel, utf8("a".repeat(100)));     // 1015 bytes now
        assertThat(events).singleElement().isInstanceOf(StreamFault.class);
        assertThat(feed(channel, utf8("a".repeat(100) + "</body></message>"))).isEmpty();
        channel.finishAndReleaseAll();
    }

    @Test
    void anEndlessStartTagFailsToo() {
        EmbeddedChannel channel = new EmbeddedChannel(new XmppStreamDecoder(1000, 8));
        feed(channel, utf8(HEADER + "<presence/>  <message to='"));
        List<Object> events = new ArrayList<>();
        for (int chunk = 0; chunk < 20 && events.isEmpty(); chunk++) {
            events.addAll(feed(channel, utf8("x".repeat(100))));
        }
        assertThat(events).singleElement().extracting(e -> ((StreamFault) e).condition())
                .isEqualTo(Condition.policy_violation);
        channel.finishAndReleaseAll();
    }

    @Test
    void bytesBeforeTheEndOfTheHeaderCountToo() {
        int room = LIMIT - utf8(HEADER).length;
        byte[] fits = utf8(" ".repeat(room) + HEADER);
        byte[] over = utf8(" ".repeat(room + 1) + HEADER);
        for (List<Object> events : everyWay(LIMIT, 8, fits)) {
            assertThat(events).singleElement().isInstanceOf(StreamOpen.class);
        }
        for (List<Object> events : everyWay(LIMIT, 8, over)) {
            assertThat(events).containsExactly(new StreamFault(Condition.policy_violation,
                    "stream header larger than the limit of 300 bytes"));
        }
    }

    @Test
    void junkThatNeverBecomesAHeaderFailsOnceOverTheLimit() {
        EmbeddedChannel channel = new EmbeddedChannel(new XmppStreamDecoder(LIMIT, 8));
        assertThat(feed(channel, utf8("<?xml version='1.0'?>"), utf8(" ".repeat(200)))).isEmpty();
        assertThat(feed(channel, utf8(" ".repeat(100)))).singleElement().isInstanceOf(StreamFault.class);
        channel.finishAndReleaseAll();

        String hugeHeader = HEADER.replace("to='tongyou.im'", "to='" + "x".repeat(LIMIT) + "'");
        assertThat(decode(new XmppStreamDecoder(LIMIT, 8), utf8(hugeHeader)))
                .singleElement().extracting(e -> ((StreamFault) e).condition()).isEqualTo(Condition.policy_violation);
    }

    @Test
    void nestingUpToTheDepthLimitPassesAndOneLevelMoreFails() {
        byte[] deep = utf8(HEADER + "<iq><a><b/></a></iq>");            // 3 levels
        byte[] deeper = utf8(HEADER + "<iq><a><b><c/></b></a></iq>");   // 4 levels
        for (List<Object> events : everyWay(LIMIT, 3, deep)) {
            assertThat(events).hasSize(2).noneMatch(StreamFault.class::isInstance);
        }
        for (List<Object> events : everyWay(LIMIT, 3, deeper)) {
            assertThat(events).hasSize(2);
            assertThat(events.get(1)).isEqualTo(new StreamFault(Condition.policy_violation,
                    "elements nested deeper than 3 levels"));
        }
    }

    @Test
    void aPeerInventingNamesIsStopped() {
        EmbeddedChannel channel = new EmbeddedChannel(new XmppStreamDecoder(LIMIT, 8));
        List<Object> events = new ArrayList<>(feed(channel, utf8(HEADER)));
        for (int i = 0; i < 3000 && !(events.get(events.size() - 1) instanceof StreamFault); i++) {
            events.addAll(feed(channel, utf8("<presence><x" + i + "/></presence>")));
        }
        StreamFault fault = (StreamFault) events.get(events.size() - 1);
        assertThat(fault.condition()).isEqualTo(Condition.policy_violation);
        assertThat(events.stream().filter(Element.class::isInstance).count()).isGreaterThan(2000);
        channel.finishAndReleaseAll();
    }

    @Test
    void reusedNamesAreNotCountedTwice() {
        EmbeddedChannel channel = new EmbeddedChannel(new XmppStreamDecoder(LIMIT, 8));
        feed(channel, utf8(HEADER));
        for (int i = 0; i < 5000; i++) {
            assertThat(feed(channel, utf8("<presence><x" + (i % 100) + " a='" + i + "'/></presence>")))
                    .singleElement().isInstanceOf(Element.class);
        }
        channel.finishAndReleaseAll();
    }

    @Test
    void limitsMustBePositive() {
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> new XmppStreamDecoder(0, 4));
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> new XmppStreamDecoder(100, 0));
    }
}
