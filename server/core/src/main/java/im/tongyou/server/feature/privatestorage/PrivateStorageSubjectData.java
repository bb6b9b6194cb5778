package im.tongyou.server.feature.privatestorage;

import im.tongyou.api.privacy.SubjectDataProvider;
import im.tongyou.server.feature.StoredXml;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.QName;

/**
 * Private XML storage as a store of personal data: exported as JSON by namespace and as the
 * XEP-0227 §4.6 {@code <query xmlns='jabber:iq:private'/>} of the user, which an import stores
 * back fragment by fragment.
 */
final class PrivateStorageSubjectData implements SubjectDataProvider {

    private final PrivateStorageStore store;

    PrivateStorageSubjectData(PrivateStorageStore store) {
        this.store = store;
    }

    @Override
    public String name() {
        return "privatestorage";
    }

    @Override
    public String purpose() {
        return "Private XML storage (XEP-0049): client settings the user stores, encrypted (core IM, contract).";
    }

    @Override
    public Set<String> tables() {
        return Set.of("privatestorage_fragment");
    }

    @Override
    public Map<String, Object> export(String username) {
        return store.export(username);
    }

    @Override
    public void erase(String username) {
        store.erase(username);
    }

    @Override
    public void exportPortable(String username, Element user) {
        Map<String, Integer> namespaces = store.sizes(username);
        if (namespaces.isEmpty()) {
            return;
        }
        Element query = user.addElement(QName.get("query", PrivateStorageIqHandler.NS));
        for (String namespace : namespaces.keySet()) {
            store.get(username, namespace).ifPresent(container -> container.elements().forEach(e -> query.add(e.createCopy())));
        }
    }

    /** Stores each namespace's elements as one fragment, as a XEP-0049 set would; reserved or bare ones are skipped. */
    @Override
    public void importPortable(String username, Element user) {
        Element query = user.element(QName.get("query", PrivateStorageIqHandler.NS));
        if (query == null) {
            return;
        }
        Map<String, Element> byNamespace = new LinkedHashMap<>();
        for (Element child : query.elements()) {
            String ns = child.getNamespaceURI();
            if (ns == null || ns.isEmpty() || PrivateStorageIqHandler.RESERVED.contains(ns)) {
                continue;
            }
            byNamespace.computeIfAbsent(ns, n -> DocumentHelper.createElement(
                    QName.get("query", PrivateStorageIqHandler.NS))).add(child.createCopy());
        }
        Map<String, byte[]> fragments = new LinkedHashMap<>();
        byNamespace.forEach((ns, container) -> fragments.put(ns, StoredXml.toBytes(container)));
        if (!fragments.isEmpty()) {
            store.put(username, fragments);
        }
    }
}
