package im.tongyou.server.feature.blocking;

import static org.assertj.core.api.Assertions.assertThat;

import im.tongyou.server.storage.Database;
import im.tongyou.server.storage.TestDatabases;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Blocklists on every test database, with the real changelog. */
class BlockingStoreTest {

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
    void blockUnblockAndUnblockAll(TestDatabases.Kind kind) {
        database = Database.open(TestDatabases.config(kind, dir));
        database.applyChangelog("im/tongyou/server/feature/blocking/changelog.xml", getClass().getClassLoader());
        BlockingStore store = new BlockingStore(database.dataSource());
        BlockList list = new BlockList(store);
        Instant now = Instant.parse("2026-11-29T10:00:00Z");

        assertThat(store.add("juliet", List.of("romeo@example.net", "montague.example"), now))
                .containsExactly("romeo@example.net", "montague.example");
        assertThat(store.add("juliet", List.of("romeo@example.net", "tybalt@example.net"), now.plusSeconds(1)))
                .containsExactly("tybalt@example.net");
        assertThat(list.blocks("juliet", new org.xmpp.packet.JID("romeo@example.net/orchard"))).isTrue();
        assertThat(store.count("juliet")).isEqualTo(3);

        assertThat(store.remove("juliet", List.of("romeo@example.net", "nobody@example.net")))
                .containsExactly("romeo@example.net");
        list.invalidate("juliet");
        assertThat(list.blocks("juliet", new org.xmpp.packet.JID("romeo@example.net/orchard"))).isFalse();
        assertThat(store.removeAll("juliet")).containsExactlyInAnyOrder("montague.example", "tybalt@example.net");
        assertThat(store.list("juliet")).isEmpty();
    }
}
