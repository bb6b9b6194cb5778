package im.tongyou.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import im.tongyou.server.config.ConfigLoader;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which databases need a checkpoint before an acknowledgement, and the group barrier under
 * concurrency. (That a SIGKILL loses no acknowledged message is the fault test's:
 * {@code CrashDurabilityE2ETest}.)
 */
class DurabilityTest {

    @TempDir
    Path dir;

    @Test
    void onlyEmbeddedH2OnFileNeedsACheckpoint() {
        assertThat(Durability.needsCheckpoint("jdbc:h2:file:/var/lib/tongyou/data/tongyou")).isTrue();
        assertThat(Durability.needsCheckpoint("jdbc:h2:/tmp/x")).isTrue();
        assertThat(Durability.needsCheckpoint("jdbc:h2:mem:test")).isFalse();
        assertThat(Durability.needsCheckpoint("jdbc:postgresql://db/tongyou")).isFalse();
    }

    @Test
    void concurrentBarriersOnAFileDatabaseAllReturnWithTheirCommitsInTheFile() throws Exception {
        try (Database database = Database.open(ConfigLoader.loadOrDefaults(dir.resolve("absent.yml"),
                Map.of("server.data-dir", dir.toString()), Map.of()))) {
            Durability durability = database.durability();
            assertThat(durability.checkpoints()).isTrue();
            try (Connection c = database.dataSource().getConnection(); Statement st = c.createStatement()) {
                st.execute("CREATE TABLE durability_probe (n INT)");
            }
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<?>> calls = new ArrayList<>();
                for (int i = 0; i < 64; i++) {
                    int n = i;
                    calls.add(pool.submit(() -> {
                        new Jdbc(database.dataSource()).update("INSERT INTO durability_probe (n) VALUES (?)", n);
                        durability.barrier();
                        return null;
                    }));
                }
                for (Future<?> call : calls) {
                    call.get();
                }
            } finally {
                pool.shutdown();
            }
            try (Connection c = database.dataSource().getConnection(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM durability_probe")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(64);
            }
        }
    }
}
