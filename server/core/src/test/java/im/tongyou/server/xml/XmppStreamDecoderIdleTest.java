package im.tongyou.server.xml;

import static im.tongyou.server.xml.Decoding.bytewise;
import static im.tongyou.server.xml.Decoding.describe;
import static im.tongyou.server.xml.Decoding.feed;
import static im.tongyou.server.xml.Decoding.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xmpp.packet.StreamError.Condition;

/**
 * An idle stream's decoder releases its parser between stanzas (ALL_IDLE) and continues the same
 * stream with a new one: what comes out must not depend on whether or where it was released.
 */
class XmppStreamDecoderIdleTest {

    static final String HEADER = XmppStreamDecoderFaultTest.HEADER;
    static final String MESSAGE = "<message to='juliet@tongyou.im' type='chat' xml:lang='en'>"
            + "<body>Wherefore art thou &amp; why?</body><x:thread xmlns:x='urn:example:x'>t1</x:thread></message>";
    static final String PRESENCE = "<presence><show>away</show><status>手机</status></presence>";

    /** Records what passes the decoder: stanzas and user events. */
    static final class Recorder extends ChannelInboundHandlerAdapter {
        final List<Object> events = new ArrayList<>();

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            events.add(evt);
        }
    }

    private final XmppStreamDecoder decoder = new XmppStreamDecoder(Decoding.MAX_BYTES, Decoding.MAX_DEPTH);
    private final Recorder recorder = new Recorder();
    private final EmbeddedChannel channel = new EmbeddedChannel(decoder, recorder);

    private void idle() {
        channel.pipeline().fireUserEventTriggered(IdleStateEvent.ALL_IDLE_STATE_EVENT);
    }

    /** What the same input gives on a decoder that is never released. */
    private static String reference(String... inputs) {
        StringBuilder all = new StringBuilder();
        for (String input : inputs) {
            all.append(input);
        }
        return describe(Decoding.decode(utf8(all.toString())));
    }

    @Test
    void aStanzaAfterAReleaseIsDecodedAsWithoutOne() {
        List<Object> events = new ArrayList<>(feed(channel, utf8(HEADER), utf8(PRESENCE)));
        idle();
        assertThat(decoder.holdsParser()).isFalse();

        events.addAll(feed(channel, utf8(MESSAGE)));

        assertThat(decoder.holdsParser()).isTrue();
        assertThat(describe(events)).isEqualTo(reference(HEADER, PRESENCE, MESSAGE));
        assertThat(events).hasSize(3);
    }

    @Test
    void aStanzaSplitIntoSingleBytesAfterAReleaseIsDecodedAsWithoutOne() {
        List<Object> events = new ArrayList<>(feed(channel, utf8(HEADER + PRESENCE)));
        idle();

        events.addAll(feed(channel, bytewise(utf8(MESSAGE))));
        idle();
        events.addAll(feed(channel, bytewise(utf8(PRESENCE))));

        assertThat(describe(events)).isEqualTo(reference(HEADER, PRESENCE, MESSAGE, PRESENCE));
    }

    @Test
    void aStanzaHalfReadIsNotReleasedAndCompletesAfterTheIdleEvent() {
        byte[][] halves = Decoding.split(utf8(MESSAGE), 40);
        List<Object> events = new ArrayList<>(feed(channel, utf8(HEADER), halves[0]));
        idle();
        assertThat(decoder.holdsParser()).isTrue();

        events.addAll(feed(channel, halves[1]));

        assertThat(describe(events)).isEqualTo(reference(HEADER, MESSAGE));
    }

    @Test
    void anIncompleteTagBetweenStanzasIsNotReleased() {
        List<Object> events = new ArrayList<>(feed(channel, utf8(HEADER + PRESENCE + "<mess")));
        idle();
        assertThat(decoder.holdsParser()).isTrue();

        events.addAll(feed(channel, utf8(MESSAGE.substring(5))));

        assertThat(describe(events)).isEqualTo(reference(HEADER, PRESENCE, MESSAGE));
    }

    @Test
    void anIncompleteTagSpreadOverChunksAfterWhitespaceIsNotReleased() {
        List<Object> events = new ArrayList<>(feed(channel, utf8(HEADER + PRESENCE), utf8(" "), utf8("<me"), utf8("ss")));
        idle();
        assertThat(decoder.holdsParser()).isTrue();

        events.addAll(feed(channel, utf8(MESSAGE.substring(5))));

        assertThat(describe(events)).isEqualTo(reference(HEADER, PRESENCE, " ", MESSAGE));
    }

    @Test
    void whitespaceKeepalivesDoNotPreventARelease() {
        List<Object> events = new ArrayList<>(feed(channel, utf8(HEADER + PRESENCE), utf8(" "), utf8("\n\t ")));
        idle();
        assertThat(decoder.holdsParser()).isFalse();

        events.addAll(feed(channel, utf8(" " + MESSAGE)));

        assertThat(describe(events)).isEqualTo(reference(HEADER, PRESENCE, MESSAGE));
    }

    @Test
    void noReleaseBeforeTheStreamHeader() {
        List<Object> events = new ArrayList<>(feed(channel, utf8("<?xml version='1.0'?>")));
        idle();
        assertThat(decoder.holdsParser()).isTrue();

        events.addAll(feed(channel, utf8(HEADER + PRESENCE)));

        assertThat(describe(events)).isEqualTo(reference("<?xml version='1.0'?>", HEADER, PRESENCE));
    }

    @Test
    void anIdleEventAfterAFaultRevivesNothing() {
        List<Object> events = feed(channel, utf8(HEADER + PRESENCE + "oops"));
        assertThat(events).last().isInstanceOfSatisfying(StreamFault.class,
                f -> assertThat(f.condition()).isEqualTo(Condition.bad_format));
        idle();

        assertThat(feed(channel, utf8(PRESENCE))).as("nothing is decoded after a fault").isEmpty();
    }

    @Test
    void theHeadersPrefixAndBindingsCarryOverToTheNewParser() {
        String header = "<s:stream xmlns:s='http://etherx.jabber.org/streams' xmlns='jabber:client'"
                + " xmlns:e='urn:example:a&amp;b&apos;c' version='1.0'>";
        String stanza = "<message><e:thing e:attr='v'>text</e:thing></message>";
        List<Object> events = new ArrayList<>(feed(channel, utf8(header), utf8(stanza)));
        idle();
        assertThat(decoder.holdsParser()).isFalse();

        events.addAll(feed(channel, utf8(stanza), utf8("</s:stream>")));

        assertThat(describe(events)).isEqualTo(reference(header, stanza, stanza, "</s:stream>"));
        assertThat(describe(events)).contains("{urn:example:a&b'c}");
        assertThat(events).last().isSameAs(StreamClose.INSTANCE);
    }

    @Test
    void theClosingTagAfterAReleaseEndsTheStream() {
        feed(channel, utf8(HEADER + PRESENCE));
        idle();

        assertThat(feed(channel, utf8("</stream:stream>"))).containsExactly(StreamClose.INSTANCE);
    }

    @Test
    void aWrongClosingTagAfterAReleaseIsStillNotWellFormed() {
        feed(channel, utf8(HEADER + PRESENCE));
        idle();

        List<Object> events = feed(channel, utf8("</other:stream>"));

        assertThat(events).singleElement().isInstanceOf(StreamFault.class);
        assertThat(describe(events)).isEqualTo(reference(HEADER, PRESENCE, "</other:stream>").lines().skip(2)
                .findFirst().orElseThrow());
    }

    @Test
    void theSizeLimitCountsFromTheRestart() {
        int limit = 200;
        XmppStreamDecoder small = new XmppStreamDecoder(limit, Decoding.MAX_DEPTH);
        EmbeddedChannel smallChannel = new EmbeddedChannel(small);
        feed(smallChannel, utf8(HEADER + PRESENCE));
        smallChannel.pipeline().fireUserEventTriggered(IdleStateEvent.ALL_IDLE_STATE_EVENT);
        assertThat(small.holdsParser()).isFalse();
        String fits = "<message><body>" + "a".repeat(limit - 32) + "</body></message>";
        assertThat(fits).hasSize(limit);

        List<Object> events = feed(smallChannel, utf8(fits), utf8("<message><body>" + "b".repeat(limit) + "</body></message>"));

        assertThat(events).hasSize(2);
        assertThat(describe(events.get(0))).contains("[text:" + "a".repeat(limit - 32) + "]");
        assertThat(events.get(1)).isInstanceOfSatisfying(StreamFault.class,
                f -> assertThat(f.condition()).isEqualTo(Condition.policy_violation));
    }

    @Test
    void aRestartedStreamForgetsTheReleasedHeader() {
        feed(channel, utf8("<s:stream xmlns:s='http://etherx.jabber.org/streams' xmlns='jabber:client' version='1.0'>"));
        decoder.reset();
        List<Object> events = new ArrayList<>(feed(channel, utf8(HEADER)));
        idle();

        events.addAll(feed(channel, utf8(PRESENCE + "</stream:stream>")));

        assertThat(describe(events)).isEqualTo(reference(HEADER, PRESENCE, "</stream:stream>"));
    }

    @Test
    void idleEventsArePassedOnAndOnlyAllIdleReleases() {
        feed(channel, utf8(HEADER + PRESENCE));

        channel.pipeline().fireUserEventTriggered(IdleStateEvent.READER_IDLE_STATE_EVENT);
        assertThat(decoder.holdsParser()).isTrue();
        idle();
        idle();

        assertThat(decoder.holdsParser()).isFalse();
        assertThat(recorder.events).containsExactly(IdleStateEvent.READER_IDLE_STATE_EVENT,
                IdleStateEvent.ALL_IDLE_STATE_EVENT, IdleStateEvent.ALL_IDLE_STATE_EVENT);
        assertThat(describe(feed(channel, utf8(PRESENCE)))).isEqualTo(reference(HEADER, PRESENCE).lines().toList().get(1));
    }
}
