package im.tongyou.server.feature;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.dom4j.Document;
import org.dom4j.DocumentException;
import org.dom4j.Element;
import org.dom4j.io.SAXReader;
import org.xml.sax.SAXException;

/**
 * Stanzas and payloads kept in the database by the core features, as UTF-8 XML: written with
 * dom4j's serializer and read back with a parser that refuses DTDs and entities (RFC 6120 §11.1
 * holds at rest as on the wire). The XML read back is always XML the server wrote.
 */
public final class StoredXml {

    private StoredXml() {
    }

    /** The element as UTF-8 XML, with the namespace declarations it needs. */
    public static byte[] toBytes(Element element) {
        return element.asXML().getBytes(StandardCharsets.UTF_8);
    }

    /** The element as XML text. */
    public static String toText(Element element) {
        return element.asXML();
    }

    /**
     * Parses XML written by {@link #toBytes}; the element returned is detached from its document.
     *
     * @throws IllegalArgumentException when the bytes are not well-formed XML
     */
    public static Element parse(byte[] utf8) {
        try {
            SAXReader reader = SAXReader.createDefault();
            reader.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Document document = reader.read(new ByteArrayInputStream(utf8));
            Element root = document.getRootElement();
            root.detach();
            return root;
        } catch (DocumentException | SAXException e) {
            throw new IllegalArgumentException("stored XML is not well-formed: " + e.getMessage(), e);
        }
    }

    /** Parses XML text written by {@link #toText}. */
    public static Element parse(String xml) {
        return parse(xml.getBytes(StandardCharsets.UTF_8));
    }
}
