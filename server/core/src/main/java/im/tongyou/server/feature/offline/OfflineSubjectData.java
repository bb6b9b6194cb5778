package im.tongyou.server.feature.offline;

import im.tongyou.api.privacy.SubjectDataProvider;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.dom4j.Element;
import org.dom4j.QName;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;

/** The offline queue as a store of personal data: the waiting messages, decrypted, and their erasure. */
final class OfflineSubjectData implements SubjectDataProvider {

    /** The XEP-0227 namespace (urn:xmpp:pie:0). */
    static final String PIE = "urn:xmpp:pie:0";

    private final OfflineStore store;
    private final String domain;

    OfflineSubjectData(OfflineStore store, String domain) {
        this.store = store;
        this.domain = domain;
    }

    @Override
    public String name() {
        return "offline";
    }

    @Override
    public String purpose() {
        return "Offline delivery (XEP-0160): messages waiting for the user, encrypted, kept until delivered or the retention period (core IM, contract).";
    }

    @Override
    public Set<String> tables() {
        return Set.of("offline_message");
    }

    @Override
    public Map<String, Object> export(String username) {
        return Map.of("messages", store.export(username));
    }

    /**
     * Privacy requirements decision 3: the messages the user sent that wait in other users' queues
     * are theirs to receive, from the tombstone instead of the user's address (as in their archive).
     */
    @Override
    public void pseudonymise(String username, JID tombstone) {
        store.readdress(new JID(username, domain, null), tombstone);
    }

    @Override
    public void erase(String username) {
        store.erase(username);
    }

    /** XEP-0227 §4.4: {@code <offline-messages/>} with the waiting stanzas, oldest first (with their delay). */
    @Override
    public void exportPortable(String username, Element user) {
        Element offline = null;
        long after = 0;
        for (List<OfflineStore.Stored> page = store.next(username, after, 500); !page.isEmpty();
             page = store.next(username, after, 500)) {
            for (OfflineStore.Stored stored : page) {
                after = stored.id();
                if (stored.message() == null) {
                    continue; // no longer readable
                }
                if (offline == null) {
                    offline = user.addElement(QName.get("offline-messages", PIE));
                }
                offline.add(stored.message().getElement().createCopy());
            }
        }
    }

    /** Queues the messages again, in order, for delivery at the user's next login. */
    @Override
    public void importPortable(String username, Element user) {
        Element offline = user.element(QName.get("offline-messages", PIE));
        if (offline == null) {
            return;
        }
        for (Element m : offline.elements("message")) {
            Element copy = m.createCopy();
            copy.setQName(QName.get("message", "jabber:client"));
            store.add(username, new Message(copy, true));
        }
    }
}
