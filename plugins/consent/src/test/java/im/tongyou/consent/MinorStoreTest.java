package im.tongyou.consent;

import static org.assertj.core.api.Assertions.assertThat;

import im.tongyou.server.storage.Database;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The check at every login (is there a child's row?) on every test database: kept until the row's insert. */
class MinorStoreTest {

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

    @ParameterizedTest
    @MethodSource("im.tongyou.consent.TestDatabases#available")
    void aRowIsSeenAsSoonAsItIsInsertedAndGoneWhenDeleted(TestDatabases.Kind kind) throws Exception {
        database = TestDatabases.open(kind, dir);
        MinorStore store = new MinorStore(database.dataSource());
        assertThat(store.exists("juliet")).isFalse();
        assertThat(store.exists("juliet")).isFalse(); // known absent now

        store.insertPending("juliet", T0);
        assertThat(store.exists("juliet")).isTrue();
        assertThat(store.find("juliet")).isPresent();

        store.delete("juliet");
        assertThat(store.exists("juliet")).isFalse();
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO consent_minor (username, pending_since) VALUES ('romeo', CURRENT_TIMESTAMP)");
        }
        assertThat(store.exists("romeo")).as("never read before: read from the table").isTrue();
    }

    @Test
    void anAbsenceReadBeforeARacingInsertIsNotKept() {
        AtomicLong now = new AtomicLong();
        AtomicInteger reads = new AtomicInteger();
        AbsentNames absent = new AbsentNames(10, 1_000, now::get);
        boolean first = absent.exists("juliet", u -> {
            reads.incrementAndGet();
            absent.inserted(u); // the insert commits after the read saw no row
            return false;
        });
        assertThat(first).isFalse();
        assertThat(absent.exists("juliet", u -> reads.incrementAndGet() > 0)).isTrue();

        assertThat(absent.exists("romeo", u -> false)).isFalse();
        now.addAndGet(1_000); // expired: read again
        assertThat(absent.exists("romeo", u -> true)).isTrue();
    }
}
