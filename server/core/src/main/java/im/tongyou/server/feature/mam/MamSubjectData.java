package im.tongyou.server.feature.mam;

import im.tongyou.api.privacy.SubjectDataProvider;
import im.tongyou.server.feature.StoredXml;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.xmpp.packet.JID;

/**
 * The message archive as personal data (design guide §6): the export decrypts the user's archive
 * and lists their preferences; erasure deletes both. Crypto-shredding (destroying the user's data
 * key) makes any copy of the archive unreadable as well.
 */
final class MamSubjectData implements SubjectDataProvider {

    private static final int PAGE = 500;

    private final MamStore store;
    private final MamPrefsStore prefs;
    private final String domain;
    private final Runnable writesBehind;

    /** @param writesBehind returns once every message archived so far is stored: erasure and export see it */
    MamSubjectData(MamStore store, MamPrefsStore prefs, String domain, Runnable writesBehind) {
        this.writesBehind = writesBehind;
        this.store = store;
        this.prefs = prefs;
        this.domain = domain;
    }

    @Override
    public String name() {
        return "mam";
    }

    @Override
    public String purpose() {
        return "Message archive (XEP-0313): the user's one-to-one messages, encrypted, so that every device of the user has the history (core IM, contract); kept for the server's period or the shorter one the user chose.";
    }

    @Override
    public Set<String> tables() {
        return Set.of("mam_bucket", "mam_uid", "mam_prefs", "mam_prefs_jid");
    }

    @Override
    public Map<String, Object> export(String username) {
        List<Map<String, Object>> messages = new ArrayList<>();
        long after = -1;
        writesBehind.run();
        List<MamStore.Stored> page;
        do {
            page = store.after(username, after, PAGE);
            for (MamStore.Stored s : page) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("id", s.sid());
                m.put("archivedAt", MamIqHandler.stamp(s.id()));
                m.put("direction", s.outgoing() ? "sent" : "received");
                m.put("stanza", s.message() == null ? null
                        : new String(StoredXml.toBytes(s.message().getElement()), StandardCharsets.UTF_8));
                messages.add(m);
                after = s.id();
            }
        } while (page.size() == PAGE);
        MamPrefsStore.Settings settings = prefs.settings(username);
        Map<String, Object> preferences = new LinkedHashMap<>();
        preferences.put("default", settings.mode() == null ? null : settings.mode().xml());
        preferences.put("always", settings.always().stream().map(JID::toString).toList());
        preferences.put("never", settings.never().stream().map(JID::toString).toList());
        preferences.put("retentionDays", settings.retentionDays());
        Map<String, Object> export = new LinkedHashMap<>();
        export.put("messages", messages);
        export.put("preferences", preferences);
        return export;
    }

    /** XEP-0227 §4.8: the archive, oldest first. */
    @Override
    public void exportPortable(String username, org.dom4j.Element user) {
        writesBehind.run();
        MamPortable.export(store, username, user);
    }

    /** The archive of a XEP-0227 user, at its original times and with its UIDs. */
    @Override
    public void importPortable(String username, org.dom4j.Element user) {
        List<MamSubjectStore.Imported> messages = MamPortable.read(user);
        if (!messages.isEmpty()) {
            store.subjects().importArchive(username, messages);
        }
    }

    /** Other users' copies of conversations with the user, and their preferences naming the user, get the tombstone. */
    @Override
    public void pseudonymise(String username, JID tombstone) {
        JID bare = new JID(username, domain, null);
        writesBehind.run();
        store.subjects().readdress(bare, tombstone);
        prefs.readdress(bare, tombstone);
    }

    @Override
    public void erase(String username) {
        writesBehind.run();
        store.subjects().erase(username);
        prefs.erase(username);
    }
}
