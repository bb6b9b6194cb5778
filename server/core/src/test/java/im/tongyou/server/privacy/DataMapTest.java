package im.tongyou.server.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import im.tongyou.server.TestClock;
import im.tongyou.server.TongyouServer;
import im.tongyou.server.storage.TestDatabases;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The data-map check (privacy requirements AC-29, R-RET-1, AC-17) on a server with every core
 * feature, on every test database: every table with a user column has a store that exports and
 * erases it, every store says what its data is for and its owner declares a retention, and every
 * category's oldest-record query runs on the real schema.
 */
class DataMapTest {

    @TempDir
    Path dir;
    TongyouServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private DataMap start(TestDatabases.Kind kind) throws Exception {
        server = TongyouServer.startHeadless(TestDatabases.config(kind, dir), null, new TestClock());
        return server.dataMap();
    }

    @ParameterizedTest
    @MethodSource("im.tongyou.server.storage.TestDatabases#available")
    void everyTableWithAUserColumnHasAStoreWithPurposeAndRetention(TestDatabases.Kind kind) throws Exception {
        DataMap map = start(kind);
        assertThat(map.tablesWithUserColumns()).as("the changelogs are read").containsKeys("account", "account_scram",
                "crypto_user_key", "audit_log", "register_user", "register_sms_code", "register_policy_acceptance",
                "roster_item", "roster_pending", "roster_removed", "blocking_item", "lastactivity", "muc_affiliation",
                "upload_file", "privacy_erasure");
        // The pseudonymisation column of the offline queue identifies the sender (a keyed hash).
        assertThat(map.tablesWithUserColumns().get("offline_message")).contains("username", "sender_hash");
        assertThat(map.uncovered()).as("tables with a user column and no exporter/eraser").isEmpty();
        for (DataMap.Store store : map.stores()) {
            assertThat(store.purpose()).as("the purpose of " + store.store()).isNotBlank();
            assertThat(store.retention()).as("the retention declared by " + store.owner() + " for " + store.store())
                    .isNotEmpty();
        }
        assertThat(map.markdown()).contains("| roster | roster |", "`roster_item` (username, contact)",
                "`offline_message` (username, sender_hash)", "sms-code: PT5M",
                "upload: 180 days", "| audit: 1095 days<br>erasure-record: 1095 days |")
                .doesNotContain("no store", "**none declared**");
    }

    @ParameterizedTest
    @MethodSource("im.tongyou.server.storage.TestDatabases#available")
    void theChangelogsNameEveryUserColumnTheDatabaseHas(TestDatabases.Kind kind) throws Exception {
        DataMap map = start(kind);
        Set<String> inDatabase = new TreeSet<>();
        try (Connection c = server.database().dataSource().getConnection();
             ResultSet rs = c.getMetaData().getColumns(null, c.getSchema(), "%", "%")) {
            while (rs.next()) {
                if (DataMap.USER_COLUMNS.contains(rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT))) {
                    inDatabase.add(rs.getString("TABLE_NAME").toLowerCase(Locale.ROOT));
                }
            }
        }
        assertThat(inDatabase).isNotEmpty();
        assertThat(map.tablesWithUserColumns().keySet()).containsAll(inDatabase);
    }

    @ParameterizedTest
    @MethodSource("im.tongyou.server.storage.TestDatabases#available")
    void everyRetentionCategoryReportsItsOldestRecord(TestDatabases.Kind kind) throws Exception {
        start(kind);
        var reports = server.retention().purgeAll();
        assertThat(reports).extracting(RetentionRegistry.Report::category).contains("account", "data-key", "audit",
                "erasure-record", "registration", "policy-acceptance", "sms-code", "roster", "blocklist",
                "last-activity", "muc-affiliation", "muc-room", "upload");
        assertThat(reports).allSatisfy(r -> assertThat(r.error()).as(r.category()).isNull());
    }

    @ParameterizedTest
    @MethodSource("im.tongyou.server.storage.TestDatabases#available")
    void aStoreMissingFromTheRegistryIsReported(TestDatabases.Kind kind) throws Exception {
        start(kind);
        SubjectDataRegistry withoutRoster = new SubjectDataRegistry();
        server.subjectData().providers().stream().filter(p -> !p.name().equals("roster"))
                .forEach(p -> withoutRoster.add(p, server.subjectData().owner(p)));
        DataMap map = DataMap.of(withoutRoster, server.retention(), server.database().appliedChangelogs());
        assertThat(map.uncovered()).containsExactly("roster_item", "roster_pending", "roster_removed", "roster_version");
        assertThat(map.markdown()).contains("**Tables with a user column and no store:** roster_item");
    }
}
