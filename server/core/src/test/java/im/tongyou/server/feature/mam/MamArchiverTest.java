package im.tongyou.server.feature.mam;

import static im.tongyou.server.feature.mam.MamFixture.chat;
import static im.tongyou.server.feature.mam.MamFixture.jid;
import static org.assertj.core.api.Assertions.assertThat;

import im.tongyou.server.storage.TestDatabases;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.QName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.xmpp.packet.Message;

/**
 * What gets archived, for whom, and with which stanza-id (XEP-0313 §3, §6.1.1; XEP-0359; XEP-0334
 * hints; XEP-0441 preferences), on H2 and PostgreSQL.
 */
class MamArchiverTest {

    @TempDir
    Path dir;
    MamFixture f;

    void open(TestDatabases.Kind kind) {
        open(kind, MamPrefs.Mode.ALWAYS);
    }

    void open(TestDatabases.Kind kind, MamPrefs.Mode mode) {
        f = new MamFixture(kind, dir, mode, 50, 180);
    }

    @AfterEach
    void close() {
        if (f != null) {
            f.close();
        }
    }

    private List<MamStore.Stored> archive(String owner) {
        f.writer.fence();
        return f.store.page(MamStore.Selection.all(owner), null, null, false, 1000);
    }

    private static List<Element> stanzaIds(Message m) {
        return m.getElement().elements(QName.get("stanza-id", StanzaIds.NS));
    }

    @ParameterizedTest
    @MethodSource("im.tongyou.server.storage.TestDatabases#available")
    void aChatMessageIsArchivedOnceForEachPartyAndTheRecipientLearnsOnlyItsOwnId(TestDatabases.Kind kind) throws Exception {
        open(kind);
        Message m = f.route(chat("romeo@tongyou.example/orchard", "juliet", "Wherefore art thou?"));

        List<MamStore.Stored> romeo = archive("romeo");
        List<MamStore.Stored> juliet = archive("juliet");
        assertThat(romeo).singleElement().satisfies(s -> {
            assertThat(s.outgoing()).isTrue();
            assertThat(s.message().getBody()).isEqualTo("Wherefore art thou?");
        });
        assertThat(juliet).singleElement().satisfies(s -> assertThat(s.outgoing()).isFalse());
        // The delivered message carries Juliet's archive id only (XEP-0313 §3.5).
        assertThat(stanzaIds(m)).singleElement().satisfies(e -> {
            assertThat(e.attributeValue("by")).isEqualTo("juliet@tongyou.example");
            assertThat(e.attributeValue("id")).isEqualTo(juliet.get(0).sid());
        });
        assertThat(romeo.get(0).sid()).isNotEqualTo(juliet.get(0).sid()).hasSize(MamUids.LENGTH);
        assertThat(f.store.countUpTo(new MamStore.Selection("romeo", "juliet@tongyou.example", "", 0, Long.MAX_VALUE,
                null), null, 10)).isEqualTo(1);
        assertThat(f.store.countUpTo(new MamStore.Selection("juliet", "romeo@tongyou.example", "orchard", 0,
                Long.MAX_VALUE, null), null, 10)).isEqualTo(1);
    }

    @ParameterizedTest
    @MethodSource("im.tongyou.server.storage.TestDatabases#available")
    void aForgedStanzaIdIsRemovedAndTheMessageArchivedAnyway(TestDatabases.Kind kind) throws Exception {
        open(kind);
        Message m = chat("romeo@tongyou.example/orchard", "juliet", "I swear");
        StanzaIds.add(m.getElement(), jid("juliet"), "forged-by-romeo");
        StanzaIds.add(m.getElement(), new org.xmpp.packet.JID("tongyou.example"), "forged-by-the-domain");
        StanzaIds.add(m.getElement(), new org.xmpp.packet.JID("room@conference.other.example"), "foreign");
        f.route(m);

        assertThat(archive("juliet")).hasSize(1);
        assertThat(stanzaIds(m)).extracting(e -> e.attributeValue("id"))
                .doesNotContain("forged-by-romeo", "forged-by-the-domain")
                .contains("foreign", archive("juliet").get(0).sid());
    }

    @ParameterizedTest
    @MethodSource("im.tongyou.server.storage.TestDatabases#available")
    void aMessageDeliveredAgainIsNotArchivedTwice(TestDatabases.Kind kind) throws Exception {
        open(kind);
        Message m = f.route(chat("romeo@tongyou.example/orchard", "juliet@tongyou.example/balcony", "Once"));
        // Stream management gives it a second chance: re-routed to the bare JID, skipping PRE_ROUTE.
        Message again = m.createCopy();
        again.setTo(jid("juliet"));
        f.archiver.incoming(again);

        assertThat(archive("juliet")).hasSize(1);
        assertThat(archive("romeo")).hasSize(1);
        assertThat(stanzaIds(again)).hasSize(1);
    }

    @ParameterizedTest
    @MethodSource("im.tongyou.server.storage.TestDatabases#available")
    void aNoteToSelfIsArchivedOnceAndKeepsItsId(TestDatabases.Kind kind) throws Exception {
        open(kind);
        Message m = f.route(chat("romeo@tongyou.example/orchard", "romeo@tongyou.example/chamber", "remember the rope"));
        Message bare = new Message();
        bare.setType(Message.Type.chat);
        bare.setFrom(jid("romeo@tongyou.example/orchard"));
        bare.setBody("no 'to' at all");
        f.route(bare);

        assertThat(archive("romeo")).hasSize(2).allSatisfy(s -> assertThat(s.outgoing()).isTrue());
        assertThat(stanzaIds(m)).singleElement().satisfies(e -> assertThat(e.attributeValue("by")).isEqualTo("romeo@tongyou.example"));
        assertThat(stanzaIds(bare)).hasSize(1);
    }

    @ParameterizedTest
    @MethodSource("im.tongyou.server.storage.TestDatabases#available")
    void onlyConversationContentIsKeptAndTheSendersHintsAreObeyed(TestDatabases.Kind kind) throws Exception {
        open(kind);
        Message composing = chat("romeo@tongyou.example/a", "juliet", null);
        composing.getElement().addElement(QName.get("composing", "http://jabber.org/protocol/chatstates"));
        Message secret = chat("romeo@tongyou.example/a", "juliet", "burn after reading");
        secret.getElement().addElement(QName.get("no-permanent-store", MamPolicy.HINTS));
        Message noStore = chat("romeo@tongyou.example/a", "juliet", "not even offline");
        noStore.getElement().addElement(QName.get("no-store", MamPolicy.HINTS));
        Message marker = chat("romeo@tongyou.example/a", "juliet", null);
        marker.getElement().addElement(QName.get("displayed", "urn:xmpp:chat-markers:0"));
        marker.getElement().addElement(QName.get("store", MamPolicy.HINTS));
        Message encrypted = chat("romeo@tongyou.example/a", "juliet", null);
        encrypted.getElement().addElement(QName.get("encrypted", "eu.siacs.conversations.axolotl"));
        Message headline = chat("romeo@tongyou.example/a", "juliet", "news");
        headline.setType(Message.Type.headline);
        Message error = chat("romeo@tongyou.example/a", "juliet", "oops");
        error.setType(Message.Type.error);
        Message normal = chat("romeo@tongyou.example/a", "juliet", "a letter");
        normal.setType(Message.Type.normal);
        for (Message m : List.of(composing, secret, noStore, marker, encrypted, headline, error, normal)) {
            f.route(m);
        }

        // Kept: the marker with <store/>, the encrypted payload, the normal message with a body.
        assertThat(archive("juliet")).hasSize(3);
        assertThat(archive("romeo")).hasSize(3);
        assertThat(stanzaIds(secret)).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("im.tongyou.server.storage.TestDatabases#available")
    void preferencesDecideWithNeverWinningAndTheRosterForTheRosterDefault(TestDatabases.Kind kind) throws Exception {
        open(kind, MamPrefs.Mode.ROSTER);
        f.rosters.put("juliet", java.util.Set.of("romeo@tongyou.example"));
        f.route(chat("romeo@tongyou.example/a", "juliet", "on her roster"));
        f.route(chat("mercutio@tongyou.example/a", "juliet", "not on it"));
        assertThat(archive("juliet")).hasSize(1);
        assertThat(archive("romeo")).as("Juliet is not on Romeo's roster").isEmpty();

        f.prefs.setPrefs("juliet", MamPrefs.fromElement(DocumentHelper.parseText(
                "<prefs xmlns='urn:xmpp:mam:2' default='never'><always><jid>mercutio@tongyou.example</jid></always>"
                        + "<never><jid>romeo@tongyou.example/a</jid></never></prefs>").getRootElement()));
        f.route(chat("romeo@tongyou.example/a", "juliet", "from the resource she never keeps"));
        f.route(chat("romeo@tongyou.example/b", "juliet", "from another resource, default never"));
        f.route(chat("mercutio@tongyou.example/x", "juliet", "always, whatever the resource"));
        assertThat(archive("juliet")).extracting(s -> s.message().getBody())
                .containsExactly("on her roster", "always, whatever the resource");
    }

    @ParameterizedTest
    @MethodSource("im.tongyou.server.storage.TestDatabases#available")
    void messagesToNobodyAreNotArchivedAndBodiesAreNeverStoredInTheClear(TestDatabases.Kind kind) throws Exception {
        open(kind);
        f.route(chat("romeo@tongyou.example/a", "nobody", "into the void"));
        assertThat(archive("romeo")).isEmpty();
        f.route(chat("romeo@tongyou.example/a", "juliet", "a very recognisable sentence"));

        try (var c = f.database.dataSource().getConnection(); var st = c.createStatement();
             var rs = st.executeQuery("SELECT * FROM mam_bucket")) {
            while (rs.next()) {
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    Object v = rs.getObject(i);
                    String text = v instanceof byte[] b ? new String(b, StandardCharsets.ISO_8859_1) : String.valueOf(v);
                    assertThat(text).doesNotContain("recognisable");
                }
            }
        }
    }
}
