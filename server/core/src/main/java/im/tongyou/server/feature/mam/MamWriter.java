package im.tongyou.server.feature.mam;

import im.tongyou.server.storage.StorageException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
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
 * <p>While nobody waits, the writer lets a batch gather for up to {@link #LINGER} before it commits
 * (a bucket per conversation per batch); a fence ends the wait at once.
 *
 * <p>Rows are committed in the order of their keys ({@link #take}), so a row committed later always
 * sorts after every row committed before it and paging never skips one. A batch the database refuses is tried again until it is stored: when one row is
 * refused while others are taken (a defect, not an outage), that row alone is dropped and logged.
 * While the database refuses writes, {@link #submit} refuses new rows (the sender gets an error of
 * type 'wait', RFC 6120 §8.3.2) rather than taking more than it can keep.
 */
final class MamWriter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MamWriter.class);

    /**
     * Rows in one transaction at most. A larger batch holds more messages per conversation, so fewer
     * bucket rows and index entries per message: 4,000 against 1,000 cut the server's CPU per archived
     * message by about a sixth, with the writer's H2 inserts and commits the part that shrank
     * (docs/benchmarks.md, "Archive batches of 4,000 rows").
     */
    static final int MAX_BATCH = 4000;
    /**
     * How long the writer lets a batch gather while nobody waits for it: the messages of one
     * conversation committed together share a bucket ({@link MamBucket}), so a writer that commits
     * every few rows at once pays a bucket per message. A fence, a full batch or closing ends it.
     */
    static final Duration LINGER = Duration.ofMillis(50);
    /** Rows queued at most; beyond it submitters wait (back-pressure) up to {@link #SUBMIT_WAIT}. */
    static final int MAX_QUEUED = 50_000;
    static final Duration SUBMIT_WAIT = Duration.ofSeconds(10);
    /** How long a fence waits for the rows before it gives up (nothing may then be acknowledged). */
    static final Duration FENCE_WAIT = Duration.ofSeconds(30);
    private static final long MAX_BACKOFF_MILLIS = 1000;
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

    private final DataSource dataSource;
    private final Duration fenceWait;
    private final MamStore store;
    private final MamUids uids;
    private final Thread thread;
    private final MamKeyedQueue queue;
    /** Rows queued or being written. */
    private final AtomicInteger pending = new AtomicInteger();
    private volatile boolean idle;
    private volatile boolean lingering;
    /** Callers of {@link #fence()} waiting: the writer commits at once for them. */
    private final AtomicInteger fencing = new AtomicInteger();
    /** Guards what waiters wait for: the key up to which every row is stored (or dropped), failures. */
    private final Object stateLock = new Object();
    private long doneThrough;
    /** The last failure while the database refuses writes: new rows are refused until one succeeds. */
    private volatile StorageException failing;
    private volatile boolean closing;
    private volatile boolean stopped;
    private long closedAt;
    private long batches;
    private long rowsWritten;

    MamWriter(DataSource dataSource, MamIds ids, MamStore store) {
        this(dataSource, ids, store, FENCE_WAIT);
    }

    /** @param fenceWait how long {@link #fence()} waits before it gives up */
    MamWriter(DataSource dataSource, MamIds ids, MamStore store, Duration fenceWait) {
        this.fenceWait = fenceWait;
        this.dataSource = dataSource;
        this.queue = new MamKeyedQueue(ids);
        this.doneThrough = ids.last(); // what was stored before the start
        this.store = store;
        this.uids = store.uids();
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
        if (pending.get() + rows.size() > MAX_QUEUED) {
            awaitRoom(rows.size());
        }
        refuseWhenFailing();
        pending.addAndGet(rows.size());
        long[] keys = queue.add(rows);
        if (idle || lingering && pending.get() >= MAX_BATCH) {
            LockSupport.unpark(thread);
        }
        List<MamStore.Row> keyed = new ArrayList<>(keys.length);
        for (int i = 0; i < keys.length; i++) {
            MamStore.Row r = rows.get(i);
            keyed.add(new MamStore.Row(keys[i], r.owner(), r.withBare(), r.withResource(), uids.of(keys[i]),
                    r.outgoing(), r.stanza()));
        }
        return keyed;
    }

    private void refuseWhenFailing() {
        StorageException failure = failing;
        if (failure != null) {
            throw new StorageException("the archive cannot be written: " + failure.getMessage(), failure);
        }
        if (closing) {
            throw new StorageException("the archive is closing");
        }
    }

    /** Back-pressure: waits while the queue is full. */
    private void awaitRoom(int rows) {
        synchronized (stateLock) {
            long deadline = System.nanoTime() + SUBMIT_WAIT.toNanos();
            while (failing == null && !closing && pending.get() + rows > MAX_QUEUED) {
                await(deadline, "waiting for room in the archive's queue");
            }
        }
    }

    /**
     * Returns once every row submitted before the call is stored. Blocking: call it on a worker.
     *
     * @throws StorageException when they are not stored in time ({@link #FENCE_WAIT} unless told)
     */
    void fence() {
        long target = queue.lastKey();
        if (doneThrough() >= target) {
            return;
        }
        fencing.incrementAndGet();
        LockSupport.unpark(thread);
        try {
            awaitStored(target);
        } finally {
            fencing.decrementAndGet();
        }
    }

    private long doneThrough() {
        synchronized (stateLock) {
            return doneThrough;
        }
    }

    private void awaitStored(long target) {
        synchronized (stateLock) {
            long deadline = System.nanoTime() + fenceWait.toNanos();
            while (doneThrough < target) {
                if (stopped) {
                    throw new StorageException("the archive closed before storing every message");
                }
                await(deadline, "waiting for the archive to store its messages");
            }
        }
    }

    /** Waits on {@link #stateLock}, which the caller holds, until notified or the deadline. */
    private void await(long deadline, String what) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            StorageException failure = failing;
            throw new StorageException("timed out " + what
                    + (failure == null ? "" : " (the database refuses writes: " + failure.getMessage() + ")"));
        }
        try {
            stateLock.wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException("interrupted " + what, e);
        }
    }

    private void run() {
        try {
            drain();
        } finally {
            synchronized (stateLock) {
                stopped = true;
                stateLock.notifyAll();
            }
        }
    }

    private void drain() {
        while (true) {
            linger();
            ArrayDeque<MamStore.Row> taken = queue.take();
            if (taken == null) {
                if (closing) {
                    return; // everything stored
                }
                idle = true;
                if (queue.isEmpty() && !closing) {
                    LockSupport.parkNanos(100_000_000L);
                }
                idle = false;
                continue;
            }
            if (!write(taken)) {
                synchronized (stateLock) {
                    log.error("the archive closed with {} messages it could not store: {}", pending.get(),
                            failing == null ? "" : failing.getMessage());
                }
                return;
            }
        }
    }

    /** Waits up to {@link #LINGER} for a batch to gather, unless someone waits for it or it is full. */
    private void linger() {
        long until = System.nanoTime() + LINGER.toNanos();
        lingering = true;
        try {
            while (!closing && fencing.get() == 0 && pending.get() > 0 && pending.get() < MAX_BATCH) {
                long left = until - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                LockSupport.parkNanos(left);
            }
        } finally {
            lingering = false;
        }
    }

    /**
     * Writes the rows taken, oldest first, in batches, trying again while the database refuses them.
     * Returns false when closing gave up on them.
     */
    private boolean write(ArrayDeque<MamStore.Row> taken) {
        long backoff = 0;
        while (!taken.isEmpty()) {
            List<MamStore.Row> batch = new ArrayList<>(Math.min(taken.size(), MAX_BATCH));
            for (MamStore.Row r : taken) {
                if (batch.size() == MAX_BATCH) {
                    break;
                }
                batch.add(r);
            }
            int stored = store(batch);
            if (stored > 0) {
                long last = 0;
                for (int i = 0; i < stored; i++) {
                    last = taken.pollFirst().id();
                }
                pending.addAndGet(-stored);
                synchronized (stateLock) {
                    doneThrough = last;
                    failing = null;
                    batches++;
                    rowsWritten += stored;
                    stateLock.notifyAll();
                }
                backoff = 0;
                continue;
            }
            synchronized (stateLock) {
                if (closing && System.nanoTime() - closedAt > CLOSE_WAIT.toNanos()) {
                    return false;
                }
            }
            backoff = Math.min(MAX_BACKOFF_MILLIS, Math.max(10, backoff * 2));
            LockSupport.parkNanos(backoff * 1_000_000L); // the database refuses writes: try again soon
        }
        return true;
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
                synchronized (stateLock) {
                    if (failing == null) {
                        log.error("the archive cannot be written, new messages are refused until it can: {}",
                                batchFailure.getMessage());
                    }
                    failing = batchFailure;
                    stateLock.notifyAll(); // waiting submitters fail at once
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
                store.insert(c, rows);
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
    }

    /** Stores what is queued (waiting up to 10 s for the database), then stops the thread. */
    @Override
    public void close() throws InterruptedException {
        synchronized (stateLock) {
            closedAt = System.nanoTime();
            closing = true;
            stateLock.notifyAll();
        }
        LockSupport.unpark(thread);
        thread.join(CLOSE_WAIT.toMillis() + 5_000);
    }

    /** Transactions committed and rows written so far (for the benchmark's report). */
    long[] statistics() {
        synchronized (stateLock) {
            return new long[] {batches, rowsWritten};
        }
    }
}
