package im.tongyou.server.xml;

import java.util.HashMap;
import java.util.Map;
import javax.xml.XMLConstants;
import org.dom4j.Namespace;
import org.dom4j.QName;
import org.xmpp.packet.StreamError;

/**
 * A per-stream cache, owned by one decoder, of the dom4j {@link Namespace} and {@link QName} objects that the decoder
 * builds elements from, with a cap on the number of distinct names a peer may use (a policy of
 * RFC 6120 §4.9.3.14 {@code <policy-violation/>}).
 *
 * <p>Why a cache: dom4j's {@code QName} constructor validates the name with a regular
 * expression and dom4j's own caches are synchronized; this one is confined to one channel's
 * event loop and answers a hit without allocating.
 *
 * <p>Why a cap: aalto-xml keeps every distinct name it has read in the reader's symbol table for
 * the life of the stream, so a peer that keeps inventing names grows memory without bound
 * even though each stanza is small. Real clients use a few hundred names at most.
 */
final class XmlNames {

    /** The default cap on distinct namespaces plus qualified names in one decoder. */
    static final int DEFAULT_MAX_NAMES = 2048;

    private final int maxNames;
    private int size;

    /**
     * namespace URI -> prefix -> Namespace, and Namespace -> local name -> QName; created on first
     * use and dropped by {@link #clear()}, so that an idle stream whose decoder released its parser
     * holds no tables.
     */
    private Map<String, Map<String, Namespace>> namespaces;
    private Map<Namespace, Map<String, QName>> qnames;

    /** The last namespace looked up with its name table: stanzas repeat their namespace. */
    private Namespace lastNamespace;
    private Map<String, QName> lastNames;

    XmlNames(int maxNames) {
        this.maxNames = maxNames;
    }

    /** Returns the namespace for a prefix ("" for none) and URI ("" for none). */
    Namespace namespace(String prefix, String uri) throws FaultException {
        if (uri.isEmpty() && prefix.isEmpty()) {
            return Namespace.NO_NAMESPACE;
        }
        if (XMLConstants.XML_NS_URI.equals(uri)) {
            return Namespace.XML_NAMESPACE;
        }
        if (namespaces == null) {
            namespaces = new HashMap<>(8);
        }
        Map<String, Namespace> byPrefix = namespaces.get(uri);
        if (byPrefix == null) {
            byPrefix = new HashMap<>(4);
            namespaces.put(uri, byPrefix);
        }
        Namespace ns = byPrefix.get(prefix);
        if (ns == null) {
            count();
            try {
                ns = Namespace.get(prefix, uri);
            } catch (IllegalArgumentException e) {
                throw unrepresentable(prefix);
            }
            byPrefix.put(prefix, ns);
        }
        return ns;
    }

    /** Returns the qualified name of a local name in a namespace. */
    QName qname(String localName, Namespace ns) throws FaultException {
        Map<String, QName> names;
        if (ns == lastNamespace) {
            names = lastNames;
        } else {
            if (qnames == null) {
                qnames = new HashMap<>(8);
            }
            names = qnames.get(ns);
            if (names == null) {
                names = new HashMap<>(16);
                qnames.put(ns, names);
            }
            lastNamespace = ns;
            lastNames = names;
        }
        QName name = names.get(localName);
        if (name == null) {
            count();
            try {
                name = new QName(localName, ns);
            } catch (IllegalArgumentException e) {
                throw unrepresentable(localName);
            }
            names.put(localName, name);
        }
        return name;
    }

    /**
     * dom4j validates names against its own character tables, which may differ from aalto's
     * at the edges of XML 1.0's name production; such a name cannot be built, so the peer gets
     * the generic condition of RFC 6120 §4.9.3.1.
     */
    private static FaultException unrepresentable(String name) {
        return new FaultException(StreamError.Condition.bad_format,
                "the XML name '" + Faults.abbreviate(name) + "' is not supported");
    }

    private void count() throws FaultException {
        if (++size > maxNames) {
            throw new FaultException(StreamError.Condition.policy_violation,
                    "more than " + maxNames + " distinct XML names and namespaces on one stream");
        }
    }

    /** Returns the number of cached namespaces and names. */
    int size() {
        return size;
    }

    /**
     * Forgets every name and drops the tables, for a new stream or a new parser (aalto's symbol
     * table is per parser too, so the cap keeps bounding it).
     */
    void clear() {
        namespaces = null;
        qnames = null;
        lastNamespace = null;
        lastNames = null;
        size = 0;
    }
}
