package im.tongyou.testkit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link AccountErasureScenario} on PostgreSQL, in a schema of its own, when
 * {@code TONGYOU_TEST_POSTGRES_URL} names a server ({@code eval "$(.ci/postgres.sh)"}).
 */
@EnabledIfEnvironmentVariable(named = "TONGYOU_TEST_POSTGRES_URL", matches = ".+")
class AccountErasurePostgresE2ETest extends AccountErasureScenario {

    @RegisterExtension
    static TongyouServerExtension server = postgres();

    private static TongyouServerExtension postgres() {
        TongyouServerExtension.Builder builder = TongyouServerExtension.builder()
                .set("server.domain", "localhost")
                .set("plugins.register.mode", "phone");
        String url = System.getenv("TONGYOU_TEST_POSTGRES_URL");
        if (url == null) {
            return builder.build(); // the class is disabled; the extension is never started
        }
        String user = System.getenv().getOrDefault("TONGYOU_TEST_POSTGRES_USER", "");
        String password = System.getenv().getOrDefault("TONGYOU_TEST_POSTGRES_PASSWORD", "");
        String schema = "t_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection c = DriverManager.getConnection(url, user, password); Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA " + schema);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot create a test schema on " + url + ": " + e.getMessage(), e);
        }
        return builder.set("database.url", url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema)
                .set("database.username", user)
                .set("database.password", password)
                .build();
    }

    @Override
    TongyouServerExtension server() {
        return server;
    }
}
