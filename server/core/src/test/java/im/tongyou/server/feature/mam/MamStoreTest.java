package im.tongyou.server.feature.mam;

import static im.tongyou.server.feature.mam.MamFixture.chat;
import static im.tongyou.server.feature.mam.MamFixture.iq;
import static org.assertj.core.api.Assertions.assertThat;

import im.tongyou.server.storage.TestDatabases;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.xmpp.packet.IQ;
import org.xmpp.packet.PacketError;

/**
 * The archive's tables on H2 and PostgreSQL: the page query reads the index only, group commit under
 * concurrency, retention (server and user), purge, export and erasure.
 */
class MamStoreTest {

    @TempDir
    Path dir;
    MamFixture f;

    void open(TestDatabases.Kind kind) {
        f = new MamFixture(kind, dir, MamPrefs.Mode.ALWAYS, 100, 180);
    }

    @AfterEach
    void close() {
        if (f != null) {
            f.close();
        }
    }

    /**
     * Rows straight into the table in batches of 200, as the archive's writer stores them under load:
     * one conversation (5,000 messages in 100 buckets) among some 16,000 buckets of others, about
     * the share of one conversation in a real archive table or more.
     */
    void fill(int rows) throws Exception {
        try (Connection c = f.database.dataSource().getConnection()) {
            c.setAutoCommit(false);
            List<MamStore.Row> batch = new ArrayList<>();
            for (int i = 0; i < rows; i++) {
                // Half of the rows are user7's; half of those are with contact7: 5,000 of 20,000.
                String owner = i % 2 == 0 ? "user7" : "other" + (i % 19);
                String with = i % 4 == 0 ? "contact7" : "contact" + (i % 50);
                batch.add(new MamStore.Row(MamIds.firstIdAt(1_700_000_000_000L + i), owner, with + "@tongyou.example",
                        "", "sid" + i, i % 2 == 0, new byte[64]));
                if (batch.size() == 200) {
                    f.store.insert(c, batch);
                    batch.clear();
                }
            }
            f.store.insert(c, batch);
            c.commit();
        }
    }

    String explain(TestDatabases.Kind kind) throws Exception {
        try (Connection c = f.database.dataSource().getConnection()) {
            if (kind == TestDatabases.Kind.POSTGRES) {
                c.createStatement().execute("VACUUM ANALYZE mam_bucket"); // statistics, and the visibility map
            }
            try (PreparedStatement ps = c.prepareStatement("EXPLAIN " + MamBucketScan.conversationPageSql())) {
                ps.setString(1, "user7");
                ps.setString(2, "contact7@tongyou.example");
                ps.setLong(3, 0);
                ps.setLong(4, Long.MAX_VALUE);
                StringBuilder plan = new StringBuilder();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        plan.append(rs.getString(1)).append('\n');
                    }
                }
                return plan.toString();
            }
        }
    }

    @ParameterizedTest
    @MethodSource("im.tongyou.server.storage.TestDatabases#available")
    void theNewestPageOfAConversationIsFoundInTheIndexOnlyWithoutSorting(TestDatabases.Kind kind) throws Exception {
        open(kind);
        fill(20_000);
        String plan = explain(kind);
        if (kind == TestDatabases.Kind.POSTGRES) {
            assertThat(plan).as(plan).contains("Limit", "Index Only Scan Backward using ix_mam_bucket_with")
                    .doesNotContain("Sort", "Heap Scan", "Seq Scan");
        } else {
            // H2 names the index it reads and says when the index order serves ORDER BY (no sort).
            assertThat(plan).as(plan).containsIgnoringCase("IX_MAM_BUCKET_WITH").contains("/* index sorted */");
        }
        MamStore.Selection conversation = new MamStore.Selection("user7", "contact7@tongyou.example", null, 0,
                Long.MAX_VALUE, null);
        List<Long> ids = f.store.page(conversation, null, null, true, 51).stream().map(MamStore.Stored::id).toList();
        assertThat(ids).hasSize(51).isSortedAccordingTo((a, b) -> Long.compare(b, a));
        assertThat(f.store.countUpTo(conversation, null, 10_000)).isEqualTo(5000);
        assertThat(f.store.countUpTo(conversation, null, 100)).as("capped").isEqualTo(101);
    }

    @ParameterizedTest
    @MethodSource("im.tongyou.server.storage.TestDatabases#available")
    void concurrentWritersAreCommittedInBatchesInIdOrder(TestDatabases.Kind kind) throws Exception {
        open(kind);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<List<String>> written = new ArrayList<>();
        try {
            List<Future<List<String>>> futures = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                futures.add(pool.submit(() -> {
                    List<String> mine = new ArrayList<>();
                    for (int i = 0; i < 50; i++) {
                        mine.add(f.writer.submit(List.of(new MamStore.Row(0, "romeo", "juliet@tongyou.example", "",
                                null, true, new byte[] {1}))).get(0).sid());
                    }
                    return mine;
                }));
            }
            for (Future<List<String>> future : futures) {
                written.add(future.get());
            }
        } finally {
            pool.shutdown();
        }
        assertThat(f.rows("SELECT COALESCE(SUM(messages), 0) FROM mam_bucket")).isEqualTo(400);
        long[] stats = f.writer.statistics();
        assertThat(stats[1]).isEqualTo(400);
        assertThat(stats[0]).isBetween(1L, 400L);
        // Each writer's rows keep its order: ids grow with the order in which they were written, and
        // the UID the writer gave back is the one stored.
        List<String> stored = f.store.page(MamStore.Selection.all("romeo"), null, null, false, 500)
                .stream().map(MamStore.Stored::sid).toList();
        assertThat(stored).hasSize(400).doesNotHaveDuplicates();
        for (List<String> mine : written) {
            assertThat(stored.stream().filter(mine::contains).toList()).isEqualTo(mine);
        }
    }

    @ParameterizedTest
    @MethodSource("im.tongyou.server.storage.TestDatabases#available")
    void uidsAreFoundWhetherDerivedFromTheKeyOrStoredBeforeAndOnlyInTheirOwnersArchive(TestDatabases.Kind kind)
            throws Exception {
        open(kind);
        String derived = f.writer.submit(List.of(new MamStore.Row(0, "romeo", "juliet@tongyou.example", "", null, true,
                new byte[] {1}))).get(0).sid();
        long legacyId = MamIds.firstIdAt(1_600_000_000_000L);
        try (Connection c = f.database.dataSource().getConnection()) {
            // A row archived before UIDs were derived: a random UID of 20 characters, no index on it.
            f.store.insert(c, List.of(new MamStore.Row(legacyId, "romeo", "juliet@tongyou.example", "",
                    "Zq3legacyRandomUid0A", false, new byte[] {2})));
        }
        f.writer.fence();
        Map<String, Long> found = f.store.idsOf("romeo", List.of(derived, "Zq3legacyRandomUid0A", "unknown",
                f.store.uids().of(legacyId + 1)));
        assertThat(found).containsOnlyKeys(derived, "Zq3legacyRandomUid0A");
        assertThat(found.get("Zq3legacyRandomUid0A")).isEqualTo(legacyId);
        assertThat(f.store.uids().of(found.get(derived))).isEqualTo(derived);
        assertThat(f.store.idsOf("juliet", List.of(derived, "Zq3legacyRandomUid0A"))).as("another archive").isEmpty();
    }

    @ParameterizedTest
    @MethodSource("im.tongyou.server.storage.TestDatabases#available")
    void retentionDeletesTheOldestMessagesForTheServerAndForUsersWhoChoseLess(TestDatabases.Kind kind) throws Exception {
        open(kind);
        f.route(chat("romeo@tongyou.example/a", "juliet", "day 0"));
        f.clock.advance(Duration.ofDays(100));
        f.route(chat("romeo@tongyou.example/a", "juliet", "day 100"));
        f.clock.advance(Duration.ofDays(90));
        f.route(chat("romeo@tongyou.example/a", "juliet", "day 190"));

        IQ chosen = f.retention.set(iq("juliet@tongyou.example/b",
                "<iq type='set' id='r'><retention xmlns='urn:tongyou:mam-retention:0' days='30'/></iq>"));
        assertThat(chosen.getChildElement().attributeValue("days")).isEqualTo("30");
        assertThat(chosen.getChildElement().attributeValue("server-days")).isEqualTo("180");
        assertThat(f.rows("SELECT COALESCE(SUM(messages), 0) FROM mam_bucket WHERE owner = 'juliet'")).as("at once").isEqualTo(1);

        f.retention.enforce();
        assertThat(f.rows("SELECT COALESCE(SUM(messages), 0) FROM mam_bucket WHERE owner = 'romeo'")).as("day 0 is 190 days old").isEqualTo(2);

        IQ get = f.retention.get(iq("romeo@tongyou.example/a",
                "<iq type='get' id='g'><retention xmlns='urn:tongyou:mam-retention:0'/></iq>"));
        assertThat(get.getChildElement().attributeValue("days")).isEqualTo("180");
        MamQueryTest.assertCondition(() -> f.retention.set(iq("romeo@tongyou.example/a",
                "<iq type='set' id='r'><retention xmlns='urn:tongyou:mam-retention:0' days='365'/></iq>")),
                PacketError.Condition.not_acceptable);
        MamQueryTest.assertCondition(() -> f.retention.set(iq("romeo@tongyou.example/a",
                "<iq type='set' id='r'><retention xmlns='urn:tongyou:mam-retention:0' days='0'/></iq>")),
                PacketError.Condition.bad_request);

        f.clock.advance(Duration.ofDays(31));
        f.retention.enforce();
        assertThat(f.rows("SELECT COALESCE(SUM(messages), 0) FROM mam_bucket WHERE owner = 'juliet'")).isZero();
        assertThat(f.rows("SELECT COALESCE(SUM(messages), 0) FROM mam_bucket WHERE owner = 'romeo'")).isEqualTo(2);
    }

    @ParameterizedTest
    @MethodSource("im.tongyou.server.storage.TestDatabases#available")
    void aUserPurgesTheirOwnArchiveOnlyWholeOrBeforeATime(TestDatabases.Kind kind) throws Exception {
        open(kind);
        f.route(chat("romeo@tongyou.example/a", "juliet", "first"));
        f.clock.advance(Duration.ofHours(2));
        f.route(chat("romeo@tongyou.example/a", "juliet", "second"));
        IQ before = f.retention.purge(iq("romeo@tongyou.example/a",
                "<iq type='set' id='p'><purge xmlns='urn:tongyou:mam-retention:0' before='2026-11-29T01:00:00Z'/></iq>"));
        assertThat(before.getChildElement().attributeValue("count")).isEqualTo("1");
        IQ all = f.retention.purge(iq("romeo@tongyou.example/a",
                "<iq type='set' id='p'><purge xmlns='urn:tongyou:mam-retention:0'/></iq>"));
        assertThat(all.getChildElement().attributeValue("count")).isEqualTo("1");
        assertThat(f.rows("SELECT COALESCE(SUM(messages), 0) FROM mam_bucket WHERE owner = 'romeo'")).isZero();
        assertThat(f.rows("SELECT COALESCE(SUM(messages), 0) FROM mam_bucket WHERE owner = 'juliet'")).isEqualTo(2);
    }

    @ParameterizedTest
    @MethodSource("im.tongyou.server.storage.TestDatabases#available")
    void theExportDecryptsTheArchiveAndErasureDeletesArchiveAndPreferences(TestDatabases.Kind kind) throws Exception {
        open(kind);
        f.route(chat("romeo@tongyou.example/a", "juliet", "for the export"));
        f.handler.setPrefs(iq("romeo@tongyou.example/a", "<iq type='set' id='p'><prefs xmlns='urn:xmpp:mam:2' default='roster'>"
                + "<always><jid>juliet@tongyou.example</jid></always><never/></prefs></iq>"));
        MamSubjectData data = new MamSubjectData(f.store, f.prefs, "tongyou.example", f.writer::fence);

        Map<String, Object> export = data.export("romeo");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> messages = (List<Map<String, Object>>) export.get("messages");
        assertThat(messages).singleElement().satisfies(m -> {
            assertThat((String) m.get("stanza")).contains("for the export");
            assertThat(m.get("direction")).isEqualTo("sent");
        });
        assertThat(export.get("preferences").toString()).contains("roster", "juliet@tongyou.example");

        data.erase("romeo");
        data.erase("romeo"); // idempotent
        assertThat(f.rows("SELECT COALESCE(SUM(messages), 0) FROM mam_bucket WHERE owner = 'romeo'")).isZero();
        assertThat(f.rows("SELECT COUNT(*) FROM mam_prefs_jid WHERE username = 'romeo'")).isZero();
        assertThat(f.rows("SELECT COALESCE(SUM(messages), 0) FROM mam_bucket WHERE owner = 'juliet'")).isEqualTo(1);
        IQ prefs = f.handler.getPrefs(iq("romeo@tongyou.example/a", "<iq type='get' id='p'><prefs xmlns='urn:xmpp:mam:2'/></iq>"));
        assertThat(prefs.getChildElement().attributeValue("default")).isEqualTo("always");
        assertThat(data.tables()).containsExactlyInAnyOrder("mam_bucket", "mam_uid", "mam_prefs", "mam_prefs_jid");

        // Crypto-shredding: with the key destroyed, Juliet's copy stays but can no longer be read.
        f.crypto.destroyKey("juliet");
        assertThat(f.store.after("juliet", -1, 10)).singleElement().satisfies(s -> assertThat(s.message()).isNull());
    }

    @ParameterizedTest
    @MethodSource("im.tongyou.server.storage.TestDatabases#available")
    void preferencesAreValidatedAndEchoed(TestDatabases.Kind kind) throws Exception {
        open(kind);
        IQ set = f.handler.setPrefs(iq("romeo@tongyou.example/a", "<iq type='set' id='p'><prefs xmlns='urn:xmpp:mam:2'"
                + " default='never'><always><jid>juliet@tongyou.example</jid><jid>juliet@tongyou.example</jid></always></prefs></iq>"));
        assertThat(set.getChildElement().asXML()).isEqualTo("<prefs xmlns=\"urn:xmpp:mam:2\" default=\"never\"><always>"
                + "<jid>juliet@tongyou.example</jid></always><never/></prefs>");
        MamQueryTest.assertCondition(() -> f.handler.setPrefs(iq("romeo@tongyou.example/a",
                "<iq type='set' id='p'><prefs xmlns='urn:xmpp:mam:2' default='sometimes'/></iq>")), PacketError.Condition.bad_request);
        MamQueryTest.assertCondition(() -> f.handler.setPrefs(iq("romeo@tongyou.example/a",
                "<iq type='set' id='p'><prefs xmlns='urn:xmpp:mam:2' default='always'><never><jid>a@b@c</jid></never></prefs></iq>")),
                PacketError.Condition.jid_malformed);
    }
}
