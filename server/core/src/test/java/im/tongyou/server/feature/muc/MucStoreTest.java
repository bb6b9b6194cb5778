package im.tongyou.server.feature.muc;

import static org.assertj.core.api.Assertions.assertThat;

import im.tongyou.server.storage.Database;
import im.tongyou.server.storage.TestDatabases;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Persistent rooms on every test database, with the real changelog. */
class MucStoreTest {

    static final Instant T0 = Instant.parse("2026-11-29T10:00:00Z");

    @TempDir
    Path dir;
    Database database;
    MucStore store;

    void open(TestDatabases.Kind kind) {
        database = Database.open(TestDatabases.config(kind, dir));
        database.applyChangelog("im/tongyou/server/feature/muc/changelog.xml", getClass().getClassLoader());
        store = new MucStore(database.dataSource());
    }

    @AfterEach
    void close() {
        if (database != null) {
            database.close();
        }
    }

    static RoomConfig config(String name, String password) {
        return new RoomConfig(name, "The place for all good witches!", "en", true, false, true, true, true, password,
                30, true, false, "participants", EnumSet.of(Role.MODERATOR, Role.PARTICIPANT),
                EnumSet.of(Role.MODERATOR), 15);
    }

    static AffiliationEntry entry(String jid, Affiliation a, String nick, String reason) {
        return new AffiliationEntry(jid, a, nick, reason, T0);
    }

    @ParameterizedTest
    @MethodSource("im.tongyou.server.storage.TestDatabases#available")
    void aRoomIsStoredWholeAndReadBack(TestDatabases.Kind kind) {
        open(kind);
        store.insertRoom("coven", config("A Dark Cave", "cauldronburn"), new Room.Subject("Spells", "secondwitch", T0),
                T0, List.of(entry("crone1@shakespeare.lit", Affiliation.OWNER, "firstwitch", null),
                        entry("shakespeare.lit", Affiliation.MEMBER, null, null)));
        store.insertRoom("heath", config("", null), new Room.Subject("", null, null), T0, List.of());

        List<MucStore.StoredRoom> rooms = store.loadAll();

        assertThat(rooms).extracting(MucStore.StoredRoom::id).containsExactlyInAnyOrder("coven", "heath");
        MucStore.StoredRoom coven = rooms.stream().filter(r -> r.id().equals("coven")).findFirst().orElseThrow();
        assertThat(coven.config()).isEqualTo(config("A Dark Cave", "cauldronburn"));
        assertThat(coven.subject()).isEqualTo(new Room.Subject("Spells", "secondwitch", T0));
        assertThat(coven.createdAt()).isEqualTo(T0);
        assertThat(coven.affiliations()).containsExactlyInAnyOrder(
                entry("crone1@shakespeare.lit", Affiliation.OWNER, "firstwitch", null),
                entry("shakespeare.lit", Affiliation.MEMBER, null, null));
        MucStore.StoredRoom heath = rooms.stream().filter(r -> r.id().equals("heath")).findFirst().orElseThrow();
        assertThat(heath.config().password()).isNull();
        assertThat(heath.subject().at()).isNull();
    }

    @ParameterizedTest
    @MethodSource("im.tongyou.server.storage.TestDatabases#available")
    void configurationSubjectAndAffiliationsChangeOneByOne(TestDatabases.Kind kind) {
        open(kind);
        store.insertRoom("coven", config("A Dark Cave", null), new Room.Subject("", null, null), T0,
                List.of(entry("crone1@shakespeare.lit", Affiliation.OWNER, null, null)));

        store.updateConfig("coven", config("The Cauldron", "toil"));
        store.updateSubject("coven", new Room.Subject("Double, double", "firstwitch", T0.plusSeconds(5)));
        store.saveAffiliation("coven", "hag66@shakespeare.lit",
                entry("hag66@shakespeare.lit", Affiliation.OUTCAST, null, "Treason"));
        store.saveAffiliation("coven", "hag66@shakespeare.lit",
                entry("hag66@shakespeare.lit", Affiliation.MEMBER, "thirdwitch", null));
        store.saveAffiliation("coven", "crone1@shakespeare.lit", null);

        MucStore.StoredRoom coven = store.loadAll().get(0);
        assertThat(coven.config().name()).isEqualTo("The Cauldron");
        assertThat(coven.config().password()).isEqualTo("toil");
        assertThat(coven.subject().text()).isEqualTo("Double, double");
        assertThat(coven.affiliations()).containsExactly(entry("hag66@shakespeare.lit", Affiliation.MEMBER, "thirdwitch", null));
    }

    @ParameterizedTest
    @MethodSource("im.tongyou.server.storage.TestDatabases#available")
    void deletingARoomTakesItsAffiliations(TestDatabases.Kind kind) throws Exception {
        open(kind);
        store.insertRoom("coven", config("", null), new Room.Subject("", null, null), T0,
                List.of(entry("crone1@shakespeare.lit", Affiliation.OWNER, null, null)));
        store.deleteRoom("coven");
        assertThat(store.loadAll()).isEmpty();
        try (var c = database.dataSource().getConnection(); var st = c.createStatement();
             var rs = st.executeQuery("SELECT COUNT(*) FROM muc_affiliation")) {
            rs.next();
            assertThat(rs.getInt(1)).isZero();
        }
    }

    @ParameterizedTest
    @MethodSource("im.tongyou.server.storage.TestDatabases#available")
    void oneUsersAffiliationsAreExportedAndDeleted(TestDatabases.Kind kind) {
        open(kind);
        for (String room : List.of("coven", "heath")) {
            store.insertRoom(room, config("", null), new Room.Subject("", null, null), T0,
                    List.of(entry("crone1@shakespeare.lit", Affiliation.OWNER, null, null),
                            entry("hag66@shakespeare.lit", Affiliation.MEMBER, "thirdwitch", null)));
        }

        List<Map<String, Object>> export = store.affiliationsOf("hag66@shakespeare.lit");
        assertThat(export).hasSize(2);
        assertThat(export.get(0)).containsEntry("room", "coven").containsEntry("affiliation", "member")
                .containsEntry("nick", "thirdwitch").containsEntry("granted-at", "2026-11-29T10:00:00Z");

        store.deleteAffiliationsOf("hag66@shakespeare.lit");
        assertThat(store.affiliationsOf("hag66@shakespeare.lit")).isEmpty();
        assertThat(store.affiliationsOf("crone1@shakespeare.lit")).hasSize(2);
        assertThat(Set.copyOf(store.loadAll().stream().map(MucStore.StoredRoom::id).toList())).hasSize(2);
    }
}
