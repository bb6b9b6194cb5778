package im.tongyou.server.xml;

import static im.tongyou.server.xml.Decoding.bytewise;
import static im.tongyou.server.xml.Decoding.describe;
import static im.tongyou.server.xml.Decoding.feed;
import static im.tongyou.server.xml.Decoding.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.dom4j.Element;
import org.junit.jupiter.api.Test;
import org.xmpp.packet.StreamError.Condition;

class XmppStreamDecoderResetTest {

    static final String DECLARATION = "<?xml version='1.0' encoding='UTF-8'?>";
    static final String HEADER = XmppStreamDecoderFaultTest.HEADER;
    static final String STARTTLS = "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>";
    static final String AUTH = "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>"
            + "AGp1bGlldAByMG0zMG15cjBtMzA=</auth>";
    static final String BIND = "<iq type='set' id='b1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'>"
            + "<resource>手机</resource></bind></iq>";

    /** Plays the negotiator: restarts the stream from inside channelRead, as STARTTLS and SASL do. */
    static final class Negotiator extends ChannelInboundHandlerAdapter {
        final XmppStreamDecoder decoder;
        final List<Object> seen = new ArrayList<>();

        Negotiator(XmppStreamDecoder decoder) {
            this.decoder = decoder;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            seen.add(msg);
            if (msg instanceof Element element && List.of("starttls", "auth").contains(element.getName())) {
                decoder.reset();
            }
        }
    }

    static List<String> names(List<Object> events) {
        return events.stream().map(e -> e instanceof Element el ? el.getName() : e.getClass().getSimpleName()).toList();
    }

    @Test
    void resetFromInsideChannelReadDropsTheRestOfTheChunkAndStartsANewStream() {
        XmppStreamDecoder decoder = new XmppStreamDecoder(Decoding.MAX_BYTES, Decoding.MAX_DEPTH);
        Negotiator negotiator = new Negotiator(decoder);
        EmbeddedChannel channel = new EmbeddedChannel(decoder, negotiator);

        feed(channel,
                utf8(DECLARATION + HEADER + STARTTLS + "<message><body>injected in plaintext</body></message>"),
                utf8(DECLARATION + HEADER + AUTH + "<iq type='get' id='early'/>"),
                utf8(DECLARATION + HEADER + BIND + "</stream:stream>"));

        assertThat(names(negotiator.seen)).containsExactly(
                "StreamOpen", "starttls", "StreamOpen", "auth", "StreamOpen", "iq", "StreamClose");
        assertThat(((Element) negotiator.seen.get(5)).element("bind").elementText("resource")).isEqualTo("手机");
        channel.checkException();
        channel.finishAndReleaseAll();
    }

    @Test
    void whateverFollowsStarttlsInTheSameReadIsDroppedWithoutAFault() {
        // a TLS ClientHello sent too early: not XML, not even UTF-8
        byte[] clientHello = {0x16, 0x03, 0x01, 0x00, (byte) 0xa5, 0x01, 0x00, 0x00, (byte) 0xa1, 0x03, 0x03,
            (byte) 0xc1, (byte) 0xfe, (byte) 0x80, 0x00};
        ByteBuf early = Unpooled.wrappedBuffer(utf8(DECLARATION + HEADER + STARTTLS), clientHello);
        // a second buffer component holding plaintext stanzas
        CompositeByteBuf injected = Unpooled.compositeBuffer()
                .addComponent(true, Unpooled.wrappedBuffer(utf8(DECLARATION + HEADER + STARTTLS)))
                .addComponent(true, Unpooled.wrappedBuffer(utf8("<message><body>injected</body></message>")));
        for (ByteBuf first : List.of(early, injected)) {
            XmppStreamDecoder decoder = new XmppStreamDecoder(Decoding.MAX_BYTES, Decoding.MAX_DEPTH);
            Negotiator negotiator = new Negotiator(decoder);
            EmbeddedChannel channel = new EmbeddedChannel(decoder, negotiator);
            channel.writeInbound(first);
            assertThat(first.refCnt()).isZero();
            feed(channel, utf8(DECLARATION + HEADER + "<presence/>"));
            assertThat(names(negotiator.seen)).containsExactly("StreamOpen", "starttls", "StreamOpen", "presence");
            channel.checkException();
            channel.finishAndReleaseAll();
        }
    }

    @Test
    void theRestartedStreamMayArriveInAnyChunks() {
        byte[] first = utf8(DECLARATION + HEADER + STARTTLS);
        byte[] second = utf8(DECLARATION + HEADER + BIND);
        List<String> expected = List.of("StreamOpen", "starttls", "StreamOpen", "iq");
        String expectedIq = null;
        for (int at = 0; at <= second.length; at++) {
            XmppStreamDecoder decoder = new XmppStreamDecoder(Decoding.MAX_BYTES, Decoding.MAX_DEPTH);
            Negotiator negotiator = new Negotiator(decoder);
            EmbeddedChannel channel = new EmbeddedChannel(decoder, negotiator);
            // the first chunk ends with the first bytes of the new stream: those are dropped
            byte[] firstChunk = Arrays.copyOf(first, first.length + at);
            System.arraycopy(second, 0, firstChunk, first.length, at);
            feed(channel, firstChunk);
            feed(channel, bytewise(second));
            assertThat(names(negotiator.seen)).as("%d bytes sent early", at).containsExactlyElementsOf(expected);
            String iq = describe(negotiator.seen.get(3));
            assertThat(iq).isEqualTo(expectedIq == null ? iq : expectedIq);
            expectedIq = iq;
            channel.finishAndReleaseAll();
        }
    }

    @Test
    void resetBetweenChunksForgetsAPartialElementAndAPartialCharacter() {
        XmppStreamDecoder decoder = new XmppStreamDecoder(Decoding.MAX_BYTES, Decoding.MAX_DEPTH);
        EmbeddedChannel channel = new EmbeddedChannel(decoder);
        byte[] partial = utf8(HEADER + "<message><body>中");
        List<Object> events = new ArrayList<>(feed(channel, Arrays.copyOf(partial, partial.length - 2)));
        decoder.reset();
        events.addAll(feed(channel, utf8(DECLARATION + HEADER + "<presence/>")));
        assertThat(names(events)).containsExactly("StreamOpen", "StreamOpen", "presence");
        channel.finishAndReleaseAll();
    }

    @Test
    void resetStartsTheLimitsAfresh() {
        int limit = 300;
        XmppStreamDecoder decoder = new XmppStreamDecoder(limit, 4);
        EmbeddedChannel channel = new EmbeddedChannel(decoder);
        String header = " ".repeat(limit - utf8(HEADER).length) + HEADER;
        List<Object> events = new ArrayList<>(feed(channel, utf8(header)));
        decoder.reset();
        events.addAll(feed(channel, utf8(header + "<presence/>")));
        assertThat(names(events)).containsExactly("StreamOpen", "StreamOpen", "presence");
        channel.finishAndReleaseAll();
    }

    @Test
    void removingTheDecoderFromInsideAnEventStopsIt() {
        XmppStreamDecoder decoder = new XmppStreamDecoder(Decoding.MAX_BYTES, Decoding.MAX_DEPTH);
        List<Object> seen = new ArrayList<>();
        EmbeddedChannel channel = new EmbeddedChannel(decoder, new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                seen.add(msg);
                if (msg instanceof Element) {
                    ctx.pipeline().remove(decoder);
                }
            }
        });
        ByteBuf input = Unpooled.wrappedBuffer(utf8(HEADER + "<presence/><presence/>"));
        channel.writeInbound(input);
        channel.checkException();
        assertThat(names(seen)).containsExactly("StreamOpen", "presence");
        assertThat(input.refCnt()).isZero();
        channel.finishAndReleaseAll();
    }

    @Test
    void resetForgetsAFaultAndAClose() {
        XmppStreamDecoder decoder = new XmppStreamDecoder(Decoding.MAX_BYTES, Decoding.MAX_DEPTH);
        EmbeddedChannel channel = new EmbeddedChannel(decoder);
        List<Object> events = new ArrayList<>(feed(channel, utf8(HEADER + "<!-- no -->")));
        assertThat(((StreamFault) events.get(1)).condition()).isEqualTo(Condition.restricted_xml);
        decoder.reset();
        events.addAll(feed(channel, utf8(HEADER + "<presence/></stream:stream>")));
        decoder.reset();
        events.addAll(feed(channel, utf8(HEADER + "<presence/>")));
        assertThat(names(events)).containsExactly("StreamOpen", "StreamFault",
                "StreamOpen", "presence", "StreamClose", "StreamOpen", "presence");
        channel.finishAndReleaseAll();
    }
}
