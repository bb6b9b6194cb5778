package im.tongyou.server.storage;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * Makes committed transactions survive a crash of the server process (design guide §5: a write the
 * server has acknowledged is committed before the acknowledgement). PostgreSQL's commit is durable
 * already. Embedded H2 in file mode is not: its MVStore writes committed changes to the file from a
 * background thread up to {@code WRITE_DELAY} (500 ms) later, so a SIGKILL loses them (measured
 * here: thousands of committed rows lost). {@code CHECKPOINT} writes them to the file at once; one
 * checkpoint covers every transaction committed before it, so callers group their commits.
 */
public final class DurableCommit {

    private final boolean checkpoint;

    private DurableCommit(boolean checkpoint) {
        this.checkpoint = checkpoint;
    }

    /** Looks at the database behind the data source once. */
    public static DurableCommit of(DataSource dataSource) {
        try (Connection c = dataSource.getConnection()) {
            String url = c.getMetaData().getURL();
            return new DurableCommit(needsCheckpoint(url));
        } catch (SQLException e) {
            throw new StorageException("cannot look at the database: " + e.getMessage(), e);
        }
    }

    /** Whether commits on this JDBC URL need a checkpoint to reach the file: H2, not in memory. */
    static boolean needsCheckpoint(String url) {
        return url != null && url.startsWith("jdbc:h2:") && !url.startsWith("jdbc:h2:mem:");
    }

    /**
     * After a commit on this connection (auto-commit or explicit): returns once everything committed
     * so far is in the database file, so that a crash of the process cannot lose it.
     */
    public void afterCommit(Connection connection) throws SQLException {
        if (!checkpoint) {
            return;
        }
        try (Statement st = connection.createStatement()) {
            st.execute("CHECKPOINT");
        }
    }

    /** Whether {@link #afterCommit} does anything on this database. */
    public boolean checkpoints() {
        return checkpoint;
    }
}
