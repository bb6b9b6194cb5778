package im.tongyou.server.privacy;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.List;
import org.dom4j.Document;
import org.dom4j.DocumentException;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.QName;
import org.dom4j.io.OutputFormat;
import org.dom4j.io.SAXReader;
import org.dom4j.io.XMLWriter;

/**
 * The XEP-0227 portable import/export format (version 1.1, namespace {@code urn:xmpp:pie:0}): a
 * {@code <server-data/>} document with one {@code <host/>} per domain and one {@code <user/>} per
 * account, holding the roster ({@code jabber:iq:roster}), vCard ({@code vcard-temp}), offline
 * messages ({@code <offline-messages/>}), private storage ({@code jabber:iq:private}), the archive
 * ({@code urn:xmpp:pie:0#mam}) and, for server-to-server migrations only, SCRAM credentials
 * ({@code urn:xmpp:pie:0#scram}). Reading refuses DTDs and external entities.
 */
public final class PortableFormat {

    /** XEP-0227 §4. */
    public static final String NS = "urn:xmpp:pie:0";
    /** XEP-0227 §4.3: SCRAM credentials instead of a password. */
    public static final String SCRAM_NS = "urn:xmpp:pie:0#scram";
    /** XEP-0227 §4.8: the message archive as XEP-0313 results. */
    public static final String MAM_NS = "urn:xmpp:pie:0#mam";

    private PortableFormat() {
    }

    /** A {@code <server-data/>} document with one host holding the users. */
    public static Document document(String domain, List<Element> users) {
        Document doc = DocumentHelper.createDocument();
        Element root = doc.addElement(QName.get("server-data", NS));
        Element host = root.addElement(QName.get("host", NS)).addAttribute("jid", domain);
        users.forEach(u -> host.add(u.createCopy()));
        return doc;
    }

    /** The document as indented UTF-8 XML. */
    public static String write(Document doc) {
        try {
            StringWriter out = new StringWriter();
            OutputFormat format = OutputFormat.createPrettyPrint();
            format.setEncoding("UTF-8");
            XMLWriter writer = new XMLWriter(out, format);
            writer.write(doc);
            writer.flush();
            return out.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses a XEP-0227 document; DOCTYPEs are refused. */
    public static Document read(InputStream in) throws DocumentException {
        SAXReader reader = new SAXReader();
        try {
            reader.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            reader.setFeature("http://xml.org/sax/features/external-general-entities", false);
            reader.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
        } catch (org.xml.sax.SAXException e) {
            throw new DocumentException("the XML parser cannot be made safe: " + e.getMessage(), e);
        }
        Document doc = reader.read(in);
        if (!"server-data".equals(doc.getRootElement().getName()) || !NS.equals(doc.getRootElement().getNamespaceURI())) {
            throw new DocumentException("not a XEP-0227 document: the root must be <server-data xmlns='" + NS + "'/>");
        }
        return doc;
    }

    /**
     * A {@code <scram-credentials/>} element (XEP-0227 §4.3).
     *
     * @param mechanism  {@code SCRAM-SHA-1} or {@code SCRAM-SHA-256}
     */
    public static Element scram(String mechanism, int iterations, byte[] salt, byte[] serverKey, byte[] storedKey) {
        Element e = DocumentHelper.createElement(QName.get("scram-credentials", SCRAM_NS));
        e.addAttribute("mechanism", mechanism);
        e.addElement(QName.get("iter-count", SCRAM_NS)).setText(Integer.toString(iterations));
        e.addElement(QName.get("salt", SCRAM_NS)).setText(Base64.getEncoder().encodeToString(salt));
        e.addElement(QName.get("server-key", SCRAM_NS)).setText(Base64.getEncoder().encodeToString(serverKey));
        e.addElement(QName.get("stored-key", SCRAM_NS)).setText(Base64.getEncoder().encodeToString(storedKey));
        return e;
    }
}
