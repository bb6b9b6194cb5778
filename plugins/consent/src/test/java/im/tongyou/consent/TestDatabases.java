package im.tongyou.consent;

import im.tongyou.server.config.ConfigLoader;
import im.tongyou.server.storage.Database;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The databases the consent store tests run on, as the core's store tests do: always in-memory H2,
 * and PostgreSQL too when {@code TONGYOU_TEST_POSTGRES_URL} (with {@code _USER} and
 * {@code _PASSWORD}) names a server; each PostgreSQL test gets a schema of its own.
 */
final class TestDatabases {

    enum Kind { H2, POSTGRES }

    private TestDatabases() {
    }

    static List<Kind> available() {
        List<Kind> kinds = new ArrayList<>(List.of(Kind.H2));
        if (System.getenv("TONGYOU_TEST_POSTGRES_URL") != null) {
            kinds.add(Kind.POSTGRES);
        }
        return kinds;
    }

    /** A fresh, empty database of the kind with the consent changelog applied. */
    static Database open(Kind kind, Path dataDir) {
        Map<String, String> sets = new LinkedHashMap<>();
        sets.put("server.data-dir", dataDir.toString());
        if (kind == Kind.H2) {
            sets.put("database.url", "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        } else {
            String url = System.getenv("TONGYOU_TEST_POSTGRES_URL");
            String user = System.getenv().getOrDefault("TONGYOU_TEST_POSTGRES_USER", "");
            String password = System.getenv().getOrDefault("TONGYOU_TEST_POSTGRES_PASSWORD", "");
            String schema = "t_" + UUID.randomUUID().toString().replace("-", "");
            try (Connection c = DriverManager.getConnection(url, user, password); Statement st = c.createStatement()) {
                st.execute("CREATE SCHEMA " + schema);
            } catch (SQLException e) {
                throw new IllegalStateException("cannot create a test schema: " + e.getMessage(), e);
            }
            sets.put("database.url", url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema);
            sets.put("database.username", user);
            sets.put("database.password", password);
        }
        Database db = Database.open(ConfigLoader.loadOrDefaults(dataDir.resolve("absent.yml"), sets, Map.of()));
        db.applyChangelog("im/tongyou/consent/changelog.xml", TestDatabases.class.getClassLoader());
        return db;
    }
}
