package im.tongyou.server.xml;

import com.fasterxml.aalto.AsyncByteBufferFeeder;
import com.fasterxml.aalto.AsyncXMLStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * The stream element as a client's header opened it (RFC 6120 §4.7): its prefix and the namespace
 * bindings it declared, which the stanzas of the stream may use (§4.8). From them a new parser
 * can continue a stream whose first parser was released: it is fed a start tag with the same
 * prefix and bindings, so it resolves names and expects the closing tag as the first one did.
 *
 * <p>Immutable. The usual header ({@code jabber:client} as the default namespace and the
 * {@code stream} prefix) shares one instance, so that an idle stream holds no copy of it.
 */
final class StreamElement {

    private static final String CLIENT_NS = "jabber:client";
    private static final StreamElement USUAL = new StreamElement("stream",
            new String[] {"", CLIENT_NS, "stream", StreamOpen.STREAM_NAMESPACE});
    private static final StreamElement USUAL_SWAPPED = new StreamElement("stream",
            new String[] {"stream", StreamOpen.STREAM_NAMESPACE, "", CLIENT_NS});

    private final String prefix;
    /** prefix, URI, prefix, URI... ("" for no prefix). */
    private final String[] bindings;

    private StreamElement(String prefix, String[] bindings) {
        this.prefix = prefix;
        this.bindings = bindings;
    }

    /** Reads the element from a parser on the START_ELEMENT event of the stream header. */
    static StreamElement of(XMLStreamReader parser) {
        String prefix = orEmpty(parser.getPrefix());
        int count = parser.getNamespaceCount();
        String[] bindings = new String[count * 2];
        for (int i = 0; i < count; i++) {
            bindings[2 * i] = orEmpty(parser.getNamespacePrefix(i));
            bindings[2 * i + 1] = orEmpty(parser.getNamespaceURI(i));
        }
        for (StreamElement usual : new StreamElement[] {USUAL, USUAL_SWAPPED}) {
            if (usual.prefix.equals(prefix) && Arrays.equals(usual.bindings, bindings)) {
                return usual;
            }
        }
        return new StreamElement(prefix, bindings);
    }

    /** The start tag, as UTF-8: {@code <prefix:stream xmlns...='...'>}. */
    byte[] startTag() {
        StringBuilder tag = new StringBuilder(128).append('<');
        if (!prefix.isEmpty()) {
            tag.append(prefix).append(':');
        }
        tag.append("stream");
        for (int i = 0; i < bindings.length; i += 2) {
            tag.append(" xmlns");
            if (!bindings[i].isEmpty()) {
                tag.append(':').append(bindings[i]);
            }
            tag.append("='");
            appendEscaped(tag, bindings[i + 1]);
            tag.append('\'');
        }
        return tag.append('>').toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The length in bytes of {@link #startTag()}: the offset at which a new parser's input continues. */
    int length() {
        return startTag().length;
    }

    /**
     * A new parser that has read the start tag and waits inside the stream element.
     *
     * @throws IllegalStateException if the tag does not parse back into one open element, a defect
     */
    AsyncXMLStreamReader<AsyncByteBufferFeeder> newParser() {
        AsyncXMLStreamReader<AsyncByteBufferFeeder> parser = AsyncParsers.newParser();
        try {
            parser.getInputFeeder().feedInput(ByteBuffer.wrap(startTag()));
            int event;
            int last = -1;
            while ((event = parser.next()) != AsyncXMLStreamReader.EVENT_INCOMPLETE) {
                last = event;
            }
            if (last != XMLStreamConstants.START_ELEMENT || parser.getDepth() != 1) {
                throw new IllegalStateException("the stream's start tag did not parse back: event " + last);
            }
            return parser;
        } catch (XMLStreamException e) {
            throw new IllegalStateException("the stream's start tag did not parse back", e);
        }
    }

    private static void appendEscaped(StringBuilder out, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '\'' -> out.append("&apos;");
                default -> out.append(c);
            }
        }
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
