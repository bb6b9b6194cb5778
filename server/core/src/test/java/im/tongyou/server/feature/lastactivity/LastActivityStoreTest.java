package im.tongyou.server.feature.lastactivity;

import static org.assertj.core.api.Assertions.assertThat;

import im.tongyou.server.storage.Database;
import im.tongyou.server.storage.Jdbc;
import im.tongyou.server.storage.TestDatabases;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Last logouts on every test database, with the real changelog: kept in memory, written in batches. */
class LastActivityStoreTest {

    private static final Instant FIRST = Instant.parse("2026-11-29T10:00:00Z");

    @TempDir
    Path dir;
    Database database;
    /** The flushes the store asked for, run when the test says. */
    final List<Runnable> scheduled = new ArrayList<>();

    @AfterEach
    void close() {
        if (database != null) {
            database.close();
        }
    }

    private LastActivityStore open(TestDatabases.Kind kind) {
        database = Database.open(TestDatabases.config(kind, dir));
        database.applyChangelog("im/tongyou/server/feature/lastactivity/changelog.xml", getClass().getClassLoader());
        return new LastActivityStore(database.dataSource(), scheduled::add);
    }

    /** The row in the table, bypassing what the store keeps in memory. */
    private Optional<Instant> written(String username) {
        return new Jdbc(database.dataSource()).queryOne("SELECT logout_at FROM lastactivity WHERE username = ?",
                rs -> rs.getObject(1, OffsetDateTime.class).toInstant(), username);
    }

    private void runScheduled() {
        List<Runnable> tasks = new ArrayList<>(scheduled);
        scheduled.clear();
        tasks.forEach(Runnable::run);
    }

    @ParameterizedTest
    @MethodSource("im.tongyou.server.storage.TestDatabases#available")
    void theLastLogoutReplacesTheOneBeforeAndIsErased(TestDatabases.Kind kind) {
        LastActivityStore store = open(kind);

        store.save("juliet", FIRST, null);
        runScheduled();
        store.save("juliet", FIRST.plusSeconds(60), new byte[] {7});
        runScheduled();

        assertThat(written("juliet")).contains(FIRST.plusSeconds(60));
        assertThat(store.find("juliet")).hasValueSatisfying(l -> {
            assertThat(l.at()).isEqualTo(FIRST.plusSeconds(60));
            assertThat(l.status()).containsExactly(7);
        });
        store.erase("juliet");
        assertThat(store.find("juliet")).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("im.tongyou.server.storage.TestDatabases#available")
    void logoutsAreSeenAtOnceAndWrittenTogetherByOneFlush(TestDatabases.Kind kind) {
        LastActivityStore store = open(kind);
        store.save("romeo", FIRST, null);
        runScheduled();

        store.save("romeo", FIRST.plusSeconds(10), new byte[] {1});
        store.save("juliet", FIRST.plusSeconds(20), null);
        store.save("nurse", FIRST.plusSeconds(30), null);

        assertThat(scheduled).hasSize(1); // one flush for the three
        assertThat(written("juliet")).isEmpty();
        assertThat(written("romeo")).contains(FIRST);
        assertThat(store.find("juliet")).map(LastActivityStore.Logout::at).contains(FIRST.plusSeconds(20));
        assertThat(store.find("romeo")).map(LastActivityStore.Logout::at).contains(FIRST.plusSeconds(10));

        runScheduled();
        assertThat(written("romeo")).contains(FIRST.plusSeconds(10));
        assertThat(written("juliet")).contains(FIRST.plusSeconds(20));
        assertThat(written("nurse")).contains(FIRST.plusSeconds(30));
        assertThat(store.find("romeo")).hasValueSatisfying(l -> assertThat(l.status()).containsExactly(1));
    }

    @ParameterizedTest
    @MethodSource("im.tongyou.server.storage.TestDatabases#available")
    void anOlderLogoutNeverReplacesANewerOne(TestDatabases.Kind kind) {
        LastActivityStore store = open(kind);
        store.save("juliet", FIRST.plusSeconds(60), null);
        store.save("juliet", FIRST, null); // two sessions ending at once, reported out of order
        runScheduled();
        assertThat(written("juliet")).contains(FIRST.plusSeconds(60));
    }

    @ParameterizedTest
    @MethodSource("im.tongyou.server.storage.TestDatabases#available")
    void anErasedUsersPendingLogoutIsNotWrittenBack(TestDatabases.Kind kind) {
        LastActivityStore store = open(kind);
        store.save("juliet", FIRST, null);
        runScheduled();
        store.save("juliet", FIRST.plusSeconds(60), null);

        store.erase("juliet");
        runScheduled();

        assertThat(written("juliet")).isEmpty();
        assertThat(store.find("juliet")).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("im.tongyou.server.storage.TestDatabases#available")
    void closingWritesWhatIsKeptAndALaterSaveAsksForAnotherFlush(TestDatabases.Kind kind) {
        LastActivityStore store = open(kind);
        store.save("juliet", FIRST, null);
        store.close();
        assertThat(written("juliet")).contains(FIRST);

        scheduled.clear();
        store.save("romeo", FIRST, null);
        assertThat(scheduled).hasSize(1);
    }
}
