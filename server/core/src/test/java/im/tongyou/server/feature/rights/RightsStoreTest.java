package im.tongyou.server.feature.rights;

import static org.assertj.core.api.Assertions.assertThat;

import im.tongyou.server.storage.Database;
import im.tongyou.server.storage.TestDatabases;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Rights requests on every test database, with the real changelog: an open correction keeps its
 * encrypted detail, is listed as open until answered once, and is not purged while open.
 */
class RightsStoreTest {

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
    void anOpenCorrectionIsAnsweredOnceAndKeptUntilThen(TestDatabases.Kind kind) {
        database = Database.open(TestDatabases.config(kind, dir));
        database.applyChangelog("im/tongyou/server/feature/rights/changelog.xml", getClass().getClassLoader());
        RightsStore store = new RightsStore(database.dataSource());
        Instant t = Instant.parse("2026-11-29T08:00:00Z");
        RightsStore.Request open = new RightsStore.Request("c-1", "benvolio", "correction", t, t, null,
                t.plus(Duration.ofDays(7)), null, 0, null, null);
        store.insert(open, null, new byte[] {1, 2, 3});
        store.insert(new RightsStore.Request("e-1", "benvolio", "export", t, t, t, t.plus(Duration.ofDays(7)),
                t.plus(Duration.ofHours(24)), 0, "done", null), "ab".repeat(32));

        assertThat(store.open()).extracting(RightsStore.Request::id).containsExactly("c-1");
        assertThat(store.detail("c-1")).hasValueSatisfying(d -> assertThat(d).containsExactly(1, 2, 3));
        assertThat(store.detail("e-1")).isEmpty();
        assertThat(store.purge(t.plus(Duration.ofDays(4000)), t.plus(Duration.ofDays(4000))))
                .as("only answered requests go").isEqualTo(1);

        assertThat(store.respond("c-1", t.plus(Duration.ofDays(2)), "refused", "data-accurate")).isTrue();
        assertThat(store.respond("c-1", t.plus(Duration.ofDays(3)), "done", null)).as("answered once").isFalse();
        assertThat(store.byId("c-1")).hasValueSatisfying(r -> {
            assertThat(r.respondedAt()).isEqualTo(t.plus(Duration.ofDays(2)));
            assertThat(r.outcome()).isEqualTo("refused");
            assertThat(r.reason()).isEqualTo("data-accurate");
        });
        assertThat(store.open()).isEmpty();
    }
}
