package im.tongyou.server.xml;

import java.util.Arrays;
import javax.xml.XMLConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.dom4j.DocumentFactory;
import org.dom4j.Element;
import org.dom4j.Namespace;
import org.xmpp.packet.StreamError;

/**
 * Builds one first-level child of an XML stream (RFC 6120 §4.1: a stanza or a negotiation
 * element) as a detached dom4j element, from the events of a namespace-aware parser.
 *
 * <p>Namespaces: the parser resolves every name against the bindings in scope, including the
 * ones declared on the stream header, which RFC 6120 §4.8 allows a stanza to use. A detached
 * element must carry those bindings itself, so that {@code element.asXML()} is well-formed and
 * {@code getNamespaceForPrefix} answers as it did in the stream: whenever a name inside the
 * element uses a prefix that no element of the stanza declares, the binding is added to the
 * first-level element as a namespace node. The default namespace needs no such node when the
 * first-level element is unprefixed: its own name carries it ({@code <message>} in
 * {@code jabber:client}), and dom4j treats an element's own namespace as declared on it.
 * A declaration an element makes for its own name is likewise implied by the name and is not
 * repeated as a node; every other declaration the peer made is kept where it was made.
 *
 * <p>Text: consecutive character data (split by the parser at chunk boundaries, or made of
 * CDATA sections and references) becomes one text node, so the tree does not depend on how
 * the bytes were chunked. Whitespace inside a stanza is kept.
 *
 * <p>Instances are confined to one channel's event loop and reused for every stanza. Between
 * stanzas {@link #release()} drops the working arrays of an idle stream; they come back with the
 * next element.
 */
final class StanzaBuilder {

    /** A text buffer larger than this is dropped after use, not kept for the next stanza. */
    private static final int RETAINED_TEXT_CHARS = 8192;
    private static final char[] NO_TEXT = new char[0];

    private final DocumentFactory factory = DocumentFactory.getInstance();
    private final XmlNames names;
    private final int maxDepth;

    /** stack[1] is the first-level element, stack[depth] the open innermost one; null when released. */
    private Element[] stack;
    private int depth;

    /** Prefixes ("" for the default) declared by the open elements of the stanza, in order. */
    private String[] declared = new String[8];
    private int declaredCount;
    /** declaredMark[level] is declaredCount before the element at that level was started; null when released. */
    private int[] declaredMark;

    /** The prefix of the first-level element's own name, and the bindings added to it. */
    private String topPrefix = "";
    private String[] added = new String[4];
    private int addedCount;

    /** Pending character data: a single piece as a String, or several pieces in textBuf. */
    private String pendingText;
    private char[] textBuf = NO_TEXT;
    private int textLength;

    StanzaBuilder(int maxDepth, XmlNames names) {
        this.maxDepth = maxDepth;
        this.names = names;
    }

    /** Returns the depth of the open element: 0 between stanzas, 1 in a first-level element. */
    int depth() {
        return depth;
    }

    /** Opens an element from a START_ELEMENT event. */
    void startElement(XMLStreamReader reader) throws FaultException {
        if (depth == maxDepth) {
            throw new FaultException(StreamError.Condition.policy_violation,
                    "elements nested deeper than " + maxDepth + " levels");
        }
        if (stack == null) {
            stack = new Element[maxDepth + 1];
            declaredMark = new int[maxDepth + 1];
        }
        flushText();
        int level = depth + 1;
        String uri = orEmpty(reader.getNamespaceURI());
        String prefix = orEmpty(reader.getPrefix());
        Namespace ns = names.namespace(prefix, uri);
        Element element = factory.createElement(names.qname(reader.getLocalName(), ns));

        declaredMark[level] = declaredCount;
        for (int i = 0, n = reader.getNamespaceCount(); i < n; i++) {
            String declPrefix = orEmpty(reader.getNamespacePrefix(i));
            String declUri = orEmpty(reader.getNamespaceURI(i));
            if (declPrefix.isEmpty() && (prefix.isEmpty() ? !declUri.equals(uri)
                    : !declUri.equals(orEmpty(reader.getNamespaceContext().getNamespaceURI(""))))) {
                // The parser took "xmlns:" (no prefix after the colon) as declaring the empty prefix
                // without making it the default namespace (fuzzing found it): Namespaces in XML 1.0
                // §3 allows no such attribute; RFC 6120 §4.9.3.13: XML that violates [XML-NAMES] is
                // not-well-formed.
                throw new FaultException(StreamError.Condition.not_well_formed,
                        "a namespace declaration 'xmlns:' needs a prefix (Namespaces in XML 1.0 §3)");
            }
            pushDeclared(declPrefix);
            if (!declPrefix.equals(prefix) || !declUri.equals(uri)) {
                element.add(names.namespace(declPrefix, declUri));
            }
        }
        if (level == 1) {
            topPrefix = prefix;
            addedCount = 0;
            stack[1] = element;
        } else {
            requireBinding(prefix, uri);
        }
        for (int i = 0, n = reader.getAttributeCount(); i < n; i++) {
            String attrPrefix = orEmpty(reader.getAttributePrefix(i));
            Namespace attrNs = Namespace.NO_NAMESPACE;
            if (!attrPrefix.isEmpty()) {
                String attrUri = orEmpty(reader.getAttributeNamespace(i));
                attrNs = names.namespace(attrPrefix, attrUri);
                requireBinding(attrPrefix, attrUri);
            }
            element.add(factory.createAttribute(null,
                    names.qname(reader.getAttributeLocalName(i), attrNs), reader.getAttributeValue(i)));
        }
        if (level > 1) {
            stack[depth].add(element);
        }
        stack[level] = element;
        depth = level;
    }

    /**
     * Closes the innermost element on an END_ELEMENT event; returns the first-level element
     * when it is complete, {@code null} otherwise.
     */
    Element endElement() {
        flushText();
        Element element = stack[depth];
        stack[depth] = null;
        declaredCount = declaredMark[depth];
        depth--;
        return depth == 0 ? element : null;
    }

    /** Appends the character data of a CHARACTERS, CDATA or SPACE event inside an element. */
    void characters(XMLStreamReader reader) throws XMLStreamException {
        int length = reader.getTextLength();
        if (length == 0) {
            return;
        }
        if (pendingText == null && textLength == 0) {
            pendingText = reader.getText();     // the common case: one piece, one String
            return;
        }
        if (pendingText != null) {
            appendToBuffer(pendingText);
            pendingText = null;
        }
        ensureText(textLength + length);
        textLength += reader.getTextCharacters(0, textBuf, textLength, length);
    }

    /** Drops a partly built stanza, for a new stream or after a fault. */
    void clear() {
        if (stack != null) {
            Arrays.fill(stack, null);
        }
        depth = 0;
        declaredCount = 0;
        addedCount = 0;
        pendingText = null;
        textLength = 0;
        if (textBuf.length > RETAINED_TEXT_CHARS) {
            textBuf = NO_TEXT;
        }
    }

    /** Drops the working arrays; only between stanzas (depth 0), for a stream gone idle. */
    void release() {
        if (depth != 0) {
            throw new IllegalStateException("release() inside a stanza, at depth " + depth);
        }
        clear();
        stack = null;
        declaredMark = null;
        textBuf = NO_TEXT;
    }

    /**
     * Makes sure a binding used at the current point is declared inside the stanza: by an
     * element of the stanza, by the first-level element's own name, or else as a namespace
     * node added to the first-level element (the binding then comes from the stream header).
     */
    private void requireBinding(String prefix, String uri) throws FaultException {
        if (prefix.isEmpty() && uri.isEmpty()) {
            return;     // no namespace: nothing to declare
        }
        if (XMLConstants.XML_NS_PREFIX.equals(prefix)) {
            return;     // bound by definition (Namespaces in XML §3)
        }
        for (int i = declaredCount - 1; i >= 0; i--) {
            if (declared[i].equals(prefix)) {
                return;
            }
        }
        if (prefix.equals(topPrefix)) {
            return;
        }
        for (int i = 0; i < addedCount; i++) {
            if (added[i].equals(prefix)) {
                return;
            }
        }
        if (addedCount == added.length) {
            added = Arrays.copyOf(added, addedCount * 2);
        }
        added[addedCount++] = prefix;
        stack[1].add(names.namespace(prefix, uri));
    }

    private void pushDeclared(String prefix) {
        if (declaredCount == declared.length) {
            declared = Arrays.copyOf(declared, declaredCount * 2);
        }
        declared[declaredCount++] = prefix;
    }

    private void flushText() {
        if (pendingText != null) {
            stack[depth].add(factory.createText(pendingText));
            pendingText = null;
        } else if (textLength > 0) {
            stack[depth].add(factory.createText(new String(textBuf, 0, textLength)));
            textLength = 0;
            if (textBuf.length > RETAINED_TEXT_CHARS) {
                textBuf = NO_TEXT;
            }
        }
    }

    private void appendToBuffer(String text) {
        ensureText(textLength + text.length());
        text.getChars(0, text.length(), textBuf, textLength);
        textLength += text.length();
    }

    private void ensureText(int capacity) {
        if (capacity > textBuf.length) {
            textBuf = Arrays.copyOf(textBuf, Math.max(capacity, Math.max(64, textBuf.length * 2)));
        }
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
