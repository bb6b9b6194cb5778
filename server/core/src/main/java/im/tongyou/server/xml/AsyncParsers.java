package im.tongyou.server.xml;

import com.fasterxml.aalto.AaltoInputProperties;
import com.fasterxml.aalto.AsyncByteBufferFeeder;
import com.fasterxml.aalto.AsyncXMLInputFactory;
import com.fasterxml.aalto.AsyncXMLStreamReader;
import com.fasterxml.aalto.UncheckedStreamException;
import com.fasterxml.aalto.stax.InputFactoryImpl;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;
import org.codehaus.stax2.XMLInputFactory2;

/**
 * Creates aalto-xml non-blocking parsers configured for the restricted XML of RFC 6120 §11.1:
 * nothing is ever expanded or fetched, and what XMPP forbids is reported, not resolved.
 *
 * <p>The settings, and why:
 * <ul>
 *   <li>{@code SUPPORT_DTD = false} and {@code IS_SUPPORTING_EXTERNAL_ENTITIES = false}: no DTD
 *       is processed and no external entity is ever fetched (no XXE). With the next setting
 *       an entity declared in an internal subset is reported, never expanded, so a "billion
 *       laughs" DOCTYPE cannot blow up; the decoder rejects the DOCTYPE itself anyway.</li>
 *   <li>{@code IS_REPLACING_ENTITY_REFERENCES = false}: an entity reference other than the five
 *       predefined ones is reported as an {@code ENTITY_REFERENCE} event (in text) or as an
 *       "Unexpanded ENTITY_REFERENCE" error (in an attribute value) instead of being replaced,
 *       which is how the decoder detects it. Predefined entities and character references are
 *       still decoded.</li>
 *   <li>{@code P_RETAIN_ATTRIBUTE_GENERAL_ENTITIES = false}: with {@code true} aalto would leave
 *       {@code &foo;} in an attribute value as literal text, indistinguishable from
 *       {@code &amp;foo;}.</li>
 *   <li>{@code IS_COALESCING = false}: the async parser hands out text as it arrives, never
 *       holding more than the chunk at hand; the decoder joins the pieces itself, so memory
 *       follows the input and whitespace between stanzas never piles up in the parser.</li>
 *   <li>{@code P_INTERN_NAMES = false}, {@code P_INTERN_NS_URIS = false}: names a peer sends must
 *       not go into the JVM-wide string pool; aalto still canonicalizes them per reader, which
 *       is all the decoder's name cache needs.</li>
 * </ul>
 *
 * <p>The factory is immutable once built and aalto's factories are safe to share between
 * threads, so one instance serves every channel. Readers are never {@code close()}d: closing
 * merges the reader's symbol table (every name the peer sent) into the factory-wide table,
 * which would let peers grow shared memory; an unclosed reader is simply collected.
 */
final class AsyncParsers {

    private static final AsyncXMLInputFactory FACTORY = newFactory();

    private AsyncParsers() {
    }

    /** Returns a new parser for one XML stream, fed from NIO byte buffers. */
    static AsyncXMLStreamReader<AsyncByteBufferFeeder> newParser() {
        return FACTORY.createAsyncForByteBuffer();
    }

    /**
     * The parser's next event. COMPAT aalto-xml 1.3: a name with the reserved prefix {@code xmlns}
     * ({@code <xmlns:x/>}) makes it throw a plain RuntimeException; Namespaces in XML 1.0 §3 says
     * "Element names MUST NOT have the prefix xmlns", so it is the client's malformed XML.
     */
    static int next(AsyncXMLStreamReader<?> parser) throws XMLStreamException {
        try {
            return parser.next();
        } catch (UncheckedStreamException e) {
            throw e;
        } catch (RuntimeException e) {
            if (String.valueOf(e.getMessage()).startsWith("Trying to create non-singleton binding for ns prefix")) {
                throw new XMLStreamException("a name may not have the reserved prefix 'xmlns'");
            }
            throw e;
        }
    }

    private static AsyncXMLInputFactory newFactory() {
        AsyncXMLInputFactory factory = new InputFactoryImpl();
        factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, Boolean.TRUE);
        factory.setProperty(XMLInputFactory.IS_VALIDATING, Boolean.FALSE);
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, Boolean.FALSE);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, Boolean.FALSE);
        factory.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, Boolean.FALSE);
        factory.setProperty(XMLInputFactory.IS_COALESCING, Boolean.FALSE);
        factory.setProperty(AaltoInputProperties.P_RETAIN_ATTRIBUTE_GENERAL_ENTITIES, Boolean.FALSE);
        factory.setProperty(XMLInputFactory2.P_INTERN_NAMES, Boolean.FALSE);
        factory.setProperty(XMLInputFactory2.P_INTERN_NS_URIS, Boolean.FALSE);
        return factory;
    }
}
