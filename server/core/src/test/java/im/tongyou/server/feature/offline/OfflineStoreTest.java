package im.tongyou.server.feature.offline;

import static org.assertj.core.api.Assertions.assertThat;

import im.tongyou.server.feature.FeatureDatabase;
import im.tongyou.server.feature.TestClock;
import im.tongyou.server.storage.TestDatabases;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;

/** The offline queue on real databases: order, encryption at rest, retention, export and erasure. */
class OfflineStoreTest {

    static final Instant T0 = Instant.parse("2026-11-29T08:00:00Z");

    @TempDir
    Path dir;
    FeatureDatabase db;
    TestClock clock = new TestClock(T0);
    OfflineStore store;

    void open(TestDatabases.Kind kind) {
        db = FeatureDatabase.open(kind, dir, clock, "im/tongyou/server/feature/offline/changelog.xml");
        store = new OfflineStore(db.dataSource(), db.crypto(), clock);
    }

    @AfterEach
    void close() {
        if (db != null) {
            db.close();
        }
    }

    static Message chat(String body) {
        Message m = new Message();
        m.setType(Message.Type.chat);
        m.setFrom(new JID("romeo@tongyou.example/orchard"));
        m.setTo(new JID("juliet@tongyou.example"));
        m.setBody(body);
        return m;
    }

    @ParameterizedTest
    @MethodSource("im.tongyou.server.storage.TestDatabases#available")
    void messagesComeBackOldestFirstAndGoWhenDeleted(TestDatabases.Kind kind) {
        open(kind);
        store.add("juliet", chat("one"));
        clock.set(T0.plusSeconds(1));
        store.add("juliet", chat("two"));
        store.add("juliet", chat("three"));
        store.add("nurse", chat("for the nurse"));

        List<OfflineStore.Stored> first = store.next("juliet", 0, 2);
        assertThat(first).extracting(s -> s.message().getBody()).containsExactly("one", "two");
        assertThat(first.get(0).storedAt()).isEqualTo(T0);
        List<OfflineStore.Stored> rest = store.next("juliet", first.get(1).id(), 2);
        assertThat(rest).extracting(s -> s.message().getBody()).containsExactly("three");
        assertThat(store.count("juliet")).isEqualTo(3);

        store.delete("juliet", List.of(first.get(0).id(), first.get(1).id()));
        assertThat(store.next("juliet", 0, 10)).extracting(s -> s.message().getBody()).containsExactly("three");
        assertThat(store.count("nurse")).isEqualTo(1);
    }

    @ParameterizedTest
    @MethodSource("im.tongyou.server.storage.TestDatabases#available")
    void theStanzaIsEncryptedUnderTheRecipientsKey(TestDatabases.Kind kind) throws Exception {
        open(kind);
        store.add("juliet", chat("Deny thy father and refuse thy name"));

        assertThat(db.cells("offline_message")).noneMatch(c -> c.contains("refuse thy name") || c.contains("romeo"));
        db.crypto().destroyKey("juliet");
        assertThat(store.next("juliet", 0, 10)).singleElement().satisfies(s -> assertThat(s.message()).isNull());
    }

    @ParameterizedTest
    @MethodSource("im.tongyou.server.storage.TestDatabases#available")
    void retentionDeletesOnlyWhatIsOlderThanTheCutOff(TestDatabases.Kind kind) {
        open(kind);
        store.add("juliet", chat("old"));
        clock.set(T0.plus(Duration.ofDays(20)));
        store.add("juliet", chat("recent"));

        assertThat(store.purgeBefore(T0.plus(Duration.ofDays(10)))).isEqualTo(1);
        assertThat(store.next("juliet", 0, 10)).extracting(s -> s.message().getBody()).containsExactly("recent");
        assertThat(store.oldest()).isEqualTo(T0.plus(Duration.ofDays(20)));
    }

    @ParameterizedTest
    @MethodSource("im.tongyou.server.storage.TestDatabases#available")
    void exportShowsTheStanzasAndEraseIsIdempotent(TestDatabases.Kind kind) {
        open(kind);
        store.add("juliet", chat("a rose by any other name"));
        store.add("nurse", chat("anon, good nurse"));

        List<Map<String, Object>> export = store.export("juliet");
        assertThat(export).singleElement().satisfies(m -> {
            assertThat(m.get("storedAt")).isEqualTo(T0.toString());
            assertThat((String) m.get("stanza")).contains("a rose by any other name");
        });
        store.erase("juliet");
        store.erase("juliet");
        assertThat(store.count("juliet")).isZero();
        assertThat(store.export("juliet")).isEmpty();
        assertThat(store.count("nurse")).isEqualTo(1);
    }

    @ParameterizedTest
    @MethodSource("im.tongyou.server.storage.TestDatabases#available")
    void aCancelledSendersMessagesInOthersQueuesComeFromTheTombstone(TestDatabases.Kind kind) throws Exception {
        open(kind);
        JID romeo = new JID("romeo@tongyou.example");
        JID tombstone = new JID("deleted-0a1b2c@tongyou.example");
        Message withAddress = chat("meet me at the orchard");
        withAddress.addChildElement("addresses", "http://jabber.org/protocol/address").addElement("address")
                .addAttribute("type", "replyto").addAttribute("jid", "Romeo@tongyou.example/orchard");
        store.add("juliet", withAddress);
        Message fromNurse = chat("from the nurse");
        fromNurse.setFrom(new JID("nurse@tongyou.example/kitchen"));
        store.add("juliet", fromNurse);
        store.add("benvolio", chat("to Benvolio"));
        // A row stored before the sender hash existed.
        store.add("mercutio", chat("an old one"));
        store.add("mercutio", fromNurse.createCopy());
        try (var c = db.dataSource().getConnection(); var st = c.createStatement()) {
            st.executeUpdate("UPDATE offline_message SET sender_hash = NULL WHERE username = 'mercutio'");
        }

        assertThat(store.readdress(romeo, tombstone)).isEqualTo(3);
        assertThat(store.readdress(romeo, tombstone)).as("idempotent").isZero();
        for (String holder : List.of("juliet", "benvolio", "mercutio")) {
            for (OfflineStore.Stored s : store.next(holder, 0, 10)) {
                String xml = s.message().toXML();
                assertThat(xml).doesNotContainIgnoringCase("romeo@");
                if (!s.message().getFrom().getNode().equals("nurse")) {
                    assertThat(s.message().getFrom()).isEqualTo(tombstone);
                    assertThat(s.message().getBody()).as("the content is the recipient's").isNotEmpty();
                }
            }
        }
        Message juliets = store.next("juliet", 0, 10).get(0).message();
        assertThat(juliets.getChildElement("addresses", "http://jabber.org/protocol/address").element("address")
                .attributeValue("jid")).isEqualTo(tombstone.toBareJID());
        assertThat(store.next("juliet", 0, 10).get(1).message().getFrom().toBareJID()).isEqualTo("nurse@tongyou.example");
        try (var c = db.dataSource().getConnection(); var st = c.createStatement();
             var rs = st.executeQuery("SELECT COUNT(*) FROM offline_message WHERE sender_hash IS NULL")) {
            rs.next();
            assertThat(rs.getInt(1)).as("old rows got their sender hash").isZero();
        }
    }
}
