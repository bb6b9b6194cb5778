package im.tongyou.server.feature.privatestorage;

import static org.assertj.core.api.Assertions.assertThat;

import im.tongyou.api.StanzaErrorException;
import im.tongyou.server.feature.FeatureDatabase;
import im.tongyou.server.feature.StoredXml;
import im.tongyou.server.feature.TestClock;
import im.tongyou.server.storage.TestDatabases;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.xmpp.packet.IQ;
import org.xmpp.packet.PacketError;

/** XEP-0049 private storage on real databases: round trips, refusals, quota, encryption, export. */
class PrivateStorageTest {

    @TempDir
    Path dir;
    FeatureDatabase db;
    PrivateStorageStore store;
    PrivateStorageIqHandler handler;

    void open(TestDatabases.Kind kind) {
        TestClock clock = new TestClock(Instant.parse("2026-11-29T08:00:00Z"));
        db = FeatureDatabase.open(kind, dir, clock, "im/tongyou/server/feature/privatestorage/changelog.xml");
        store = new PrivateStorageStore(db.dataSource(), db.crypto(), clock);
        handler = new PrivateStorageIqHandler(store, 2048);
    }

    @AfterEach
    void close() {
        if (db != null) {
            db.close();
        }
    }

    static IQ iq(String type, String payload) {
        return new IQ(StoredXml.parse("<iq xmlns='jabber:client' type='" + type + "' id='p1' from='juliet@tongyou.example/balcony'>"
                + "<query xmlns='jabber:iq:private'>" + payload + "</query></iq>"), true);
    }

    interface ThrowingCall {
        IQ call() throws StanzaErrorException;
    }

    static PacketError.Condition conditionOf(ThrowingCall call) {
        try {
            call.call();
        } catch (StanzaErrorException e) {
            return e.condition();
        }
        throw new AssertionError("no error");
    }

    @ParameterizedTest
    @MethodSource("im.tongyou.server.storage.TestDatabases#available")
    void aFragmentRoundTripsByNamespaceAndIsEncryptedAtRest(TestDatabases.Kind kind) throws Exception {
        open(kind);
        handler.set(iq("set", "<storage xmlns='storage:bookmarks'><conference jid='balcony@rooms.tongyou.example'"
                + " autojoin='true' name='The balcony'><password>wherefore</password></conference></storage>"
                + "<exodus xmlns='exodus:prefs'><defaultnick>Jules</defaultnick></exodus>"));

        IQ reply = handler.get(iq("get", "<storage xmlns='storage:bookmarks'/>"));
        assertThat(reply.getType()).isEqualTo(IQ.Type.result);
        assertThat(reply.getChildElement().elements()).singleElement().satisfies(e -> {
            assertThat(e.getNamespaceURI()).isEqualTo("storage:bookmarks");
            assertThat(e.element("conference").attributeValue("name")).isEqualTo("The balcony");
            assertThat(e.element("conference").elementText("password")).isEqualTo("wherefore");
        });
        assertThat(handler.get(iq("get", "<exodus xmlns='exodus:prefs'/>")).getChildElement().element("exodus")
                .elementText("defaultnick")).isEqualTo("Jules");
        assertThat(db.cells("privatestorage_fragment")).noneMatch(c -> c.contains("wherefore") || c.contains("balcony@"));
    }

    @ParameterizedTest
    @MethodSource("im.tongyou.server.storage.TestDatabases#available")
    void aSetReplacesTheNamespaceAndANeverSetNamespaceEchoesTheQuestion(TestDatabases.Kind kind) throws Exception {
        open(kind);
        handler.set(iq("set", "<prefs xmlns='urn:example:prefs'><a/></prefs><prefs xmlns='urn:example:prefs'><b/></prefs>"));
        handler.set(iq("set", "<prefs xmlns='urn:example:prefs'><c/></prefs>"));

        assertThat(handler.get(iq("get", "<prefs xmlns='urn:example:prefs'/>")).getChildElement().elements())
                .singleElement().satisfies(e -> assertThat(e.element("c")).isNotNull());
        assertThat(handler.get(iq("get", "<nothing xmlns='urn:example:nothing'/>")).getChildElement().elements())
                .singleElement().satisfies(e -> {
                    assertThat(e.getName()).isEqualTo("nothing");
                    assertThat(e.elements()).isEmpty();
                });
    }

    @ParameterizedTest
    @MethodSource("im.tongyou.server.storage.TestDatabases#available")
    void reservedNamespacesEmptyQueriesOtherUsersAndTheQuotaAreRefused(TestDatabases.Kind kind) {
        open(kind);
        for (String ns : new String[] {"jabber:client", "jabber:server", "jabber:iq:private", "vcard-temp"}) {
            assertThat(conditionOf(() -> handler.set(iq("set", "<x xmlns='" + ns + "'/>")))).as(ns)
                    .isEqualTo(PacketError.Condition.not_acceptable);
            assertThat(conditionOf(() -> handler.get(iq("get", "<x xmlns='" + ns + "'/>")))).as(ns)
                    .isEqualTo(PacketError.Condition.not_acceptable);
        }
        assertThat(conditionOf(() -> handler.set(iq("set", "")))).isEqualTo(PacketError.Condition.not_acceptable);
        assertThat(conditionOf(() -> handler.get(iq("get", "")))).isEqualTo(PacketError.Condition.bad_request);
        assertThat(conditionOf(() -> handler.get(iq("get", "<a xmlns='urn:a'/><b xmlns='urn:b'/>"))))
                .isEqualTo(PacketError.Condition.bad_request);
        assertThat(conditionOf(() -> handler.otherUser(iq("get", "<a xmlns='urn:a'/>"))))
                .isEqualTo(PacketError.Condition.forbidden);
        String big = "<big xmlns='urn:example:big'>" + "x".repeat(2100) + "</big>";
        assertThat(conditionOf(() -> handler.set(iq("set", big)))).isEqualTo(PacketError.Condition.not_acceptable);
        assertThat(store.sizes("juliet")).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("im.tongyou.server.storage.TestDatabases#available")
    void theQuotaCountsOtherNamespacesButNotTheOneReplaced(TestDatabases.Kind kind) throws Exception {
        open(kind);
        String half = "<p xmlns='urn:example:one'>" + "x".repeat(900) + "</p>";
        handler.set(iq("set", half));
        handler.set(iq("set", half)); // replacing the same namespace does not double count

        String other = "<p xmlns='urn:example:two'>" + "y".repeat(1100) + "</p>";
        assertThat(conditionOf(() -> handler.set(iq("set", other)))).isEqualTo(PacketError.Condition.not_acceptable);
    }

    @ParameterizedTest
    @MethodSource("im.tongyou.server.storage.TestDatabases#available")
    void exportShowsTheXmlAndEraseIsIdempotent(TestDatabases.Kind kind) throws Exception {
        open(kind);
        handler.set(iq("set", "<exodus xmlns='exodus:prefs'><defaultnick>Jules</defaultnick></exodus>"));

        Map<String, Object> export = store.export("juliet");
        assertThat(export).containsOnlyKeys("exodus:prefs");
        assertThat((String) export.get("exodus:prefs")).contains("<defaultnick>Jules</defaultnick>");
        store.erase("juliet");
        store.erase("juliet");
        assertThat(store.export("juliet")).isEmpty();
    }
}
