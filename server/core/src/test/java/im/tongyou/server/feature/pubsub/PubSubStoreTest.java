package im.tongyou.server.feature.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import im.tongyou.server.storage.Database;
import im.tongyou.server.storage.TestDatabases;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.xmpp.packet.JID;

/** Nodes, affiliations, subscriptions and items on every test database, with the real changelog. */
class PubSubStoreTest {

    static final Instant NOW = Instant.parse("2026-11-29T10:00:00Z");

    @TempDir
    Path dir;
    Database database;

    @AfterEach
    void close() {
        if (database != null) {
            database.close();
        }
    }

    PubSubStore open(TestDatabases.Kind kind) {
        database = Database.open(TestDatabases.config(kind, dir));
        database.applyChangelog("im/tongyou/server/feature/pubsub/changelog.xml", getClass().getClassLoader());
        return new PubSubStore(database.dataSource());
    }

    static PubSubNode node(String id, String service, String name) {
        PubSubNode node = new PubSubNode(id, service, name, NodeConfig.defaults(false, 10), NOW);
        node.affiliation("romeo@example.net", Affiliation.OWNER);
        return node;
    }

    static PubSubStore.StoredItem item(String id, String publisher, int second) {
        return new PubSubStore.StoredItem(id, publisher, publisher, ("sealed " + id).getBytes(StandardCharsets.UTF_8),
                NOW.plusSeconds(second));
    }

    @ParameterizedTest
    @MethodSource("im.tongyou.server.storage.TestDatabases#available")
    void nodesKeepTheirAffiliationsAndSubscriptions(TestDatabases.Kind kind) {
        PubSubStore store = open(kind);
        store.insertNode(node("n1", "pubsub.example.net", "princely_musings"), "<x/>");
        store.insertNode(node("n2", "romeo@example.net", "urn:xmpp:avatar:metadata"), "<x/>");
        store.setAffiliation("n1", "juliet@example.net", Affiliation.PUBLISHER);
        store.setAffiliation("n1", "tybalt@example.net", Affiliation.OUTCAST);
        store.setAffiliation("n1", "tybalt@example.net", Affiliation.NONE);
        store.saveSubscription("n1", new PubSubNode.Subscription(new JID("juliet@example.net/balcony"), "s1", true, NOW));
        store.saveSubscription("n1", new PubSubNode.Subscription(new JID("juliet@example.net/balcony"), "s2", false, NOW));
        store.saveSubscription("n2", new PubSubNode.Subscription(new JID("nurse@example.net"), "s3", true, NOW));
        store.updateConfig("n1", "<x type='submit'/>");

        List<PubSubStore.StoredNode> nodes = store.nodes("pubsub.example.net");
        assertThat(nodes).singleElement().satisfies(n -> {
            assertThat(n.name()).isEqualTo("princely_musings");
            assertThat(n.config()).isEqualTo("<x type='submit'/>");
            assertThat(n.createdAt()).isEqualTo(NOW);
            assertThat(n.affiliations()).containsOnlyKeys("romeo@example.net", "juliet@example.net")
                    .containsEntry("juliet@example.net", Affiliation.PUBLISHER);
            assertThat(n.subscriptions()).singleElement().satisfies(s -> {
                assertThat(s.subid()).isEqualTo("s2"); // one subscription per JID: the second replaced the first
                assertThat(s.deliver()).isFalse();
            });
        });
        assertThat(store.servicesInvolving("juliet@example.net")).containsExactly("pubsub.example.net");
        assertThat(store.servicesInvolving("romeo@example.net"))
                .containsExactlyInAnyOrder("pubsub.example.net", "romeo@example.net");

        store.deleteSubscription("n1", new JID("juliet@example.net/balcony"));
        store.deleteNode("n2");
        assertThat(store.nodes("pubsub.example.net").get(0).subscriptions()).isEmpty();
        assertThat(store.nodes("romeo@example.net")).isEmpty();
        assertThat(store.servicesInvolving("nurse@example.net")).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("im.tongyou.server.storage.TestDatabases#available")
    void itemsAreReplacedTrimmedRetractedAndPurged(TestDatabases.Kind kind) {
        PubSubStore store = open(kind);
        store.insertNode(node("n1", "pubsub.example.net", "princely_musings"), "<x/>");

        assertThat(store.putItem("n1", item("a", "romeo@example.net", 1), 3)).isEmpty();
        assertThat(store.putItem("n1", item("b", "juliet@example.net", 2), 3)).isEmpty();
        assertThat(store.putItem("n1", item("c", "romeo@example.net", 3), 3)).isEmpty();
        assertThat(store.putItem("n1", item("a", "romeo@example.net", 4), 3)).isEmpty(); // same id: replaced, now newest
        assertThat(store.putItem("n1", item("d", "romeo@example.net", 5), 3)).containsExactly("b");

        assertThat(store.items("n1", 10)).extracting(PubSubStore.StoredItem::id).containsExactly("c", "a", "d");
        assertThat(store.items("n1", 2)).extracting(PubSubStore.StoredItem::id).containsExactly("a", "d");
        PubSubStore.StoredItem a = store.items("n1", List.of("a", "zz")).get(0);
        assertThat(new String(a.payload(), StandardCharsets.UTF_8)).isEqualTo("sealed a");
        assertThat(a.publishedAt()).isEqualTo(NOW.plusSeconds(4));
        assertThat(a.keyUser()).isEqualTo("romeo@example.net");
        assertThat(store.itemsPublishedBy("romeo@example.net")).containsEntry("n1", List.of("c", "a", "d"));

        store.trim("n1", 1);
        assertThat(store.items("n1", 10)).extracting(PubSubStore.StoredItem::id).containsExactly("d");
        assertThat(store.deleteItem("n1", "d")).isTrue();
        assertThat(store.deleteItem("n1", "d")).isFalse();
        store.putItem("n1", item("e", "romeo@example.net", 6), 3);
        store.purge("n1");
        assertThat(store.items("n1", 10)).isEmpty();

        // A new store continues the sequence, so the newest stays newest after a restart.
        store.putItem("n1", item("f", "romeo@example.net", 7), 3);
        PubSubStore restarted = new PubSubStore(database.dataSource());
        restarted.putItem("n1", item("g", "romeo@example.net", 8), 3);
        assertThat(restarted.items("n1", 1)).extracting(PubSubStore.StoredItem::id).containsExactly("g");
    }
}
