package im.tongyou.server.xml;

import javax.xml.XMLConstants;
import javax.xml.stream.XMLStreamReader;
import org.xmpp.packet.StreamError.Condition;

/**
 * Reads the XML declaration and the stream header (RFC 6120 §4.2, §4.7, §11.5) from a parser
 * positioned on them, checking only what the decoder is responsible for.
 */
final class StreamHeader {

    private StreamHeader() {
    }

    /**
     * RFC 6120 §11.6: "Implementations MUST NOT attempt to use any other encoding" than UTF-8;
     * an XML declaration that names another one gets {@code <unsupported-encoding/>}.
     */
    static void checkEncoding(XMLStreamReader parser) throws FaultException {
        String encoding = parser.getCharacterEncodingScheme();
        if (encoding != null && !encoding.equalsIgnoreCase("UTF-8")) {
            throw new FaultException(Condition.unsupported_encoding,
                    "the XML declaration names an encoding other than UTF-8 (RFC 6120 §11.6)");
        }
    }

    /**
     * Reads the root element on its START_ELEMENT event. A root outside the stream namespace
     * gets {@code <invalid-namespace/>} (§4.8.1); a root in it with another name than
     * {@code stream} breaks no namespace rule, so it gets {@code <bad-format/>} (§4.9.3.1).
     */
    static StreamOpen read(XMLStreamReader parser) throws FaultException {
        if (!StreamOpen.STREAM_NAMESPACE.equals(parser.getNamespaceURI())) {
            // Naming what came (a name and a namespace, bounded) tells the client what it got wrong.
            String got = "<" + parser.getLocalName() + "> in '" + parser.getNamespaceURI() + "'";
            throw new FaultException(Condition.invalid_namespace, "the stream header must be qualified by "
                    + StreamOpen.STREAM_NAMESPACE + " (RFC 6120 §4.8.1); got "
                    + (got.length() > 200 ? got.substring(0, 200) + "..." : got));
        }
        if (!"stream".equals(parser.getLocalName())) {
            throw new FaultException(Condition.bad_format, "the root element must be <stream/> (RFC 6120 §4.2)");
        }
        String defaultNamespace = null;
        for (int i = 0, n = parser.getNamespaceCount(); i < n; i++) {
            String prefix = parser.getNamespacePrefix(i);
            String uri = parser.getNamespaceURI(i);
            if ((prefix == null || prefix.isEmpty()) && uri != null && !uri.isEmpty()) {
                if (!uri.equals(parser.getNamespaceContext().getNamespaceURI(""))) {
                    // "xmlns:" without a prefix, which the parser does not make the default namespace
                    // (Namespaces in XML 1.0 §3; RFC 6120 §4.9.3.13).
                    throw new FaultException(Condition.not_well_formed,
                            "a namespace declaration 'xmlns:' needs a prefix (Namespaces in XML 1.0 §3)");
                }
                defaultNamespace = uri;
            }
        }
        String to = null;
        String from = null;
        String version = null;
        String id = null;
        String lang = null;
        for (int i = 0, n = parser.getAttributeCount(); i < n; i++) {
            String ns = parser.getAttributeNamespace(i);
            String name = parser.getAttributeLocalName(i);
            if (ns == null || ns.isEmpty()) {
                switch (name) {
                    case "to" -> to = parser.getAttributeValue(i);
                    case "from" -> from = parser.getAttributeValue(i);
                    case "version" -> version = parser.getAttributeValue(i);
                    case "id" -> id = parser.getAttributeValue(i);
                    default -> { }
                }
            } else if (XMLConstants.XML_NS_URI.equals(ns) && "lang".equals(name)) {
                lang = parser.getAttributeValue(i);
            }
        }
        return new StreamOpen(StreamOpen.STREAM_NAMESPACE, defaultNamespace, to, from, version, id, lang);
    }
}
