package im.tongyou.server.feature.muc;

import static im.tongyou.server.feature.muc.MucServiceTest.COVEN;
import static im.tongyou.server.feature.muc.MucServiceTest.CRONE;
import static im.tongyou.server.feature.muc.MucServiceTest.HAG;
import static im.tongyou.server.feature.muc.MucServiceTest.xml;
import static org.assertj.core.api.Assertions.assertThat;

import im.tongyou.server.storage.Database;
import im.tongyou.server.storage.TestDatabases;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Service discovery of the service and its rooms (XEP-0045 §6, §7.13). */
class MucDiscoTest {

    static final String INFO = "<query xmlns='http://jabber.org/protocol/disco#info'/>";
    static final String ITEMS = "<query xmlns='http://jabber.org/protocol/disco#items'/>";

    @TempDir
    Path dir;
    Database database;
    MucHarness muc;

    @BeforeEach
    void start() {
        database = Database.open(TestDatabases.config(TestDatabases.Kind.H2, dir));
        database.applyChangelog("im/tongyou/server/feature/muc/changelog.xml", getClass().getClassLoader());
        muc = new MucHarness(MucHarness.options(), new MucStore(database.dataSource()), Set.of("crone1", "hag66"));
    }

    @AfterEach
    void stop() {
        database.close();
    }

    String ask(String to, String query) {
        muc.iq(HAG, to, "get", query);
        return xml(muc.take()).get(0);
    }

    @Test
    void theServiceIsAConferenceServiceListingPublicRoomsOnly() {
        muc.instantRoom(CRONE, COVEN + "/firstwitch");
        muc.enter(CRONE, "heath@chat.shakespeare.lit/firstwitch");
        muc.iq(CRONE, "heath@chat.shakespeare.lit", "set", "<query xmlns='http://jabber.org/protocol/muc#owner'>"
                + "<x xmlns='jabber:x:data' type='submit'><field var='muc#roomconfig_publicroom'><value>0</value></field>"
                + "</x></query>");
        muc.enter(CRONE, "locked@chat.shakespeare.lit/firstwitch");
        muc.take();

        assertThat(ask(MucHarness.SERVICE, INFO)).contains("<identity category=\"conference\" type=\"text\" name=\"Chatrooms\"/>")
                .contains("var=\"http://jabber.org/protocol/muc\"").contains("var=\"http://jabber.org/protocol/muc#stable_id\"");
        assertThat(ask(MucHarness.SERVICE, ITEMS)).contains("jid=\"coven@chat.shakespeare.lit\"")
                .doesNotContain("heath").doesNotContain("locked");
    }

    @Test
    void aRoomTellsItsFeaturesAndExtendedInformation() {
        muc.instantRoom(CRONE, COVEN + "/firstwitch");
        muc.message(CRONE, COVEN, "groupchat", "<subject>Spells</subject>");
        muc.take();

        String info = ask(COVEN, INFO);
        assertThat(info).contains("<identity category=\"conference\" type=\"text\" name=\"coven\"/>");
        for (String feature : new String[] {"http://jabber.org/protocol/muc", "muc_public", "muc_temporary", "muc_open",
            "muc_unmoderated", "muc_semianonymous", "muc_unsecured"}) {
            assertThat(info).contains("<feature var=\"" + feature + "\"/>");
        }
        assertThat(info).contains("<value>http://jabber.org/protocol/muc#roominfo</value>")
                .contains("<field var=\"muc#roominfo_occupants\" label=\"Number of occupants\"><value>1</value>")
                .contains("<value>Spells</value>")
                .doesNotContain("muc#roominfo_contactjid"); // owners' JIDs only in non-anonymous rooms

        assertThat(ask(COVEN, ITEMS)).contains("<item jid=\"coven@chat.shakespeare.lit/firstwitch\"/>");
        assertThat(ask("nowhere@chat.shakespeare.lit", INFO)).contains("<item-not-found");
        assertThat(ask(COVEN, "<query xmlns='http://jabber.org/protocol/disco#info' node='x-roomuser-item'/>"))
                .contains("node=\"x-roomuser-item\"").doesNotContain("<identity"); // no reserved nick
    }

    @Test
    void aHiddenOrClosedRoomKeepsItsOccupantsAndSubjectFromStrangers() {
        muc.enter(CRONE, COVEN + "/firstwitch");
        muc.iq(CRONE, COVEN, "set", "<query xmlns='http://jabber.org/protocol/muc#owner'><x xmlns='jabber:x:data' type='submit'>"
                + "<field var='muc#roomconfig_membersonly'><value>1</value></field></x></query>");
        muc.iq(CRONE, COVEN, "set", "<query xmlns='http://jabber.org/protocol/muc#admin'>"
                + "<item affiliation='member' jid='hag66@shakespeare.lit' nick='thirdwitch'/></query>");
        muc.message(CRONE, COVEN, "groupchat", "<subject>Our secret plans</subject>");
        muc.take();

        assertThat(ask(COVEN, ITEMS)).doesNotContain("<item");
        assertThat(ask(COVEN, INFO)).contains("muc_membersonly").doesNotContain("Our secret plans");
        assertThat(ask(COVEN, "<query xmlns='http://jabber.org/protocol/disco#info' node='x-roomuser-item'/>"))
                .contains("name=\"thirdwitch\""); // §7.13 the reserved nickname
    }
}
