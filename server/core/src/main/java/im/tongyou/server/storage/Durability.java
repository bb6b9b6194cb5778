package im.tongyou.server.storage;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;

/**
 * Makes what was committed survive a crash of the server process before the server acknowledges it
 * (design guide §5). PostgreSQL's commit is durable already. Embedded H2 in file mode is not: its
 * MVStore writes committed changes to the file from a background thread up to {@code WRITE_DELAY}
 * (500 ms) later, so a SIGKILL loses them (measured: thousands of committed rows lost). A
 * {@code CHECKPOINT} writes them at once; it costs a few milliseconds whatever it covers, so
 * {@link #barrier()} is group-committed: one checkpoint serves every caller that arrived before it
 * started. Stores commit as usual; the places that acknowledge (stream management's {@code <a/>})
 * call the barrier first. Stores that write behind (after the stanza was handled) register a
 * {@linkplain #addFence fence}, which the barrier waits for before its checkpoint.
 */
public final class Durability {

    private final DataSource dataSource;
    private final boolean checkpoint;
    private final List<Runnable> fences = new CopyOnWriteArrayList<>();
    private final Object lock = new Object();
    /** Barrier calls so far, and the last one a finished checkpoint covers. */
    private long requested;
    private long completed;
    private boolean flushing;

    private Durability(DataSource dataSource, boolean checkpoint) {
        this.dataSource = dataSource;
        this.checkpoint = checkpoint;
    }

    /** Looks at the database behind the data source once. */
    public static Durability of(DataSource dataSource) {
        try (Connection c = dataSource.getConnection()) {
            return new Durability(dataSource, needsCheckpoint(c.getMetaData().getURL()));
        } catch (SQLException e) {
            throw new StorageException("cannot look at the database: " + e.getMessage(), e);
        }
    }

    /** Whether commits on this JDBC URL need a checkpoint to reach the file: H2, not in memory. */
    static boolean needsCheckpoint(String url) {
        return url != null && url.startsWith("jdbc:h2:") && !url.startsWith("jdbc:h2:mem:");
    }

    /** Whether {@link #barrier()} does anything on this database. */
    public boolean checkpoints() {
        return checkpoint;
    }

    /**
     * Adds a wait of a store that writes behind: it returns once everything the store took before
     * the call is committed, or throws. Removed when the returned handle is closed.
     */
    public AutoCloseable addFence(Runnable fence) {
        fences.add(fence);
        return () -> fences.remove(fence);
    }

    /**
     * Returns once everything committed before the call, or handed to a store that writes behind, is
     * in the database file. Blocking: call it on a worker, never on an event loop.
     *
     * @throws RuntimeException when a fence or the checkpoint failed (then nothing may be acknowledged)
     */
    public void barrier() {
        for (Runnable fence : fences) {
            fence.run();
        }
        if (!checkpoint) {
            return;
        }
        long ticket;
        long target;
        synchronized (lock) {
            ticket = ++requested;
            while (true) {
                if (completed >= ticket) {
                    return; // a checkpoint that started after our commits finished
                }
                if (!flushing) {
                    break;
                }
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new StorageException("interrupted while waiting for a checkpoint", e);
                }
            }
            flushing = true;
            target = requested; // everyone who asked so far committed before this checkpoint starts
        }
        boolean done = false;
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute("CHECKPOINT");
            done = true;
        } catch (SQLException e) {
            throw new StorageException("checkpoint failed: " + e.getMessage(), e);
        } finally {
            synchronized (lock) {
                if (done) {
                    completed = Math.max(completed, target);
                }
                flushing = false;
                lock.notifyAll();
            }
        }
    }
}
