package im.tongyou.server.feature.mam;

import im.tongyou.server.TestClock;
import im.tongyou.server.feature.RecordingSessions;
import im.tongyou.server.privacy.DataKeys;
import im.tongyou.server.privacy.MasterKey;
import im.tongyou.server.storage.Database;
import im.tongyou.server.storage.TestDatabases;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.dom4j.DocumentException;
import org.dom4j.DocumentHelper;
import org.xmpp.packet.IQ;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;
import org.xmpp.packet.Packet;

/** The archive on a real database with the real changelog, sessions without sockets and a roster in a map. */
final class MamFixture implements AutoCloseable {

    static final String DOMAIN = "tongyou.example";

    final TestClock clock = new TestClock();
    final Database database;
    final DataKeys crypto;
    final MamStore store;
    final MamPrefsStore prefs;
    final MamIds ids;
    final MamWriter writer;
    final MamArchiver archiver;
    final MamIqHandler handler;
    final MamRetention retention;
    final RecordingSessions sessions = new RecordingSessions();
    final Map<String, Set<String>> rosters = new HashMap<>();
    final Set<String> accounts = new HashSet<>(Set.of("romeo", "juliet", "mercutio", "benvolio"));

    MamFixture(TestDatabases.Kind kind, Path dir, MamPrefs.Mode serverDefault, int maxPage, int retentionDays) {
        database = Database.open(TestDatabases.config(kind, dir));
        database.applyChangelog("im/tongyou/server/feature/mam/changelog.xml", getClass().getClassLoader());
        crypto = new DataKeys(database.dataSource(), MasterKey.load(dir), clock);
        store = new MamStore(database.dataSource(), crypto);
        prefs = new MamPrefsStore(database.dataSource());
        ids = new MamIds(clock, store.maxId());
        writer = new MamWriter(database.dataSource(), ids, store);
        archiver = new MamArchiver(DOMAIN, writer, prefs, serverDefault,
                (owner, contact) -> rosters.getOrDefault(owner, Set.of()).contains(contact.toBareJID()),
                to -> DOMAIN.equals(to.getDomain()) && to.getNode() != null && accounts.contains(to.getNode()));
        handler = new MamIqHandler(store, prefs, serverDefault, sessions, maxPage, writer::fence);
        retention = new MamRetention(store, prefs, clock, retentionDays, writer::fence);
    }

    static JID jid(String user) {
        return new JID(user.contains("@") ? user : user + "@" + DOMAIN);
    }

    static Message chat(String from, String to, String body) {
        Message m = new Message();
        m.setType(Message.Type.chat);
        m.setFrom(jid(from));
        m.setTo(jid(to));
        if (body != null) {
            m.setBody(body);
        }
        return m;
    }

    /** What the router does with a message between two local users: both sides' interceptors. */
    Message route(Message m) throws Exception {
        archiver.outgoing(m);
        archiver.hideSenderId(m);
        archiver.incoming(m);
        return m;
    }

    static IQ iq(String from, String xml) throws DocumentException {
        IQ iq = new IQ(DocumentHelper.parseText(xml).getRootElement(), true);
        iq.setFrom(jid(from));
        return iq;
    }

    static List<Message> messages(List<Packet> sent) {
        return sent.stream().filter(p -> p instanceof Message).map(p -> (Message) p).toList();
    }

    /** Counts rows once every archived message is stored (the writer works behind delivery). */
    long rows(String sql) throws Exception {
        writer.fence();
        try (var c = database.dataSource().getConnection(); var st = c.createStatement(); var rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Override
    public void close() {
        try {
            writer.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        database.close();
    }
}
