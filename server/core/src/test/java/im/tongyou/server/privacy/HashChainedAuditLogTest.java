package im.tongyou.server.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import im.tongyou.api.privacy.AuditLog;
import im.tongyou.server.TestClock;
import im.tongyou.server.storage.Database;
import im.tongyou.server.storage.Jdbc;
import im.tongyou.server.storage.StorageException;
import im.tongyou.server.storage.TestDatabases;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The audit trail on a real database: the chain, the verifier, the append-only guard, the purge. */
class HashChainedAuditLogTest {

    @TempDir
    Path dir;
    Database database;
    HashChainedAuditLog audit;
    Jdbc jdbc;
    final TestClock clock = new TestClock();

    void open(TestDatabases.Kind kind) {
        database = Database.open(TestDatabases.config(kind, dir));
        DataKeys keys = new DataKeys(database.dataSource(), MasterKey.of(new byte[32]), clock);
        audit = new HashChainedAuditLog(database.dataSource(), keys, clock);
        jdbc = new Jdbc(database.dataSource());
    }

    @AfterEach
    void close() {
        if (database != null) {
            database.close();
        }
    }

    @ParameterizedTest
    @MethodSource("im.tongyou.server.storage.TestDatabases#available")
    void rowsChainAndVerify(TestDatabases.Kind kind) {
        open(kind);
        AuditLog.Entry first = audit.append(AuditLog.SELF, "rights.export.requested", "romeo", Map.of("request", "r1"));
        clock.advance(Duration.ofSeconds(5));
        AuditLog.Entry second = audit.append(AuditLog.admin("ops@example.net"), "admin.read", "juliet",
                Map.of("fields", "phone", "phone", "138****5678"));

        assertThat(first.sequence()).isEqualTo(1);
        assertThat(second.sequence()).isEqualTo(2);
        assertThat(second.hash()).isNotEqualTo(first.hash()).hasSize(64);
        assertThat(audit.verify()).isEqualTo(new AuditLog.Verification(true, 2, 0, null));
        assertThat(audit.forSubject("romeo")).extracting(AuditLog.Entry::action).containsExactly("rights.export.requested");
        assertThat(audit.forSubject("juliet").get(0).details()).containsEntry("phone", "138****5678");
        assertThat(audit.latest(1)).extracting(AuditLog.Entry::sequence).containsExactly(2L);
    }

    @ParameterizedTest
    @MethodSource("im.tongyou.server.storage.TestDatabases#available")
    void theSubjectIsStoredOnlyAsAPseudonym(TestDatabases.Kind kind) {
        open(kind);
        audit.append(AuditLog.SYSTEM, "account.erased", "romeo", Map.of());

        String stored = jdbc.queryOne("SELECT subject_ref FROM audit_log", rs -> rs.getString(1)).orElseThrow();
        assertThat(stored).isEqualTo(audit.subjectRef("romeo")).doesNotContain("romeo");
    }

    @ParameterizedTest
    @MethodSource("im.tongyou.server.storage.TestDatabases#available")
    void theDatabaseRefusesUpdateAndDelete(TestDatabases.Kind kind) {
        open(kind);
        audit.append(AuditLog.SELF, "rights.export.requested", "romeo", Map.of());

        assertThatThrownBy(() -> jdbc.update("UPDATE audit_log SET action = 'nothing'"))
                .isInstanceOf(StorageException.class).hasMessageContaining("append-only");
        assertThatThrownBy(() -> jdbc.update("DELETE FROM audit_log"))
                .isInstanceOf(StorageException.class).hasMessageContaining("append-only");
        assertThat(audit.verify().intact()).isTrue();
    }

    @ParameterizedTest
    @MethodSource("im.tongyou.server.storage.TestDatabases#available")
    void aChangedOrRemovedRowBreaksTheChain(TestDatabases.Kind kind) throws Exception {
        open(kind);
        for (int i = 0; i < 4; i++) {
            audit.append(AuditLog.SELF, "rights.export.requested", "user" + i, Map.of());
        }
        dropGuard(kind); // what an attacker with the database owner's rights could do

        jdbc.update("UPDATE audit_log SET actor = 'admin:someone-else' WHERE seq = 2");
        AuditLog.Verification changed = audit.verify();
        assertThat(changed.intact()).isFalse();
        assertThat(changed.brokenAt()).isEqualTo(2);

        jdbc.update("UPDATE audit_log SET actor = 'self' WHERE seq = 2");
        assertThat(audit.verify().intact()).isTrue();
        jdbc.update("DELETE FROM audit_log WHERE seq = 3");
        AuditLog.Verification removed = audit.verify();
        assertThat(removed.intact()).isFalse();
        assertThat(removed.brokenAt()).isEqualTo(4);
        assertThat(removed.reason()).contains("missing");
    }

    @ParameterizedTest
    @MethodSource("im.tongyou.server.storage.TestDatabases#available")
    void thePurgeRemovesOnlyRowsPastRetentionAndTheRestStillVerifies(TestDatabases.Kind kind) {
        open(kind);
        // Rows from years ago (the database's own clock decides what the guard lets go).
        MutableInstantClock old = new MutableInstantClock(Instant.parse("2019-01-01T00:00:00Z"));
        DataKeys keys = new DataKeys(database.dataSource(), MasterKey.of(new byte[32]), old);
        HashChainedAuditLog past = new HashChainedAuditLog(database.dataSource(), keys, old);
        past.append(AuditLog.SELF, "a", "romeo", Map.of());
        past.append(AuditLog.SELF, "b", "romeo", Map.of());
        old.now = Instant.parse("2026-11-01T00:00:00Z");
        past.append(AuditLog.SELF, "c", "romeo", Map.of());

        long purged = past.purgeBefore(Instant.parse("2020-01-01T00:00:00Z"));

        assertThat(purged).isEqualTo(2);
        assertThat(past.forSubject("romeo")).extracting(AuditLog.Entry::action).containsExactly("c");
        assertThat(past.verify()).isEqualTo(new AuditLog.Verification(true, 1, 0, null));
        past.append(AuditLog.SELF, "d", "romeo", Map.of());
        assertThat(past.verify().intact()).isTrue();
        // A cutoff that would take young rows is refused by the database, and nothing goes.
        assertThatThrownBy(() -> past.purgeBefore(Instant.parse("2030-01-01T00:00:00Z")))
                .isInstanceOf(StorageException.class);
        assertThat(past.verify().rows()).isEqualTo(2);
    }

    private void dropGuard(TestDatabases.Kind kind) throws Exception {
        try (Connection c = database.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute(kind == TestDatabases.Kind.H2 ? "DROP TRIGGER audit_log_append_only"
                    : "DROP TRIGGER audit_log_append_only ON audit_log");
        }
    }

    static final class MutableInstantClock extends java.time.Clock {
        volatile Instant now;

        MutableInstantClock(Instant now) {
            this.now = now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public java.time.Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
