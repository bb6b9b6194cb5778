package im.tongyou.server.xml;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import javax.xml.XMLConstants;
import org.dom4j.Attribute;
import org.dom4j.Element;
import org.dom4j.Namespace;
import org.dom4j.Node;
import org.dom4j.QName;

/**
 * Serializes a dom4j element as a first-level child of an XML stream (RFC 6120 §4.8), as UTF-8,
 * declaring only the namespaces not already in scope on the stream.
 *
 * <p>The scope starts with the stream header's bindings: the content namespace as default and
 * prefixed ones such as {@code stream}. A declaration is written only where the element's
 * namespace, a namespace node of the element or a prefixed attribute's namespace differs from
 * the binding in scope; so {@code <message xmlns='jabber:client'>} goes out as
 * {@code <message>}, while {@code <starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>} keeps
 * its declaration.
 *
 * <p>Whatever the tree holds, the output stays well-formed and within RFC 6120 §11.1:
 * characters that XML 1.0 does not allow (C0 controls other than tab, LF and CR, lone
 * surrogates, U+FFFE, U+FFFF) are dropped; comments and processing instructions are not
 * written; CDATA sections are written as escaped text; {@code xmlns} pseudo-attributes are
 * dropped (namespaces come from names); a prefix bound to no namespace is written without
 * prefix. Names need no check: dom4j validates them when a {@link QName} is built.
 *
 * <p>Immutable and safe to share between channels.
 */
final class ElementWriter {

    private static final byte[] AMP = ascii("&amp;");
    private static final byte[] LT = ascii("&lt;");
    private static final byte[] GT = ascii("&gt;");
    private static final byte[] QUOT = ascii("&quot;");
    private static final byte[] TAB = ascii("&#9;");
    private static final byte[] LF = ascii("&#10;");
    private static final byte[] CR = ascii("&#13;");
    private static final byte[] XMLNS = ascii(" xmlns");

    /** An immutable chain of prefix bindings ("" for the default namespace). */
    private record Scope(String prefix, String uri, Scope parent) {

        String lookup(String p) {
            for (Scope s = this; s != null; s = s.parent) {
                if (s.prefix.equals(p)) {
                    return s.uri;
                }
            }
            return p.isEmpty() ? "" : null;
        }
    }

    private final String streamNamespace;
    private final Scope streamScope;

    /**
     * @param streamNamespace the content namespace declared as default on the stream header
     * @param headerBindings  the prefixed bindings declared on the stream header
     */
    ElementWriter(String streamNamespace, Map<String, String> headerBindings) {
        this.streamNamespace = streamNamespace;
        Scope scope = null;
        for (Map.Entry<String, String> binding : headerBindings.entrySet()) {
            scope = new Scope(binding.getKey(), binding.getValue(), scope);
        }
        this.streamScope = new Scope("", streamNamespace, scope);
    }

    /** Appends the element, as a first-level child of the stream, to the buffer. */
    void write(Element element, ByteBuf out) {
        writeElement(element, out, streamScope);
    }

    private void writeElement(Element element, ByteBuf out, Scope scope) {
        QName qname = element.getQName();
        String prefix = qname.getNamespacePrefix();
        String uri = qname.getNamespaceURI();
        String name = qname.getQualifiedName();
        if (!prefix.isEmpty() && uri.isEmpty()) {
            prefix = "";                    // "xmlns:p=''" is not allowed (Namespaces in XML §5)
            name = qname.getName();
        }
        out.writeByte('<');
        ByteBufUtil.writeUtf8(out, name);

        Scope inner = scope;
        if (!inScope(inner, prefix, uri)) {
            writeDeclaration(out, prefix, uri);
            inner = new Scope(prefix, uri, inner);
        }
        int nodes = element.nodeCount();
        for (int i = 0; i < nodes; i++) {
            if (element.node(i) instanceof Namespace ns) {
                String p = ns.getPrefix();
                String u = ns.getURI();
                if (isDeclarable(p, u) && !u.equals(inner.lookup(p))) {
                    writeDeclaration(out, p, u);
                    inner = new Scope(p, u, inner);
                }
            }
        }
        int attributes = element.attributeCount();
        for (int i = 0; i < attributes; i++) {
            QName attr = element.attribute(i).getQName();
            String p = attr.getNamespacePrefix();
            String u = attr.getNamespaceURI();
            if (!p.isEmpty() && isDeclarable(p, u) && !u.equals(inner.lookup(p))) {
                writeDeclaration(out, p, u);
                inner = new Scope(p, u, inner);
            }
        }
        for (int i = 0; i < attributes; i++) {
            writeAttribute(element.attribute(i), out);
        }

        boolean open = false;
        for (int i = 0; i < nodes; i++) {
            Node node = element.node(i);
            switch (node.getNodeType()) {
                case Node.ELEMENT_NODE -> {
                    open = openOnce(out, open);
                    writeElement((Element) node, out, inner);
                }
                case Node.TEXT_NODE, Node.CDATA_SECTION_NODE, Node.ENTITY_REFERENCE_NODE -> {
                    String text = node.getText();
                    if (text != null && !text.isEmpty()) {
                        open = openOnce(out, open);
                        writeEscaped(out, text, false);
                    }
                }
                default -> {
                    // namespaces were declared above; comments and processing instructions
                    // are never sent (RFC 6120 §11.1)
                }
            }
        }
        if (open) {
            out.writeByte('<').writeByte('/');
            ByteBufUtil.writeUtf8(out, name);
            out.writeByte('>');
        } else {
            out.writeByte('/').writeByte('>');
        }
    }

    /**
     * Whether the element's own namespace needs no declaration. COMPAT: tinder builds stanzas
     * with no namespace ({@code new Message()} is a bare {@code <message/>}, and
     * {@code addElement("body")} inherits that); on a stream they have always meant the
     * content namespace, so an unqualified name counts as bound while the default namespace
     * in scope is still the stream's.
     */
    private boolean inScope(Scope scope, String prefix, String uri) {
        String bound = scope.lookup(prefix);
        return uri.equals(bound) || (uri.isEmpty() && prefix.isEmpty() && streamNamespace.equals(bound));
    }

    /** An empty URI is only ever declared for an element's own name; xml and xmlns never. */
    private static boolean isDeclarable(String prefix, String uri) {
        return !uri.isEmpty() && !XMLConstants.XML_NS_PREFIX.equals(prefix)
                && !XMLConstants.XMLNS_ATTRIBUTE.equals(prefix);
    }

    private static void writeAttribute(Attribute attribute, ByteBuf out) {
        QName qname = attribute.getQName();
        String prefix = qname.getNamespacePrefix();
        String name = prefix.isEmpty() || qname.getNamespaceURI().isEmpty() ? qname.getName() : qname.getQualifiedName();
        if (XMLConstants.XMLNS_ATTRIBUTE.equals(prefix) || XMLConstants.XMLNS_ATTRIBUTE.equals(name)
                || name.startsWith("xmlns:")) {
            return;         // a declaration disguised as an attribute would duplicate ours
        }
        String value = attribute.getValue();
        out.writeByte(' ');
        ByteBufUtil.writeUtf8(out, name);
        out.writeByte('=').writeByte('"');
        if (value != null) {
            writeEscaped(out, value, true);
        }
        out.writeByte('"');
    }

    private static void writeDeclaration(ByteBuf out, String prefix, String uri) {
        out.writeBytes(XMLNS);
        if (!prefix.isEmpty()) {
            out.writeByte(':');
            ByteBufUtil.writeUtf8(out, prefix);
        }
        out.writeByte('=').writeByte('"');
        writeEscaped(out, uri, true);
        out.writeByte('"');
    }

    private static boolean openOnce(ByteBuf out, boolean open) {
        if (!open) {
            out.writeByte('>');
        }
        return true;
    }

    /**
     * Writes text or an attribute value, escaped, dropping characters XML 1.0 does not allow
     * (§2.2: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]).
     * Text escapes {@code & < >} and CR (a parser would turn a raw CR into LF); attribute values
     * escape {@code & < "} and tab, LF and CR (a parser would turn raw ones into spaces).
     * Runs of characters that need nothing are written in one call.
     */
    static void writeEscaped(ByteBuf out, String s, boolean attribute) {
        int length = s.length();
        int run = 0;
        for (int i = 0; i < length; i++) {
            char c = s.charAt(i);
            byte[] replacement;
            if (c >= 0x20 && c < 0xD800) {
                if (c == '&') {
                    replacement = AMP;
                } else if (c == '<') {
                    replacement = LT;
                } else if (c == '>' && !attribute) {
                    replacement = GT;
                } else if (c == '"' && attribute) {
                    replacement = QUOT;
                } else {
                    continue;
                }
            } else if (c == '\n') {
                if (!attribute) {
                    continue;
                }
                replacement = LF;
            } else if (c == '\t') {
                if (!attribute) {
                    continue;
                }
                replacement = TAB;
            } else if (c == '\r') {
                replacement = CR;
            } else if (c >= 0xE000 && c <= 0xFFFD) {
                continue;
            } else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
                continue;
            } else {
                replacement = null;     // not an XML character: dropped
            }
            if (i > run) {
                ByteBufUtil.writeUtf8(out, s, run, i);
            }
            if (replacement != null) {
                out.writeBytes(replacement);
            }
            run = i + 1;
        }
        if (run < length) {
            ByteBufUtil.writeUtf8(out, s, run, length);
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
