package im.tongyou.consent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import im.tongyou.server.storage.Database;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The consent ledger on every test database with the real changelog (AC-01): the shape of a grant
 * and its withdrawal, the grant-period view, append-only enforcement by the database, the hash chain
 * and its verifier, pseudonymisation and the purge at the end of the retention.
 */
class LedgerStoreTest {

    static final Instant T0 = Instant.parse("2026-11-29T08:00:00Z");

    @TempDir
    Path dir;
    Database database;

    @AfterEach
    void close() {
        if (database != null) {
            database.close();
        }
    }

    private static LedgerEntry.Draft draft(String subject, LedgerEntry.Action action, Instant at, Long withdraws) {
        return new LedgerEntry.Draft(subject, LedgerEntry.Actor.USER, null, "location_timeline", action,
                LedgerEntry.Type.SEPARATE, "privacy", "V4.2.7", "a".repeat(64), "b".repeat(64), at,
                LedgerEntry.Channel.ANDROID, "5.1.0", "zh-CN", withdraws);
    }

    @ParameterizedTest
    @MethodSource("im.tongyou.consent.TestDatabases#available")
    void aGrantAndItsWithdrawalAreTwoFullRowsAndTheViewShowsBothTimes(TestDatabases.Kind kind) throws Exception {
        database = TestDatabases.open(kind, dir);
        LedgerStore store = new LedgerStore(database.dataSource());
        String subject = store.subjectFor("juliet", T0);
        assertThat(store.subjectFor("juliet", T0.plusSeconds(5))).isEqualTo(subject);

        LedgerEntry grant = store.append(draft(subject, LedgerEntry.Action.GRANT, T0, null));
        LedgerEntry withdrawal = store.append(draft(subject, LedgerEntry.Action.WITHDRAW, T0.plusSeconds(60), grant.seq()));

        assertThat(withdrawal.seq()).isEqualTo(grant.seq() + 1);
        assertThat(withdrawal.prevHash()).isEqualTo(grant.hash());
        List<LedgerEntry> rows = store.history(subject, 0, 10);
        assertThat(rows).hasSize(2);
        for (LedgerEntry row : rows) {
            assertThat(row.subjectId()).isEqualTo(subject);
            assertThat(row.actor()).isEqualTo(LedgerEntry.Actor.USER);
            assertThat(row.topic()).isEqualTo("location_timeline");
            assertThat(row.type()).isEqualTo(LedgerEntry.Type.SEPARATE);
            assertThat(row.policyDoc()).isEqualTo("privacy");
            assertThat(row.policyVersion()).isEqualTo("V4.2.7");
            assertThat(row.policySha256()).hasSize(64);
            assertThat(row.noticeHash()).hasSize(64);
            assertThat(row.channel()).isEqualTo(LedgerEntry.Channel.ANDROID);
            assertThat(row.appVersion()).isEqualTo("5.1.0");
            assertThat(row.intact()).as("read back, the row hashes to its stored hash").isTrue();
        }
        assertThat(rows.get(0).action()).isEqualTo(LedgerEntry.Action.GRANT);
        assertThat(rows.get(0).recordedAt()).isEqualTo(T0);
        assertThat(rows.get(1).action()).isEqualTo(LedgerEntry.Action.WITHDRAW);
        assertThat(rows.get(1).withdraws()).isEqualTo(grant.seq());
        assertThat(store.latest(subject, "location_timeline").orElseThrow().action())
                .isEqualTo(LedgerEntry.Action.WITHDRAW);

        try (Connection c = database.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT granted_at, withdrawn_at FROM consent_grant_period")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getObject(1, java.time.OffsetDateTime.class).toInstant()).isEqualTo(T0);
            assertThat(rs.getObject(2, java.time.OffsetDateTime.class).toInstant()).isEqualTo(T0.plusSeconds(60));
            assertThat(rs.next()).isFalse();
        }
        assertThat(new LedgerVerifier(store).verify().intact()).isTrue();
    }

    @ParameterizedTest
    @MethodSource("im.tongyou.consent.TestDatabases#available")
    void theDatabaseRefusesUpdateAndDeleteAndATamperedRowBreaksTheChain(TestDatabases.Kind kind) throws Exception {
        database = TestDatabases.open(kind, dir);
        LedgerStore store = new LedgerStore(database.dataSource());
        String subject = store.subjectFor("romeo", T0);
        for (int i = 0; i < 3; i++) {
            store.append(draft(subject, LedgerEntry.Action.GRANT, T0.plusSeconds(i), null));
        }
        try (Connection c = database.dataSource().getConnection(); Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.executeUpdate("UPDATE consent_ledger SET action = 'REFUSE' WHERE seq = 2"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("append-only");
            assertThatThrownBy(() -> st.executeUpdate("DELETE FROM consent_ledger WHERE seq = 2"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("append-only");
        }
        assertThat(store.history(subject, 0, 10)).hasSize(3);
        assertThat(new LedgerVerifier(store).verify().intact()).isTrue();

        // Someone with the power to lift the guard changes a row: the verifier finds it.
        try (Connection c = database.dataSource().getConnection(); Statement st = c.createStatement()) {
            if (kind == TestDatabases.Kind.H2) {
                st.execute("DROP TRIGGER consent_ledger_append_only");
            } else {
                st.execute("ALTER TABLE consent_ledger DISABLE TRIGGER consent_ledger_append_only");
            }
            st.executeUpdate("UPDATE consent_ledger SET action = 'REFUSE' WHERE seq = 2");
        }
        LedgerVerifier.Result result = new LedgerVerifier(store).verify();
        assertThat(result.intact()).isFalse();
        assertThat(result.brokenAt()).isEqualTo(2);
    }

    @ParameterizedTest
    @MethodSource("im.tongyou.consent.TestDatabases#available")
    void erasurePseudonymisesAndThePurgeAfterTheRetentionKeepsTheChainVerifiable(TestDatabases.Kind kind) {
        database = TestDatabases.open(kind, dir);
        LedgerStore store = new LedgerStore(database.dataSource());
        String gone = store.subjectFor("tybalt", T0);
        String stays = store.subjectFor("mercutio", T0);
        store.append(draft(gone, LedgerEntry.Action.GRANT, T0, null));
        store.append(draft(stays, LedgerEntry.Action.GRANT, T0, null));
        store.append(draft(gone, LedgerEntry.Action.WITHDRAW, T0.plusSeconds(1), 1L));

        ConsentSubjectData.Ledger data = new ConsentSubjectData.Ledger(store, Clock.fixed(T0, ZoneOffset.UTC), 3);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> exported = (List<Map<String, Object>>) data.export("tybalt").get("consentHistory");
        assertThat(exported).extracting(r -> r.get("action")).containsExactly("GRANT", "WITHDRAW");

        data.erase("tybalt");
        data.erase("tybalt"); // idempotent
        assertThat(store.subjectOf("tybalt")).isEmpty();
        assertThat(data.export("tybalt").get("consentHistory")).asList().isEmpty();
        assertThat(store.history(gone, 0, 10)).as("the rows stay, pseudonymised").hasSize(2);

        ConsentSubjectData.Ledger early = new ConsentSubjectData.Ledger(store,
                Clock.fixed(T0.plus(java.time.Duration.ofDays(365)), ZoneOffset.UTC), 3);
        assertThat(early.purgeExpired()).isZero();
        ConsentSubjectData.Ledger late = new ConsentSubjectData.Ledger(store,
                Clock.fixed(T0.plus(java.time.Duration.ofDays(3 * 366)), ZoneOffset.UTC), 3);
        assertThat(late.purgeExpired()).isEqualTo(2);
        assertThat(store.history(gone, 0, 10)).isEmpty();
        assertThat(store.history(stays, 0, 10)).hasSize(1);
        assertThat(new LedgerVerifier(store).verify().intact()).as("purged rows keep their hashes").isTrue();
    }

    @ParameterizedTest
    @MethodSource("im.tongyou.consent.TestDatabases#available")
    void childrenAwaitingAGuardian(TestDatabases.Kind kind) {
        database = TestDatabases.open(kind, dir);
        MinorStore minors = new MinorStore(database.dataSource());
        minors.insertPending("kid", T0);
        minors.insertPending("kid", T0.plusSeconds(9)); // recorded already: nothing
        minors.insertPending("older", T0.minusSeconds(3600));
        assertThat(minors.pending()).containsExactlyInAnyOrder("kid", "older");
        assertThat(minors.pendingBefore(T0.minusSeconds(60))).containsExactly("older");
        assertThat(minors.find("kid").orElseThrow().pendingSince()).isEqualTo(T0);

        byte[] hash = new byte[32];
        hash[0] = 7;
        minors.setGuardian("kid", "g-1", hash, new byte[] {1, 2, 3});
        minors.setGuardian("older", "g-1", hash, new byte[] {4, 5, 6});
        assertThat(minors.childrenOf(hash, "kid")).isEqualTo(1);
        minors.storeCode("kid", new byte[32], "guardian", T0.plusSeconds(300), T0, 1, T0);
        minors.countWrongEntry("kid");
        assertThat(minors.find("kid").orElseThrow().codeAttempts()).isEqualTo(1);
        minors.clearCode("kid");
        assertThat(minors.find("kid").orElseThrow().codeHash()).isNull();

        minors.consented("kid", "parent", T0.plusSeconds(400));
        assertThat(minors.pending()).containsExactly("older");
        assertThat(minors.consented()).containsExactly("kid");
        minors.delete("older");
        assertThat(minors.find("older")).isEmpty();
    }
}
