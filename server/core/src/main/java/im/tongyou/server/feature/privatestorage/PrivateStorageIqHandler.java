package im.tongyou.server.feature.privatestorage;

import im.tongyou.api.StanzaErrorException;
import im.tongyou.server.feature.StoredXml;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.xmpp.packet.IQ;

/**
 * Gets and sets a user's private XML fragments by namespace (XEP-0049 §2), refusing reserved
 * namespaces and other users' storage.
 */
final class PrivateStorageIqHandler {

    static final String NS = "jabber:iq:private";

    /**
     * Namespaces refused with not-acceptable (XEP-0049 §2.3: "Certain namespaces are reserved ... If a
     * user attempts to get or set jabber:iq:private data in a reserved namespace, historically some
     * server implementations have chosen to return an error (commonly "Not Acceptable")"): the
     * stanza namespaces, this protocol's own, and vcard-temp, whose home is XEP-0054. Other
     * 'jabber:' and 'http://jabber.org/' namespaces stay allowed: clients do store there.
     */
    static final Set<String> RESERVED = Set.of("jabber:client", "jabber:server", NS, "vcard-temp");

    private static final int MAX_NAMESPACE_CHARS = 1024;

    private final PrivateStorageStore store;
    private final int maxBytesPerUser;

    PrivateStorageIqHandler(PrivateStorageStore store, int maxBytesPerUser) {
        this.store = store;
        this.maxBytesPerUser = maxBytesPerUser;
    }

    IQ get(IQ request) throws StanzaErrorException {
        List<Element> asked = request.getChildElement().elements();
        if (asked.size() != 1) {
            // XEP-0049 §2.3: a get without a child is "Bad Format"; "A client MUST NOT query for more
            // than [one] namespace in a single IQ get request."
            throw StanzaErrorException.badRequest("ask for exactly one element, in the namespace to read");
        }
        Element child = asked.get(0);
        String namespace = checkedNamespace(child);
        IQ reply = IQ.createResultIQ(request);
        Element query = reply.setChildElement("query", NS);
        var stored = store.get(request.getFrom().getNode(), namespace);
        if (stored.isPresent()) {
            for (Element e : stored.get().elements()) {
                query.add(e.createCopy());
            }
        } else {
            query.add(child.createCopy()); // nothing stored: the element asked for, as it was asked
        }
        return reply;
    }

    IQ set(IQ request) throws StanzaErrorException {
        List<Element> children = request.getChildElement().elements();
        if (children.isEmpty()) {
            // XEP-0049 §2.3: "At least one child element with a proper namespace MUST be included;
            // otherwise the server MUST respond with a "Not Acceptable" error".
            throw StanzaErrorException.notAcceptable("the query holds no element to store");
        }
        Map<String, Element> byNamespace = new LinkedHashMap<>();
        for (Element child : children) {
            String namespace = checkedNamespace(child);
            byNamespace.computeIfAbsent(namespace, ns -> DocumentHelper.createElement(
                    org.dom4j.QName.get("query", NS))).add(child.createCopy());
        }
        Map<String, byte[]> fragments = new LinkedHashMap<>();
        byNamespace.forEach((ns, container) -> fragments.put(ns, StoredXml.toBytes(container)));
        String user = request.getFrom().getNode();
        checkQuota(user, fragments);
        store.put(user, fragments);
        return IQ.createResultIQ(request);
    }

    /** XEP-0049 §2.3 and §3: another user's storage is forbidden, whatever the request. */
    IQ otherUser(IQ request) throws StanzaErrorException {
        throw StanzaErrorException.forbidden("private storage belongs to its owner only");
    }

    private static String checkedNamespace(Element child) throws StanzaErrorException {
        String namespace = child.getNamespaceURI();
        if (namespace == null || namespace.isEmpty()) {
            throw StanzaErrorException.notAcceptable("a stored element needs a namespace of its own");
        }
        if (RESERVED.contains(namespace)) {
            throw StanzaErrorException.notAcceptable("the namespace " + namespace + " is reserved");
        }
        if (namespace.length() > MAX_NAMESPACE_CHARS) {
            throw StanzaErrorException.notAcceptable("the namespace is longer than " + MAX_NAMESPACE_CHARS + " characters");
        }
        return namespace;
    }

    /**
     * A set that would take the user past the quota is refused with not-acceptable (as XEP-0060
     * §7.1.3.4 answers a payload that is too big).
     */
    private void checkQuota(String user, Map<String, byte[]> fragments) throws StanzaErrorException {
        Map<String, Integer> sizes = store.sizes(user);
        long total = 0;
        for (Map.Entry<String, Integer> e : sizes.entrySet()) {
            if (!fragments.containsKey(e.getKey())) {
                total += e.getValue();
            }
        }
        for (byte[] fragment : fragments.values()) {
            total += fragment.length;
        }
        if (total > maxBytesPerUser) {
            throw StanzaErrorException.notAcceptable("private storage is limited to " + maxBytesPerUser
                    + " bytes per user");
        }
    }
}
