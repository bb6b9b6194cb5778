package im.tongyou.server.feature.lastactivity;

import static org.assertj.core.api.Assertions.assertThat;

import im.tongyou.server.storage.Database;
import im.tongyou.server.storage.TestDatabases;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Last logouts on every test database, with the real changelog. */
class LastActivityStoreTest {

    @TempDir
    Path dir;
    Database database;

    @AfterEach
    void close() {
        if (database != null) {
            database.close();
        }
    }

    @ParameterizedTest
    @MethodSource("im.tongyou.server.storage.TestDatabases#available")
    void theLastLogoutReplacesTheOneBeforeAndIsErased(TestDatabases.Kind kind) {
        database = Database.open(TestDatabases.config(kind, dir));
        database.applyChangelog("im/tongyou/server/feature/lastactivity/changelog.xml", getClass().getClassLoader());
        LastActivityStore store = new LastActivityStore(database.dataSource());
        Instant first = Instant.parse("2026-11-29T10:00:00Z");

        store.save("juliet", first, null);
        store.save("juliet", first.plusSeconds(60), new byte[] {7});

        assertThat(store.find("juliet")).hasValueSatisfying(l -> {
            assertThat(l.at()).isEqualTo(first.plusSeconds(60));
            assertThat(l.status()).containsExactly(7);
        });
        store.erase("juliet");
        assertThat(store.find("juliet")).isEmpty();
    }
}
