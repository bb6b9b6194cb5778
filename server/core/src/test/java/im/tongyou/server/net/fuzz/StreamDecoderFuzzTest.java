package im.tongyou.server.net.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import im.tongyou.server.net.Namespaces;
import im.tongyou.server.xml.StanzaEncoder;
import im.tongyou.server.xml.StreamClose;
import im.tongyou.server.xml.StreamFault;
import im.tongyou.server.xml.StreamOpen;
import im.tongyou.server.xml.XmppStreamDecoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.dom4j.Element;
import org.xmpp.packet.StreamError;

/**
 * Fuzzes {@link XmppStreamDecoder} (RFC 6120 §4, §11): arbitrary bytes, cut into chunks at
 * arbitrary points and fed in buffers of every kind Netty hands it, must give a stream header,
 * well-formed elements within the limits, and at most one close or fault at the end; never an
 * exception, a leaked buffer, a warning, or more buffered input than a stanza may span; and the
 * same elements as when the bytes arrive in one piece.
 */
class StreamDecoderFuzzTest {

    static final int MAX_BYTES = 1024;
    static final int MAX_DEPTH = 8;
    private static final byte[] XML_SPACE = {' ', '\t', '\r', '\n'};

    @FuzzTest(maxDuration = "60s")
    void decoder(FuzzedDataProvider data) {
        int cuts = data.consumeInt(0, 6);
        int[] at = new int[cuts];
        for (int i = 0; i < cuts; i++) {
            at[i] = data.consumeInt(0, Integer.MAX_VALUE);
        }
        byte[] input = data.consumeRemainingAsBytes();
        for (int i = 0; i < cuts; i++) {
            at[i] = input.length == 0 ? 0 : at[i] % (input.length + 1);
        }
        Arrays.sort(at);
        List<byte[]> chunks = new ArrayList<>();
        int from = 0;
        for (int cut : at) {
            chunks.add(Arrays.copyOfRange(input, from, cut));
            from = cut;
        }
        chunks.add(Arrays.copyOfRange(input, from, input.length));

        WarningWatch warnings = WarningWatch.install();
        Run split = run(chunks);
        Run whole = run(List.of(input));
        warnings.assertQuiet();

        // Where the input is cut changes nothing but which limit check sees an oversized construct first.
        if (!split.elements.equals(whole.elements)) {
            throw new AssertionError("cutting the input changed the elements:\n" + split.elements + "\n" + whole.elements);
        }
        // Input wrong in two ways may be reported by either fault, depending on where it is cut.
        boolean bothFaults = isFault(split.terminal) && isFault(whole.terminal);
        if (!Objects.equals(split.terminal, whole.terminal) && !bothFaults
                && !(isLimit(split.terminal) || isLimit(whole.terminal))) {
            throw new AssertionError("cutting the input changed the end: " + split.terminal + " / " + whole.terminal);
        }
        if (split.opened != whole.opened) {
            throw new AssertionError("cutting the input changed whether the stream opened");
        }
    }

    private static boolean isFault(String terminal) {
        return terminal != null && !terminal.equals("close");
    }

    private static boolean isLimit(String terminal) {
        return terminal != null && terminal.equals(StreamError.Condition.policy_violation.toXMPP());
    }

    /** What one decoder made of the chunks. */
    private static final class Run {
        boolean opened;
        String terminal;
        final List<String> elements = new ArrayList<>();
    }

    private static Run run(List<byte[]> chunks) {
        EmbeddedChannel channel = new EmbeddedChannel(new XmppStreamDecoder(MAX_BYTES, MAX_DEPTH));
        EmbeddedChannel encoder = new EmbeddedChannel(new StanzaEncoder(Namespaces.CLIENT));
        Run run = new Run();
        // Bytes since the last event, after the whitespace that may lead them: a lower bound of what
        // the decoder holds. Before the header everything counts.
        long pending = 0;
        boolean leading = true;
        for (int i = 0; i < chunks.size(); i++) {
            byte[] chunk = chunks.get(i);
            ByteBuf buf = buffer(chunk, i);
            channel.writeInbound(buf);
            channel.checkException();
            if (chunk.length > 0 && buf.refCnt() != 0) { // (an empty wrapped array is a shared, unreleasable buffer)
                throw new AssertionError("the decoder kept a buffer");
            }
            boolean event = false;
            for (Object msg; (msg = channel.readInbound()) != null; ) {
                event = true;
                if (run.terminal != null) {
                    throw new AssertionError("an event after the end of the stream: " + msg);
                }
                if (msg instanceof StreamOpen) {
                    if (run.opened) {
                        throw new AssertionError("a second stream header without a reset");
                    }
                    run.opened = true;
                } else if (msg instanceof Element element) {
                    if (!run.opened) {
                        throw new AssertionError("an element before the stream header");
                    }
                    run.elements.add(checked(element, encoder));
                } else if (msg instanceof StreamClose) {
                    run.terminal = "close";
                } else if (msg instanceof StreamFault fault) {
                    if (fault.condition() == StreamError.Condition.internal_server_error) {
                        throw new AssertionError("the decoder failed on input: " + fault.text());
                    }
                    run.terminal = fault.condition().toXMPP();
                } else {
                    throw new AssertionError("an unknown event: " + msg);
                }
            }
            if (event) {
                // the rest of an event's chunk is not counted, nor whitespace leading the next: a lower bound
                pending = 0;
                leading = true;
                continue;
            }
            for (byte b : chunk) {
                if (leading && run.opened && isSpace(b)) {
                    continue;
                }
                leading = false;
                pending++;
            }
            if (run.terminal == null && pending > MAX_BYTES) {
                throw new AssertionError("the decoder holds more than " + MAX_BYTES + " bytes without a fault: " + pending);
            }
        }
        channel.finishAndReleaseAll();
        encoder.finishAndReleaseAll();
        return run;
    }

    /** The element within the depth limit, and well-formed once the server writes it out again. */
    private static String checked(Element element, EmbeddedChannel encoder) {
        int depth = depth(element);
        if (depth > MAX_DEPTH) {
            throw new AssertionError("an element nested " + depth + " deep, above the limit of " + MAX_DEPTH);
        }
        encoder.writeOutbound(element);
        ByteBuf out = encoder.readOutbound();
        String xml = out.toString(StandardCharsets.UTF_8);
        out.release();
        WellFormed.assertDocument("<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>"
                + xml + "</stream:stream>", "a decoded element written out again");
        return xml;
    }

    private static int depth(Element element) {
        int deepest = 0;
        for (Element child : element.elements()) {
            deepest = Math.max(deepest, depth(child));
        }
        return deepest + 1;
    }

    private static boolean isSpace(byte b) {
        for (byte s : XML_SPACE) {
            if (b == s) {
                return true;
            }
        }
        return false;
    }

    /** A heap buffer, a pooled direct buffer read from a non-zero index, or a composite. */
    private static ByteBuf buffer(byte[] bytes, int kind) {
        switch (kind % 3) {
            case 0:
                return Unpooled.wrappedBuffer(bytes);
            case 1: {
                ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(bytes.length + 7);
                buf.writeBytes(new byte[7]).writeBytes(bytes).skipBytes(7);
                return buf;
            }
            default: {
                CompositeByteBuf composite = Unpooled.compositeBuffer();
                int half = bytes.length / 2;
                composite.addComponent(true, Unpooled.wrappedBuffer(Arrays.copyOfRange(bytes, 0, half)));
                composite.addComponent(true, Unpooled.wrappedBuffer(Arrays.copyOfRange(bytes, half, bytes.length)));
                return composite;
            }
        }
    }
}
