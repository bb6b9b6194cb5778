package im.tongyou.server.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import im.tongyou.api.AccountException;
import im.tongyou.server.auth.ScramHash;
import im.tongyou.server.auth.StoredCredentials;
import im.tongyou.server.config.ServerConfig;
import im.tongyou.server.storage.Database;
import im.tongyou.server.storage.TestDatabases;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/** Accounts on a real H2 database with the real core changelog. */
class AccountStoreTest {

    @TempDir
    Path dir;
    Database database;
    AccountStore accounts;

    void open(TestDatabases.Kind kind) {
        ServerConfig config = TestDatabases.config(kind, dir);
        database = Database.open(config);
        accounts = new AccountStore(database.dataSource(), 4096,
                Clock.fixed(Instant.parse("2026-11-29T00:00:00Z"), ZoneOffset.UTC));
    }

    @AfterEach
    void close() {
        if (database != null) {
            database.close();
        }
    }

    @ParameterizedTest
    @MethodSource("im.tongyou.server.storage.TestDatabases#available")
    void createStoresOnlyScramKeysThatVerifyThePassword(TestDatabases.Kind kind) throws Exception {
        open(kind);
        accounts.create("Romeo", "montague".toCharArray());

        StoredCredentials credentials = accounts.credentials("romeo").orElseThrow();
        assertThat(credentials.disabled()).isFalse();
        for (ScramHash hash : ScramHash.values()) {
            assertThat(credentials.get(hash)).hasValueSatisfying(k -> {
                assertThat(k.iterations()).isEqualTo(4096);
                assertThat(k.verifyPlain("montague".toCharArray())).isTrue();
                assertThat(k.verifyPlain("capulet".toCharArray())).isFalse();
            });
        }
        assertThat(credentials.sha1().salt()).isNotEqualTo(credentials.sha256().salt());
        assertThat(accounts.exists("romeo")).isTrue();
        assertThat(accounts.credentials("ROMEO")).isPresent(); // names are prepared with nodeprep
    }

    @ParameterizedTest
    @MethodSource("im.tongyou.server.storage.TestDatabases#available")
    void noColumnHoldsThePassword(TestDatabases.Kind kind) throws Exception {
        open(kind);
        accounts.create("juliet", "capulet-secret".toCharArray());

        List<String> cells = new ArrayList<>();
        try (var c = database.dataSource().getConnection(); var st = c.createStatement();
             var rs = st.executeQuery("SELECT * FROM account_scram")) {
            while (rs.next()) {
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    Object value = rs.getObject(i);
                    cells.add(value instanceof byte[] b ? new String(b, java.nio.charset.StandardCharsets.ISO_8859_1)
                            : String.valueOf(value));
                }
            }
        }
        assertThat(cells).isNotEmpty().noneMatch(cell -> cell.contains("capulet-secret"));
    }

    @ParameterizedTest
    @MethodSource("im.tongyou.server.storage.TestDatabases#available")
    void aTakenNameIsRefused(TestDatabases.Kind kind) throws Exception {
        open(kind);
        accounts.create("romeo", "montague".toCharArray());

        assertThatThrownBy(() -> accounts.create("ROMEO", "another1".toCharArray()))
                .isInstanceOfSatisfying(AccountException.class,
                        e -> assertThat(e.reason()).isEqualTo(AccountException.Reason.USERNAME_TAKEN));
    }

    @ParameterizedTest
    @MethodSource("im.tongyou.server.storage.TestDatabases#available")
    void badNamesAndWeakPasswordsAreRefused(TestDatabases.Kind kind) {
        open(kind);
        assertThatThrownBy(() -> accounts.create("ro@meo", "montague".toCharArray()))
                .isInstanceOfSatisfying(AccountException.class,
                        e -> assertThat(e.reason()).isEqualTo(AccountException.Reason.INVALID_USERNAME));
        assertThatThrownBy(() -> accounts.create("x".repeat(65), "montague".toCharArray()))
                .hasMessageContaining("longer than 64");
        assertThatThrownBy(() -> accounts.create("romeo", "short".toCharArray()))
                .isInstanceOfSatisfying(AccountException.class,
                        e -> assertThat(e.reason()).isEqualTo(AccountException.Reason.WEAK_PASSWORD));
        assertThatThrownBy(() -> accounts.create("romeo", "        ".toCharArray()))
                .hasMessageContaining("blank");
        assertThat(accounts.exists("romeo")).isFalse();
    }

    @ParameterizedTest
    @MethodSource("im.tongyou.server.storage.TestDatabases#available")
    void passwordChangeReplacesTheKeys(TestDatabases.Kind kind) throws Exception {
        open(kind);
        accounts.create("romeo", "montague".toCharArray());
        accounts.setPassword("romeo", "rosaline-no-more".toCharArray());

        StoredCredentials credentials = accounts.credentials("romeo").orElseThrow();
        assertThat(credentials.sha256().verifyPlain("rosaline-no-more".toCharArray())).isTrue();
        assertThat(credentials.sha256().verifyPlain("montague".toCharArray())).isFalse();
        assertThatThrownBy(() -> accounts.setPassword("tybalt", "whatever1".toCharArray()))
                .isInstanceOfSatisfying(AccountException.class,
                        e -> assertThat(e.reason()).isEqualTo(AccountException.Reason.NO_SUCH_ACCOUNT));
    }

    @ParameterizedTest
    @MethodSource("im.tongyou.server.storage.TestDatabases#available")
    void disableAndDeleteTellTheListenersAndCascade(TestDatabases.Kind kind) throws Exception {
        open(kind);
        List<String> told = new ArrayList<>();
        accounts.onDisabledOrDeleted(told::add);
        accounts.create("romeo", "montague".toCharArray());

        accounts.setEnabled("romeo", false);
        assertThat(accounts.isEnabled("romeo")).isFalse();
        assertThat(accounts.credentials("romeo").orElseThrow().disabled()).isTrue();
        accounts.setEnabled("romeo", true);
        assertThat(accounts.isEnabled("romeo")).isTrue();

        assertThat(accounts.delete("romeo")).isTrue();
        assertThat(accounts.delete("romeo")).isFalse();
        assertThat(accounts.credentials("romeo")).isEmpty();
        assertThat(told).containsExactly("romeo", "romeo");
        try (var c = database.dataSource().getConnection(); var st = c.createStatement();
             var rs = st.executeQuery("SELECT COUNT(*) FROM account_scram")) {
            rs.next();
            assertThat(rs.getInt(1)).isZero();
        }
    }

    @ParameterizedTest
    @MethodSource("im.tongyou.server.storage.TestDatabases#available")
    void statesMoveUntilCancelledWhichIsFinalAndRefusesLogin(TestDatabases.Kind kind) throws Exception {
        open(kind);
        List<String> told = new ArrayList<>();
        accounts.onDisabledOrDeleted(told::add);
        accounts.create("romeo", "montague".toCharArray());
        assertThat(accounts.state("romeo")).isEqualTo(im.tongyou.api.AccountState.ACTIVE);
        assertThat(accounts.state("tybalt")).isNull();

        accounts.setState("romeo", im.tongyou.api.AccountState.PENDING_GUARDIAN);
        assertThat(accounts.state("romeo")).isEqualTo(im.tongyou.api.AccountState.PENDING_GUARDIAN);
        assertThat(accounts.credentials("romeo")).isPresent();

        accounts.setState("romeo", im.tongyou.api.AccountState.CANCELLED);
        assertThat(told).containsExactly("romeo");
        assertThat(accounts.credentials("romeo")).isEmpty(); // login fails as for an unknown user
        assertThat(accounts.exists("romeo")).isTrue(); // the name stays taken
        assertThatThrownBy(() -> accounts.setState("romeo", im.tongyou.api.AccountState.ACTIVE))
                .hasMessageContaining("cancelled");
    }

    @ParameterizedTest
    @MethodSource("im.tongyou.server.storage.TestDatabases#available")
    void everyWriteIsSeenByTheNextLoginThoughLoginsAreCached(TestDatabases.Kind kind) throws Exception {
        open(kind);
        accounts.create("romeo", "montague".toCharArray());
        assertThat(accounts.credentials("romeo").orElseThrow().sha256().verifyPlain("montague".toCharArray())).isTrue();

        accounts.setPassword("romeo", "rosaline-no-more".toCharArray());
        StoredCredentials changed = accounts.credentials("romeo").orElseThrow();
        assertThat(changed.sha256().verifyPlain("rosaline-no-more".toCharArray())).isTrue();
        assertThat(changed.sha1().verifyPlain("montague".toCharArray())).isFalse();

        accounts.setEnabled("romeo", false);
        assertThat(accounts.credentials("romeo").orElseThrow().disabled()).isTrue();
        assertThat(accounts.isEnabled("romeo")).isFalse();
        accounts.setEnabled("romeo", true);
        assertThat(accounts.credentials("romeo").orElseThrow().disabled()).isFalse();

        accounts.setState("romeo", im.tongyou.api.AccountState.CANCELLED);
        assertThat(accounts.credentials("romeo")).isEmpty();
        assertThat(accounts.isLive("romeo")).isFalse();

        assertThat(accounts.exists("juliet")).isFalse(); // an unknown name is cached too, until it is created
        accounts.create("juliet", "capulet-secret".toCharArray());
        assertThat(accounts.credentials("juliet")).isPresent();
        assertThat(accounts.delete("juliet")).isTrue();
        assertThat(accounts.credentials("juliet")).isEmpty();
        assertThat(accounts.exists("juliet")).isFalse();
    }

    @ParameterizedTest
    @MethodSource("im.tongyou.server.storage.TestDatabases#available")
    void aWriteByAnotherProcessIsSeenOnceTheCachedAccountExpires(TestDatabases.Kind kind) throws Exception {
        ServerConfig config = TestDatabases.config(kind, dir);
        database = Database.open(config);
        long[] now = {0};
        accounts = new AccountStore(database.dataSource(), 4096, Clock.systemUTC(), 100,
                java.util.concurrent.TimeUnit.SECONDS.toNanos(60), () -> now[0]);
        accounts.create("romeo", "montague".toCharArray());
        assertThat(accounts.isEnabled("romeo")).isTrue();

        try (var c = database.dataSource().getConnection(); var st = c.createStatement()) {
            st.executeUpdate("UPDATE account SET enabled = FALSE WHERE username = 'romeo'");
        }
        assertThat(accounts.isEnabled("romeo")).isTrue(); // served from memory: no read per login
        now[0] += java.util.concurrent.TimeUnit.SECONDS.toNanos(61);
        assertThat(accounts.isEnabled("romeo")).isFalse();
        assertThat(accounts.credentials("romeo").orElseThrow().disabled()).isTrue();
    }

    @ParameterizedTest
    @MethodSource("im.tongyou.server.storage.TestDatabases#available")
    void listPagesInOrder(TestDatabases.Kind kind) throws Exception {
        open(kind);
        for (String name : List.of("tybalt", "juliet", "romeo", "nurse")) {
            accounts.create(name, "password".toCharArray());
        }

        assertThat(accounts.list(0, 2)).containsExactly("juliet", "nurse");
        assertThat(accounts.list(2, 10)).containsExactly("romeo", "tybalt");
        assertThat(accounts.count()).isEqualTo(4);
    }

    @ParameterizedTest
    @MethodSource("im.tongyou.server.storage.TestDatabases#available")
    void reopeningSkipsLiquibaseButKeepsTheSchema(TestDatabases.Kind kind) throws Exception {
        open(kind);
        accounts.create("romeo", "montague".toCharArray());

        database.applyChangelog("im/tongyou/server/db/core-changelog.xml", getClass().getClassLoader());

        assertThat(accounts.exists("romeo")).isTrue();
        try (var c = database.dataSource().getConnection(); var st = c.createStatement();
             var rs = st.executeQuery("SELECT COUNT(*) FROM tongyou_changelog")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(1);
        }
    }
}
