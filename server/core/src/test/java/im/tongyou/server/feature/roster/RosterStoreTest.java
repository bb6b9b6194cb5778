package im.tongyou.server.feature.roster;

import static org.assertj.core.api.Assertions.assertThat;

import im.tongyou.api.roster.RosterItem;
import im.tongyou.api.roster.Subscription;
import im.tongyou.server.storage.Database;
import im.tongyou.server.storage.TestDatabases;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.xmpp.packet.JID;

/** The roster tables on every test database, with the real changelog. */
class RosterStoreTest {

    static final JID ROMEO = new JID("romeo@example.net");
    static final JID NURSE = new JID("nurse@example.net");

    @TempDir
    Path dir;
    Database database;
    RosterStore store;

    void open(TestDatabases.Kind kind) {
        database = Database.open(TestDatabases.config(kind, dir));
        database.applyChangelog("im/tongyou/server/feature/roster/changelog.xml", getClass().getClassLoader());
        store = new RosterStore(database.dataSource());
    }

    @AfterEach
    void close() {
        if (database != null) {
            database.close();
        }
    }

    @ParameterizedTest
    @MethodSource("im.tongyou.server.storage.TestDatabases#available")
    void itemsKeepTheirStateGroupsAndVersions(TestDatabases.Kind kind) {
        open(kind);
        assertThat(store.version("juliet")).isZero();

        long v1 = store.save("juliet", new RosterItem(ROMEO, "Romeo 💕", Subscription.BOTH, false, false, false,
                Set.of("Verona", "\"quoted\" \\ group")));
        long v2 = store.save("juliet", new RosterItem(NURSE, null, Subscription.NONE, true, false, true, Set.of()));

        assertThat(v1).isEqualTo(1);
        assertThat(v2).isEqualTo(2);
        List<RosterItem> items = store.items("juliet");
        assertThat(items).extracting(i -> i.jid().toBareJID()).containsExactly("nurse@example.net", "romeo@example.net");
        RosterItem romeo = store.item("juliet", new JID("romeo@example.net/balcony")).orElseThrow();
        assertThat(romeo.name()).isEqualTo("Romeo 💕");
        assertThat(romeo.subscription()).isEqualTo(Subscription.BOTH);
        assertThat(romeo.groups()).containsExactlyInAnyOrder("Verona", "\"quoted\" \\ group");
        RosterItem nurse = items.get(0);
        assertThat(nurse.pendingOut()).isTrue();
        assertThat(nurse.approved()).isTrue();
        assertThat(store.count("juliet")).isEqualTo(2);
        assertThat(store.items("romeo")).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("im.tongyou.server.storage.TestDatabases#available")
    void changesSinceAVersionIncludeRemovals(TestDatabases.Kind kind) {
        open(kind);
        store.save("juliet", item(ROMEO));
        long v2 = store.save("juliet", item(NURSE));
        long v3 = store.delete("juliet", ROMEO);
        long v4 = store.save("juliet", new RosterItem(NURSE, "Angelica", Subscription.NONE, false, false, false, Set.of()));

        List<RosterStore.Change> changes = store.changesSince("juliet", v2).orElseThrow();

        assertThat(changes).extracting(RosterStore.Change::version).containsExactly(v3, v4);
        assertThat(changes.get(0).removed().toBareJID()).isEqualTo("romeo@example.net");
        assertThat(changes.get(1).item().name()).isEqualTo("Angelica");
        assertThat(store.changesSince("juliet", v4).orElseThrow()).isEmpty();
        assertThat(store.changesSince("juliet", v4 + 1)).as("a version from the future").isEmpty();
        assertThat(store.delete("juliet", ROMEO)).as("already gone").isEqualTo(-1);
    }

    @ParameterizedTest
    @MethodSource("im.tongyou.server.storage.TestDatabases#available")
    void forgottenRemovalsForceAFullRoster(TestDatabases.Kind kind) {
        open(kind);
        for (int i = 0; i <= RosterStore.MAX_TOMBSTONES; i++) {
            JID contact = new JID("c" + i + "@example.net");
            store.save("juliet", item(contact));
            store.delete("juliet", contact);
        }
        long current = store.version("juliet");

        assertThat(store.changesSince("juliet", 0)).isEmpty();
        assertThat(store.changesSince("juliet", current - 2).orElseThrow()).hasSize(1);
    }

    @ParameterizedTest
    @MethodSource("im.tongyou.server.storage.TestDatabases#available")
    void pendingRequestsAreKeptOnceAndErasedWithEitherSide(TestDatabases.Kind kind) {
        open(kind);
        Instant at = Instant.parse("2026-11-29T10:00:00Z");
        assertThat(store.addPending("juliet", ROMEO, at, new byte[] {1, 2, 3})).isTrue();
        assertThat(store.addPending("juliet", ROMEO, at.plusSeconds(5), new byte[] {9})).isFalse();
        store.addPending("nurse", ROMEO, at, null);
        store.save("tybalt", item(ROMEO));

        assertThat(store.pending("juliet")).singleElement().satisfies(p -> {
            assertThat(p.contact().toBareJID()).isEqualTo("romeo@example.net");
            assertThat(p.receivedAt()).isEqualTo(at);
            assertThat(p.stanza()).containsExactly(1, 2, 3);
        });
        assertThat(store.state("juliet", ROMEO)).isEqualTo(new SubscriptionState(Subscription.NONE, false, true, false));
        assertThat(store.usersRelatedTo(ROMEO)).containsExactlyInAnyOrder("juliet", "nurse", "tybalt");

        store.erase("romeo", ROMEO);

        assertThat(store.pending("juliet")).isEmpty();
        assertThat(store.pendingCount("nurse")).isZero();
        assertThat(store.items("tybalt")).hasSize(1); // the contact's own roster stays theirs
    }

    static RosterItem item(JID jid) {
        return new RosterItem(jid, null, Subscription.NONE, false, false, false, Set.of());
    }
}
