package im.tongyou.server.feature.mam;

import im.tongyou.server.storage.StorageException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Writes archived messages with group commit (measured against parallel per-archive commits, which
 * gave a third of the throughput on the shared 2-core machine: H2's concurrent writers spin while
 * the holder of a page is descheduled; docs/benchmarks.md): a caller blocks until its rows are committed (design
 * guide §5: "Writes that must not be lost ... are committed before the acknowledgement is sent.
 * Batch where throughput needs it, never at the price of a lost message"). The first waiting caller
 * becomes the writer and commits everything queued so far in one transaction (one WAL flush on
 * PostgreSQL); callers arriving meanwhile queue for the next batch. No thread of its own. On
 * embedded H2 a commit reaches the file later: acknowledgements wait for
 * {@link im.tongyou.server.storage.Durability#barrier()}.
 */
final class MamWriter {

    /** Rows in one transaction at most. */
    static final int MAX_BATCH = 1000;

    private static final class Pending {
        final List<MamStore.Row> rows;
        List<MamStore.Row> committed;
        boolean done;
        RuntimeException failure;

        Pending(List<MamStore.Row> rows) {
            this.rows = rows;
        }
    }

    private final DataSource dataSource;
    private final MamIds ids;
    private final MamUids uids;
    private final Object lock = new Object();
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private boolean writing;
    private long batches;
    private long rowsWritten;

    MamWriter(DataSource dataSource, MamIds ids, MamUids uids) {
        this.dataSource = dataSource;
        this.ids = ids;
        this.uids = uids;
    }

    /**
     * Stores the rows, giving each its order key and its UID (those of the rows are ignored); returns
     * them as committed, in the same order, once they are committed.
     *
     * @throws StorageException when the database refused them (nothing of this batch was stored)
     */
    List<MamStore.Row> write(List<MamStore.Row> rows) {
        if (rows.isEmpty()) {
            return List.of();
        }
        Pending mine = new Pending(rows);
        synchronized (lock) {
            queue.add(mine);
        }
        while (true) {
            List<Pending> batch;
            synchronized (lock) {
                while (writing && !mine.done) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new StorageException("interrupted while waiting to archive", e);
                    }
                }
                if (mine.done) {
                    break;
                }
                // Become the writer: take what is queued, oldest first, up to one batch (ours is
                // in it unless more than a batch was queued before it: then we write again).
                writing = true;
                batch = take();
            }
            try {
                commit(batch);
            } finally {
                synchronized (lock) {
                    writing = false;
                    lock.notifyAll();
                }
            }
        }
        if (mine.failure != null) {
            throw mine.failure;
        }
        return mine.committed;
    }

    private List<Pending> take() {
        List<Pending> batch = new ArrayList<>();
        int rows = 0;
        while (!queue.isEmpty() && (batch.isEmpty() || rows + queue.peekFirst().rows.size() <= MAX_BATCH)) {
            Pending p = queue.pollFirst();
            rows += p.rows.size();
            batch.add(p);
        }
        return batch;
    }

    private void commit(List<Pending> batch) {
        // Order keys are given here, by the only writer, batch after batch: a row committed later
        // always sorts after every row committed before it, so paging never skips one.
        List<MamStore.Row> rows = new ArrayList<>();
        List<List<MamStore.Row>> each = new ArrayList<>(batch.size());
        for (Pending p : batch) {
            List<MamStore.Row> mine = new ArrayList<>(p.rows.size());
            for (MamStore.Row r : p.rows) {
                long id = ids.next();
                mine.add(new MamStore.Row(id, r.owner(), r.withBare(), r.withResource(), uids.of(id),
                        r.outgoing(), r.sealed()));
            }
            rows.addAll(mine);
            each.add(mine);
        }
        RuntimeException failure = null;
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
            failure = new StorageException("cannot archive " + rows.size() + " messages: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            failure = e;
        }
        synchronized (lock) {
            for (int i = 0; i < batch.size(); i++) {
                Pending p = batch.get(i);
                p.failure = failure;
                p.committed = each.get(i);
                p.done = true;
            }
            if (failure == null) {
                batches++;
                rowsWritten += rows.size();
            }
        }
    }

    /** Transactions committed and rows written so far (for the benchmark's report). */
    long[] statistics() {
        synchronized (lock) {
            return new long[] {batches, rowsWritten};
        }
    }
}
