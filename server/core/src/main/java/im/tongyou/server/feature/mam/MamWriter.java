package im.tongyou.server.feature.mam;

import im.tongyou.server.storage.StorageException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes archived messages behind delivery, in large transactions, on a thread of its own.
 *
 * <p>{@link #submit} gives each row its order key and UID at once and queues it: the message is
 * delivered with its {@code <stanza-id/>} (XEP-0359) without waiting for the database. What must not
 * be lost waits for {@link #fence()} instead, which returns once everything submitted before the
 * call is committed: stream management's {@code <a/>} (design guide §5: "Writes that must not be
 * lost ... are committed before the acknowledgement is sent"), queries (a client reads what it was
 * sent), retention and erasure. Measured against a commit per message with the sender waiting
 * (docs/benchmarks.md): every message waited twice for a single writer, which grouped 2 rows per
 * transaction on the shared 2-core machine.
 *
 * <p>Rows are committed in the order their keys were given (the queue is filled under the lock that
 * gives them), so a row committed later always sorts after every row committed before it and paging
 * never skips one. A batch the database refuses is tried again until it is stored: when one row is
 * refused while others are taken (a defect, not an outage), that row alone is dropped and logged.
 * While the database refuses writes, {@link #submit} refuses new rows (the sender gets an error of
 * type 'wait', RFC 6120 §8.3.2) rather than taking more than it can keep.
 */
final class MamWriter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MamWriter.class);

    /** Rows in one transaction at most. */
    static final int MAX_BATCH = 1000;
    /** Rows queued at most; beyond it submitters wait (back-pressure) up to {@link #SUBMIT_WAIT}. */
    static final int MAX_QUEUED = 50_000;
    static final Duration SUBMIT_WAIT = Duration.ofSeconds(10);
    /** How long a fence waits for the rows before it gives up (nothing may then be acknowledged). */
    static final Duration FENCE_WAIT = Duration.ofSeconds(30);
    private static final long MAX_BACKOFF_MILLIS = 1000;
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

    private final DataSource dataSource;
    private final MamIds ids;
    private final MamUids uids;
    private final Object lock = new Object();
    private final ArrayDeque<MamStore.Row> queue = new ArrayDeque<>();
    private final Thread thread;
    /** The key of the last row submitted, and the key up to which every row is stored (or dropped). */
    private long submittedThrough;
    private long doneThrough;
    /** Whether the last attempt to write failed: new rows are refused until one succeeds. */
    private StorageException failing;
    private boolean closing;
    private long closedAt;
    private long batches;
    private long rowsWritten;

    MamWriter(DataSource dataSource, MamIds ids, MamUids uids) {
        this.dataSource = dataSource;
        this.ids = ids;
        this.uids = uids;
        this.thread = new Thread(this::run, "tongyou-mam-writer");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Gives the rows their order keys and UIDs (those of the rows are ignored) and queues them;
     * returns them as they will be stored, in the same order. Does not wait for the database.
     *
     * @throws StorageException when the database refuses writes, or the queue stayed full
     */
    List<MamStore.Row> submit(List<MamStore.Row> rows) {
        if (rows.isEmpty()) {
            return List.of();
        }
        List<MamStore.Row> keyed = new ArrayList<>(rows.size());
        synchronized (lock) {
            long deadline = System.nanoTime() + SUBMIT_WAIT.toNanos();
            while (failing == null && !closing && queue.size() + rows.size() > MAX_QUEUED) {
                await(deadline, "waiting for room in the archive's queue");
            }
            if (failing != null) {
                throw new StorageException("the archive cannot be written: " + failing.getMessage(), failing);
            }
            if (closing) {
                throw new StorageException("the archive is closing");
            }
            for (MamStore.Row r : rows) {
                long id = ids.next();
                MamStore.Row row = new MamStore.Row(id, r.owner(), r.withBare(), r.withResource(), uids.of(id),
                        r.outgoing(), r.sealed());
                keyed.add(row);
                queue.add(row);
                submittedThrough = id;
            }
            lock.notifyAll();
        }
        return keyed;
    }

    /**
     * Returns once every row submitted before the call is stored. Blocking: call it on a worker.
     *
     * @throws StorageException when they are not stored within {@link #FENCE_WAIT}
     */
    void fence() {
        synchronized (lock) {
            long target = submittedThrough;
            long deadline = System.nanoTime() + FENCE_WAIT.toNanos();
            while (doneThrough < target) {
                if (closing && !thread.isAlive()) {
                    throw new StorageException("the archive closed before storing every message");
                }
                await(deadline, "waiting for the archive to store its messages");
            }
        }
    }

    private void await(long deadline, String what) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new StorageException("timed out " + what
                    + (failing == null ? "" : " (the database refuses writes: " + failing.getMessage() + ")"));
        }
        try {
            lock.wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException("interrupted " + what, e);
        }
    }

    private void run() {
        long backoff = 0;
        while (true) {
            List<MamStore.Row> batch;
            synchronized (lock) {
                while (queue.isEmpty() && !closing) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        closing = true;
                    }
                }
                if (queue.isEmpty()) {
                    return; // closing, everything stored
                }
                batch = new ArrayList<>(Math.min(queue.size(), MAX_BATCH));
                for (MamStore.Row r : queue) {
                    if (batch.size() == MAX_BATCH) {
                        break;
                    }
                    batch.add(r);
                }
            }
            int stored = store(batch);
            synchronized (lock) {
                if (stored > 0) {
                    for (int i = 0; i < stored; i++) {
                        doneThrough = queue.pollFirst().id();
                    }
                    failing = null;
                    backoff = 0;
                    lock.notifyAll();
                    continue;
                }
                if (closing && System.nanoTime() - closedAt > CLOSE_WAIT.toNanos()) {
                    log.error("the archive closed with {} messages it could not store: {}", queue.size(),
                            failing == null ? "" : failing.getMessage());
                    return;
                }
                backoff = Math.min(MAX_BACKOFF_MILLIS, Math.max(10, backoff * 2));
                try {
                    lock.wait(backoff); // the database refuses writes: try again soon
                } catch (InterruptedException e) {
                    closing = true;
                }
            }
        }
    }

    /**
     * Commits the batch. When the database refuses it for the data of a row (SQL state class 22 or
     * 23: a defect, not an outage), the rows go one by one and the refused one is dropped and logged
     * so that the rest are stored. Returns how many rows from the head of the queue are done, 0 when
     * the database refuses writes (an outage, a full disk): then nothing is dropped.
     */
    private int store(List<MamStore.Row> batch) {
        try {
            commit(batch);
            return batch.size();
        } catch (StorageException batchFailure) {
            int done = 0;
            if (isDataError(batchFailure)) {
                for (MamStore.Row row : batch) {
                    try {
                        commit(List.of(row));
                    } catch (StorageException e) {
                        if (!isDataError(e)) {
                            break;
                        }
                        log.error("dropped an archived message of {} that the database refuses: {}", row.owner(),
                                e.getMessage());
                    }
                    done++;
                }
            }
            if (done == 0) {
                synchronized (lock) {
                    if (failing == null) {
                        log.error("the archive cannot be written, new messages are refused until it can: {}",
                                batchFailure.getMessage());
                    }
                    failing = batchFailure;
                    lock.notifyAll(); // waiting submitters fail at once
                }
            }
            return done;
        }
    }

    private static boolean isDataError(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("22") || sql.getSQLState().startsWith("23"))) {
                return true;
            }
        }
        return false;
    }

    private void commit(List<MamStore.Row> rows) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                MamStore.insert(c, rows);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StorageException("cannot archive " + rows.size() + " messages: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw e instanceof StorageException s ? s : new StorageException("cannot archive: " + e, e);
        }
        synchronized (lock) {
            batches++;
            rowsWritten += rows.size();
        }
    }

    /** Stores what is queued (waiting up to 10 s for the database), then stops the thread. */
    @Override
    public void close() throws InterruptedException {
        synchronized (lock) {
            closing = true;
            closedAt = System.nanoTime();
            lock.notifyAll();
        }
        thread.join(CLOSE_WAIT.toMillis() + 5_000);
    }

    /** Transactions committed and rows written so far (for the benchmark's report). */
    long[] statistics() {
        synchronized (lock) {
            return new long[] {batches, rowsWritten};
        }
    }
}
