package im.tongyou.server.feature.mam;

import static org.assertj.core.api.Assertions.assertThat;

import im.tongyou.server.TestClock;
import im.tongyou.server.feature.StoredXml;
import im.tongyou.server.privacy.DataKeys;
import im.tongyou.server.privacy.MasterKey;
import im.tongyou.server.storage.Database;
import im.tongyou.server.storage.TestDatabases;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.xmpp.packet.Message;

/**
 * The archive in buckets on H2 and PostgreSQL: pages and counts are exact whatever the buckets
 * (several conversations per batch, so one archive's buckets overlap; batches wider than a bucket's
 * span), a purge inside a bucket removes exactly the messages before it, and the messages of the
 * former table move into buckets with their keys, UIDs and stanzas.
 */
class MamBucketStoreTest {

    static final long T0 = MamIds.firstIdAt(1_800_000_000_000L);
    static final List<String> CONTACTS = List.of("juliet@x", "nurse@x", "tybalt@x", "friar@x");

    @TempDir
    Path dir;
    MamFixture f;
    Database legacy;

    @AfterEach
    void close() {
        if (f != null) {
            f.close();
        }
        if (legacy != null) {
            legacy.close();
        }
    }

    /** Romeo's rows in batches of 1 to 40, over four conversations, 0 to 3 ms apart, some batches over 2 s. */
    List<MamStore.Row> fill() throws Exception {
        Random random = new Random(7);
        List<MamStore.Row> romeo = new ArrayList<>();
        long key = T0;
        try (Connection c = f.database.dataSource().getConnection()) {
            c.setAutoCommit(false);
            for (int batch = 0; batch < 60; batch++) {
                List<MamStore.Row> rows = new ArrayList<>();
                int size = 1 + random.nextInt(40);
                long step = batch % 10 == 9 ? MamIds.firstIdAt(100) : MamIds.firstIdAt(random.nextInt(4)) + 1;
                for (int i = 0; i < size; i++) {
                    key += step;
                    String owner = random.nextInt(5) == 0 ? "juliet" : "romeo";
                    String with = CONTACTS.get(random.nextInt(CONTACTS.size()));
                    MamStore.Row r = new MamStore.Row(key, owner, with, i % 3 == 0 ? "phone" : "", null, i % 2 == 0,
                            new byte[] {(byte) i});
                    rows.add(r);
                    if (owner.equals("romeo")) {
                        romeo.add(r);
                    }
                }
                f.store.insert(c, rows);
            }
            c.commit();
        }
        return romeo;
    }

    static List<Long> keys(List<MamStore.Row> rows, String with, String resource) {
        return rows.stream().filter(r -> with == null || r.withBare().equals(with))
                .filter(r -> resource == null || r.withResource().equals(resource)).map(MamStore.Row::id).toList();
    }

    /** Every page of the selection, following the cursors as a client does, oldest first or newest first. */
    List<Long> walk(MamStore.Selection s, int pageSize, boolean newestFirst) {
        List<Long> all = new ArrayList<>();
        Long cursor = null;
        while (true) {
            List<MamStore.Stored> page = newestFirst ? f.store.page(s, null, cursor, true, pageSize)
                    : f.store.page(s, cursor, null, false, pageSize);
            page.forEach(p -> all.add(p.id()));
            if (page.size() < pageSize) {
                return all;
            }
            cursor = page.get(page.size() - 1).id();
        }
    }

    @ParameterizedTest
    @MethodSource("im.tongyou.server.storage.TestDatabases#available")
    void pagesAndCountsAreExactInBothDirectionsOverOverlappingBuckets(TestDatabases.Kind kind) throws Exception {
        f = new MamFixture(kind, dir, MamPrefs.Mode.ALWAYS, 100, 180);
        List<MamStore.Row> romeo = fill();
        long buckets = f.rows("SELECT COUNT(*) FROM mam_bucket WHERE owner = 'romeo'");
        assertThat(buckets).as("several messages share buckets").isLessThan(romeo.size()).isGreaterThan(60);
        assertThat(f.rows("SELECT COUNT(*) FROM mam_bucket WHERE last_id - first_id > " + MamBucket.SPAN)).isZero();

        for (String with : new String[] {null, "juliet@x", "friar@x"}) {
            for (String resource : with == null ? new String[] {null} : new String[] {null, "phone"}) {
                MamStore.Selection s = new MamStore.Selection("romeo", with, resource, 0, Long.MAX_VALUE, null);
                List<Long> expected = keys(romeo, with, resource);
                for (int size : new int[] {1, 7, 50}) {
                    assertThat(walk(s, size, false)).as("%s/%s forwards by %d", with, resource, size).isEqualTo(expected);
                    assertThat(walk(s, size, true)).as("%s/%s backwards by %d", with, resource, size)
                            .isEqualTo(expected.stream().sorted(Comparator.reverseOrder()).toList());
                }
                assertThat(f.store.countUpTo(s, null, 10_000)).isEqualTo(expected.size());
                long middle = expected.get(expected.size() / 2);
                assertThat(f.store.countUpTo(s, middle, 10_000)).as("before a key").isEqualTo(expected.size() / 2);
                assertThat(f.store.countUpTo(s, null, 3)).as("capped").isEqualTo(4);
            }
        }
        // A time range that starts and ends inside buckets.
        List<Long> all = keys(romeo, null, null);
        long from = all.get(17) - 1;
        long to = all.get(all.size() - 20);
        MamStore.Selection range = new MamStore.Selection("romeo", null, null, from, to, null);
        assertThat(walk(range, 9, true)).isEqualTo(all.subList(17, all.size() - 19).stream()
                .sorted(Comparator.reverseOrder()).toList());
        assertThat(f.store.countUpTo(range, null, 10_000)).isEqualTo(all.size() - 19 - 17);
        // Keys picked out, and the first and last message.
        List<Long> picked = List.of(all.get(3), all.get(40), all.get(all.size() - 1));
        assertThat(f.store.page(new MamStore.Selection("romeo", null, null, 0, Long.MAX_VALUE, picked), null, null,
                false, 10)).extracting(MamStore.Stored::id).containsExactlyElementsOf(picked);
        assertThat(f.store.edge("romeo", false).id()).isEqualTo(all.get(0));
        assertThat(f.store.edge("romeo", true).id()).isEqualTo(all.get(all.size() - 1));
        assertThat(f.store.idsOf("romeo", List.of(f.store.uids().of(all.get(5))))).containsValue(all.get(5));
    }

    @ParameterizedTest
    @MethodSource("im.tongyou.server.storage.TestDatabases#available")
    void aPurgeInsideABucketRemovesExactlyTheMessagesBeforeIt(TestDatabases.Kind kind) throws Exception {
        f = new MamFixture(kind, dir, MamPrefs.Mode.ALWAYS, 100, 180);
        List<MamStore.Row> romeo = fill();
        List<Long> all = keys(romeo, null, null);
        long cut = all.get(101);
        long partial = f.rows("SELECT COUNT(*) FROM mam_bucket WHERE owner = 'romeo' AND first_id < " + cut
                + " AND last_id >= " + cut);
        assertThat(f.store.purges().purge("romeo", cut)).isEqualTo(101);
        assertThat(walk(MamStore.Selection.all("romeo"), 50, false)).isEqualTo(all.subList(101, all.size()));
        assertThat(f.rows("SELECT COUNT(*) FROM mam_bucket WHERE first_id < " + cut + " AND owner = 'romeo'")).isZero();
        long julietBefore = f.rows("SELECT SUM(messages) FROM mam_bucket WHERE owner = 'juliet'");
        long julietOlder = f.rows("SELECT COUNT(*) FROM mam_bucket WHERE owner = 'juliet'") == 0 ? 0
                : walk(new MamStore.Selection("juliet", null, null, 0, all.get(300) - 1, null), 50, false).size();
        assertThat(f.store.purges().purgeAll(all.get(300), 3)).isEqualTo(300 - 101 + julietOlder);
        assertThat(f.rows("SELECT SUM(messages) FROM mam_bucket WHERE owner = 'juliet'")).isEqualTo(julietBefore - julietOlder);
        assertThat(walk(MamStore.Selection.all("romeo"), 50, true)).isEqualTo(all.subList(300, all.size()).stream()
                .sorted(Comparator.reverseOrder()).toList());
        assertThat(partial).as("the cut fell inside a bucket at least once in this fill").isPositive();
    }

    @ParameterizedTest
    @MethodSource("im.tongyou.server.storage.TestDatabases#available")
    void theFormerTableMovesIntoBucketsWithItsKeysUidsAndStanzas(TestDatabases.Kind kind) throws Exception {
        legacy = Database.open(TestDatabases.config(kind, dir));
        ClassLoader loader = getClass().getClassLoader();
        legacy.applyChangelog("im/tongyou/server/feature/mam/changelog-before-buckets.xml", loader);
        DataKeys crypto = new DataKeys(legacy.dataSource(), MasterKey.load(dir), new TestClock());
        try (Connection c = legacy.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO mam_message (id, owner, with_bare, with_resource, sid, outgoing, stanza) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            for (int i = 0; i < 5; i++) {
                Message m = new Message();
                m.setBody("line " + i);
                ps.setLong(1, T0 + i);
                ps.setString(2, i == 4 ? "juliet" : "romeo");
                ps.setString(3, i % 2 == 0 ? "juliet@x" : "nurse@x");
                ps.setString(4, "r" + i);
                ps.setString(5, "randomLegacyUid" + i);
                ps.setBoolean(6, i < 2);
                ps.setBytes(7, crypto.encrypt(i == 4 ? "juliet" : "romeo", StoredXml.toBytes(m.getElement())));
                ps.executeUpdate();
            }
        }
        legacy.applyChangelog("im/tongyou/server/feature/mam/changelog.xml", loader);
        MamStore store = new MamStore(legacy.dataSource(), crypto);

        List<MamStore.Stored> romeo = store.page(MamStore.Selection.all("romeo"), null, null, false, 10);
        assertThat(romeo).extracting(MamStore.Stored::id).containsExactly(T0, T0 + 1, T0 + 2, T0 + 3);
        assertThat(romeo).extracting(MamStore.Stored::sid).containsExactly("randomLegacyUid0", "randomLegacyUid1",
                "randomLegacyUid2", "randomLegacyUid3");
        assertThat(romeo).extracting(s -> s.message().getBody()).containsExactly("line 0", "line 1", "line 2", "line 3");
        assertThat(romeo).extracting(MamStore.Stored::outgoing).containsExactly(true, true, false, false);
        assertThat(store.page(new MamStore.Selection("romeo", "nurse@x", "r3", 0, Long.MAX_VALUE, null), null, null,
                false, 10)).extracting(MamStore.Stored::id).containsExactly(T0 + 3);
        assertThat(store.idsOf("romeo", List.of("randomLegacyUid2", "randomLegacyUid4")))
                .isEqualTo(Map.of("randomLegacyUid2", T0 + 2));
        assertThat(store.maxId()).isEqualTo(T0 + 4);
        try (Connection c = legacy.dataSource().getConnection();
             var rs = c.getMetaData().getTables(null, c.getSchema(), "%", new String[] {"TABLE"})) {
            List<String> tables = new ArrayList<>();
            while (rs.next()) {
                tables.add(rs.getString("TABLE_NAME").toLowerCase(java.util.Locale.ROOT));
            }
            assertThat(tables).contains("mam_bucket", "mam_uid").doesNotContain("mam_message");
        }
    }
}
