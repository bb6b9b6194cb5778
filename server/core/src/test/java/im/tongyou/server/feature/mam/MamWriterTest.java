package im.tongyou.server.feature.mam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import im.tongyou.server.storage.StorageException;
import im.tongyou.server.storage.TestDatabases;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The archive's writer behind delivery (H2): keys given at once, rows stored in key order, the fence
 * waits for what was submitted, an outage refuses new rows without losing queued ones, one bad row
 * is dropped without holding back the others, and closing stores what is queued.
 */
class MamWriterTest {

    @TempDir
    Path dir;
    MamFixture f;
    /** When set, the database is "gone": every connection fails, as with a stopped server. */
    final AtomicBoolean down = new AtomicBoolean();
    MamWriter writer;

    @BeforeEach
    void open() {
        f = new MamFixture(TestDatabases.Kind.H2, dir, MamPrefs.Mode.ALWAYS, 100, 180);
        writer = new MamWriter(failing(f.database.dataSource()), f.ids, f.store, Duration.ofMillis(300));
    }

    @AfterEach
    void close() throws Exception {
        down.set(false);
        writer.close();
        f.close();
    }

    static MamStore.Row row(String owner) {
        return new MamStore.Row(0, owner, "juliet@tongyou.example", "", null, true, new byte[] {1, 2, 3});
    }

    long stored() throws Exception {
        try (Connection c = f.database.dataSource().getConnection(); var st = c.createStatement();
             var rs = st.executeQuery("SELECT COALESCE(SUM(messages), 0) FROM mam_bucket")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void keysAndUidsComeAtOnceAndTheFenceReturnsWhenTheyAreStored() throws Exception {
        List<MamStore.Row> first = writer.submit(List.of(row("romeo"), row("romeo")));
        List<MamStore.Row> second = writer.submit(List.of(row("romeo")));
        assertThat(first.get(0).id()).isLessThan(first.get(1).id());
        assertThat(first.get(1).id()).isLessThan(second.get(0).id());
        assertThat(second.get(0).sid()).isEqualTo(f.store.uids().of(second.get(0).id()));

        writer.fence();
        assertThat(stored()).isEqualTo(3);
        List<String> sids = f.store.page(MamStore.Selection.all("romeo"), null, null, false, 10)
                .stream().map(MamStore.Stored::sid).toList();
        assertThat(sids).containsExactly(first.get(0).sid(), first.get(1).sid(), second.get(0).sid());
    }

    @Test
    void anOutageRefusesNewRowsKeepsTheQueuedOnesAndTheFenceFailsUntilTheyAreStored() throws Exception {
        down.set(true);
        writer.submit(List.of(row("romeo"))); // taken before anyone knows the database is gone
        // The writer finds out and refuses what comes next (the sender gets an error of type 'wait').
        StorageException refused = null;
        for (int i = 0; i < 200 && refused == null; i++) {
            try {
                writer.submit(List.of(row("mercutio")));
                Thread.sleep(10);
            } catch (StorageException e) {
                refused = e;
            }
        }
        assertThat(refused).as("new rows are refused while the database is gone").isNotNull();
        assertThat(refused.getMessage()).contains("cannot be written");
        assertThatThrownBy(writer::fence).isInstanceOf(StorageException.class).hasMessageContaining("timed out");

        down.set(false);
        writer.fence(); // the writer tries again and stores what it had taken
        assertThat(stored()).as("nothing taken was lost").isGreaterThanOrEqualTo(1);
        try (Connection c = f.database.dataSource().getConnection(); var st = c.createStatement();
             var rs = st.executeQuery("SELECT COALESCE(SUM(messages), 0) FROM mam_bucket WHERE owner = 'romeo'")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(1);
        }
        assertThat(writer.submit(List.of(row("romeo")))).hasSize(1); // taken again
        writer.fence();
    }

    @Test
    void aRowTheDatabaseRefusesIsDroppedAndTheOthersAreStored() throws Exception {
        List<MamStore.Row> rows = new ArrayList<>();
        rows.add(row("romeo"));
        rows.add(row("x".repeat(300))); // owner is VARCHAR(255): a data error, SQL state 22001
        rows.add(row("romeo"));
        writer.submit(rows);
        writer.submit(List.of(row("benvolio")));
        writer.fence();
        assertThat(stored()).isEqualTo(3);
        assertThat(writer.submit(List.of(row("romeo")))).as("the writer is not failing").hasSize(1);
    }

    @Test
    void theRowsOfAnAccountErasedWhileTheyWereQueuedAreDroppedAndTheOthersAreStored() throws Exception {
        f.crypto.encrypt("mercutio", new byte[1]);
        f.crypto.destroyKey("mercutio"); // erased: the writer can no longer seal his copies
        writer.submit(List.of(row("romeo"), row("mercutio"), row("juliet")));
        writer.fence();
        assertThat(stored()).isEqualTo(2);
        try (Connection c = f.database.dataSource().getConnection(); var st = c.createStatement();
             var rs = st.executeQuery("SELECT COUNT(*) FROM mam_bucket WHERE owner = 'mercutio'")) {
            rs.next();
            assertThat(rs.getLong(1)).isZero();
        }
        assertThat(writer.submit(List.of(row("romeo")))).as("the writer is not failing").hasSize(1);
    }

    @Test
    void closingStoresWhatIsQueued() throws Exception {
        for (int i = 0; i < 50; i++) {
            writer.submit(List.of(row("romeo"), row("juliet")));
        }
        writer.close();
        assertThat(stored()).isEqualTo(100);
        assertThatThrownBy(() -> writer.submit(List.of(row("romeo")))).isInstanceOf(StorageException.class)
                .hasMessageContaining("closing");
    }

    /** The data source, or a failure to connect while {@link #down} is set. */
    private DataSource failing(DataSource real) {
        return (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getConnection") && down.get()) {
                        throw new SQLTransientConnectionException("connection refused (test)", "08001");
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
