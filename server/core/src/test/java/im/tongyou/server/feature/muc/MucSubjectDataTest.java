package im.tongyou.server.feature.muc;

import static im.tongyou.server.feature.muc.MucServiceTest.CRONE;
import static im.tongyou.server.feature.muc.MucServiceTest.HAG;
import static im.tongyou.server.feature.muc.MucServiceTest.WICCA;
import static im.tongyou.server.feature.muc.MucServiceTest.xml;
import static org.assertj.core.api.Assertions.assertThat;

import im.tongyou.server.storage.Database;
import im.tongyou.server.storage.TestDatabases;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Export and erasure of a user's chat room data (design guide §6), including rooms the user owns alone. */
class MucSubjectDataTest {

    @TempDir
    Path dir;
    Database database;
    MucHarness muc;
    MucSubjectData data;

    @BeforeEach
    void start() {
        database = Database.open(TestDatabases.config(TestDatabases.Kind.H2, dir));
        database.applyChangelog("im/tongyou/server/feature/muc/changelog.xml", getClass().getClassLoader());
        muc = new MucHarness(MucHarness.options(), new MucStore(database.dataSource()),
                Set.of("crone1", "wiccarocks", "hag66", "hecate"));
        data = new MucSubjectData(muc.ctx, muc.service.actions());
    }

    @AfterEach
    void stop() {
        database.close();
    }

    void persistentRoom(String room) {
        muc.enter(CRONE, room + "@chat.shakespeare.lit/firstwitch");
        muc.iq(CRONE, room + "@chat.shakespeare.lit", "set", "<query xmlns='http://jabber.org/protocol/muc#owner'>"
                + "<x xmlns='jabber:x:data' type='submit'><field var='muc#roomconfig_persistentroom'><value>1</value>"
                + "</field></x></query>");
    }

    void grant(String room, String jid, String affiliation) {
        muc.iq(CRONE, room + "@chat.shakespeare.lit", "set", "<query xmlns='http://jabber.org/protocol/muc#admin'>"
                + "<item affiliation='" + affiliation + "' jid='" + jid + "'/></query>");
    }

    @Test
    void theExportListsEveryRoomWhereTheUserHasAnAffiliation() {
        persistentRoom("coven");
        muc.instantRoom(CRONE, "heath@chat.shakespeare.lit/firstwitch"); // temporary: in memory only
        grant("coven", "hag66@shakespeare.lit", "member");
        grant("heath", "hag66@shakespeare.lit", "outcast");

        @SuppressWarnings("unchecked")
        List<Map<String, Object>> rooms = (List<Map<String, Object>>) data.export("hag66").get("affiliations");

        assertThat(rooms).extracting(m -> m.get("room") + " " + m.get("affiliation") + " " + m.get("persistent"))
                .containsExactly("coven@chat.shakespeare.lit member true", "heath@chat.shakespeare.lit outcast false");
        assertThat(data.tables()).contains("muc_affiliation");
    }

    @Test
    void erasureHandsASoleOwnersRoomToItsLongestStandingAdmin() {
        persistentRoom("coven");
        grant("coven", "wiccarocks@shakespeare.lit", "admin");
        muc.now = muc.now.plusSeconds(60);
        grant("coven", "hecate@shakespeare.lit", "admin");
        muc.enter(HAG, "coven@chat.shakespeare.lit/thirdwitch");
        muc.message(CRONE, "coven@chat.shakespeare.lit", "groupchat", "<body>By the pricking of my thumbs</body>");
        muc.take();

        data.erase("crone1");

        Room room = muc.ctx.rooms().find("coven");
        assertThat(room.affiliationOf(MucHarness.jid(CRONE))).isEqualTo(Affiliation.NONE);
        assertThat(room.affiliationOf(MucHarness.jid(WICCA))).isEqualTo(Affiliation.OWNER);
        assertThat(room.affiliationOf(MucHarness.jid("hecate@shakespeare.lit"))).isEqualTo(Affiliation.ADMIN);
        assertThat(room.history().size()).isZero();
        assertThat(room.occupant("firstwitch")).isNull(); // its occupant leaves too
        assertThat(new MucStore(database.dataSource()).affiliationsOf("crone1@shakespeare.lit")).isEmpty();
        assertThat(new MucStore(database.dataSource()).affiliationsOf("wiccarocks@shakespeare.lit"))
                .singleElement().satisfies(m -> assertThat(m).containsEntry("affiliation", "owner"));

        data.erase("crone1"); // idempotent
        assertThat(muc.ctx.rooms().find("coven")).isNotNull();
    }

    @Test
    void erasureDestroysASoleOwnersRoomWithoutAdmins() {
        persistentRoom("coven");
        muc.enter(HAG, "coven@chat.shakespeare.lit/thirdwitch");
        muc.service.sessionGone(MucHarness.jid(CRONE));
        muc.take();

        data.erase("crone1");

        assertThat(muc.ctx.rooms().find("coven")).isNull();
        assertThat(xml(muc.to(HAG))).singleElement().asString().contains("<destroy>")
                .contains("The room's owner closed their account.");
        assertThat(new MucStore(database.dataSource()).loadAll()).isEmpty();
    }
}
