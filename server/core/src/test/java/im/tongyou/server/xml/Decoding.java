package im.tongyou.server.xml;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.dom4j.Attribute;
import org.dom4j.Element;
import org.dom4j.Namespace;
import org.dom4j.Node;
import org.dom4j.io.SAXReader;

/** Test helpers: feed bytes to an {@link XmppStreamDecoder} in chunks and describe what came out. */
final class Decoding {

    static final int MAX_BYTES = 64 * 1024;
    static final int MAX_DEPTH = 16;

    private Decoding() {
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Feeds each chunk as its own buffer and returns every event, checking no buffer leaked. */
    static List<Object> decode(XmppStreamDecoder decoder, byte[]... chunks) {
        EmbeddedChannel channel = new EmbeddedChannel(decoder);
        List<Object> events = feed(channel, chunks);
        channel.finishAndReleaseAll();
        return events;
    }

    static List<Object> decode(byte[]... chunks) {
        return decode(new XmppStreamDecoder(MAX_BYTES, MAX_DEPTH), chunks);
    }

    /** Feeds chunks on an open channel, alternating buffer kinds; returns the events read. */
    static List<Object> feed(EmbeddedChannel channel, byte[]... chunks) {
        List<Object> events = new ArrayList<>();
        for (int i = 0; i < chunks.length; i++) {
            ByteBuf buf = buffer(chunks[i], i);
            channel.writeInbound(buf);
            channel.checkException();       // nothing may reach exceptionCaught
            assertThat(buf.refCnt()).as("buffer %d released", i).isZero();
            for (Object event; (event = channel.readInbound()) != null; ) {
                events.add(event);
            }
        }
        return events;
    }

    /** A heap buffer, a pooled direct buffer read from a non-zero index, or a composite. */
    static ByteBuf buffer(byte[] bytes, int kind) {
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
                ByteBuf direct = Unpooled.directBuffer(bytes.length - half + 1);
                direct.writeByte('#').writeBytes(bytes, half, bytes.length - half).skipBytes(1);
                composite.addComponent(true, direct);
                return composite;
            }
        }
    }

    /** Splits bytes into two chunks at an offset. */
    static byte[][] split(byte[] bytes, int at) {
        return new byte[][] {Arrays.copyOfRange(bytes, 0, at), Arrays.copyOfRange(bytes, at, bytes.length)};
    }

    /** Splits bytes into one-byte chunks. */
    static byte[][] bytewise(byte[] bytes) {
        byte[][] chunks = new byte[bytes.length][];
        for (int i = 0; i < bytes.length; i++) {
            chunks[i] = new byte[] {bytes[i]};
        }
        return chunks;
    }

    /** One line per event, elements described node by node (text node boundaries included). */
    static String describe(List<Object> events) {
        return events.stream().map(Decoding::describe).collect(Collectors.joining("\n"));
    }

    static String describe(Object event) {
        if (event instanceof Element element) {
            StringBuilder out = new StringBuilder();
            describe(element, out, true);
            return out.toString();
        }
        if (event instanceof StreamFault fault) {
            return "fault " + fault.condition().toXMPP();
        }
        return event.toString();
    }

    /** Describes names, attributes and text, but not where namespaces were declared. */
    static String describeNames(Element element) {
        StringBuilder out = new StringBuilder();
        describe(element, out, false);
        return out.toString();
    }

    /** Parses XML text with the JDK's parser through dom4j, joining adjacent text. */
    static Element parseIndependently(String xml) throws Exception {
        SAXReader reader = new SAXReader();
        reader.setMergeAdjacentText(true);
        return reader.read(new StringReader(xml)).getRootElement();
    }

    private static void describe(Element element, StringBuilder out, boolean declarations) {
        out.append('<').append(element.getQualifiedName()).append(" {").append(element.getNamespaceURI()).append('}');
        for (int i = 0; declarations && i < element.nodeCount(); i++) {
            if (element.node(i) instanceof Namespace ns) {
                out.append(" ns(").append(ns.getPrefix()).append('=').append(ns.getURI()).append(')');
            }
        }
        for (Attribute attribute : element.attributes()) {
            out.append(' ').append(attribute.getQualifiedName()).append(" {").append(attribute.getNamespaceURI())
                    .append("}=\"").append(attribute.getValue()).append('"');
        }
        out.append('>');
        for (int i = 0; i < element.nodeCount(); i++) {
            Node node = element.node(i);
            if (node instanceof Element child) {
                describe(child, out, declarations);
            } else if (node.getNodeType() == Node.TEXT_NODE) {
                out.append("[text:").append(node.getText()).append(']');
            } else if (!(node instanceof Namespace)) {
                out.append("[unexpected ").append(node.getNodeTypeName()).append(']');
            }
        }
        out.append("</>");
    }
}
