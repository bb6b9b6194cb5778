package im.tongyou.server.feature.caps;

import static org.assertj.core.api.Assertions.assertThat;

import im.tongyou.server.feature.FeatureDatabase;
import im.tongyou.server.feature.TestClock;
import im.tongyou.server.storage.TestDatabases;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The caps table on real databases. */
class CapsStoreTest {

    static final Instant T0 = Instant.parse("2026-11-29T08:00:00Z");

    @TempDir
    Path dir;
    FeatureDatabase db;
    TestClock clock = new TestClock(T0);
    CapsStore store;

    void open(TestDatabases.Kind kind) {
        db = FeatureDatabase.open(kind, dir, clock, "im/tongyou/server/feature/caps/changelog.xml");
        store = new CapsStore(db.dataSource(), clock);
    }

    @AfterEach
    void close() {
        if (db != null) {
            db.close();
        }
    }

    @ParameterizedTest
    @MethodSource("im.tongyou.server.storage.TestDatabases#available")
    void aStringIsRecordedOnceAndForgottenAfterRetention(TestDatabases.Kind kind) {
        open(kind);
        store.add("sha-1", "QgayPKawpkPSDYmwT/WM94uAlu0=", CapsVerTest.SIMPLE);
        store.add("sha-1", "QgayPKawpkPSDYmwT/WM94uAlu0=", "<query xmlns='http://jabber.org/protocol/disco#info'/>");
        clock.advance(Duration.ofDays(10));
        store.add("sha-256", "other", "<query xmlns='http://jabber.org/protocol/disco#info'/>");

        assertThat(store.count()).isEqualTo(2);
        assertThat(store.find("sha-1", "QgayPKawpkPSDYmwT/WM94uAlu0=")).hasValue(CapsVerTest.SIMPLE);
        assertThat(store.find("sha-256", "QgayPKawpkPSDYmwT/WM94uAlu0=")).isEmpty();
        assertThat(store.purgeBefore(T0.plus(Duration.ofDays(5)))).isEqualTo(1);
        assertThat(store.find("sha-1", "QgayPKawpkPSDYmwT/WM94uAlu0=")).isEmpty();
        assertThat(store.count()).isEqualTo(1);
    }
}
