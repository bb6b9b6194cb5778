package im.tongyou.server.feature.mam;

import im.tongyou.server.storage.StorageException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;

/**
 * Writes archived messages: a caller blocks until its rows are committed (design guide §5: "Writes
 * that must not be lost ... are committed before the acknowledgement is sent"). Order keys are given
 * under a lock of the archive's owner held until the commit, so that in one archive a row committed
 * later always sorts after every row committed before it and paging never skips one (XEP-0313 §3.1:
 * paging must be stable). Archives are queried one at a time, so different owners' rows commit in
 * parallel: a single writer for the whole server (the group commit this replaced) made every archived
 * message wait for one thread, which on a busy machine ran a quarter of the time it held the role
 * (docs/benchmarks.md). PostgreSQL merges the WAL flushes of concurrent commits itself; on embedded
 * H2 a commit reaches the file later, and acknowledgements wait for
 * {@link im.tongyou.server.storage.Durability#barrier()}.
 */
final class MamWriter {

    /** Owners' locks by hash; two owners sharing one only wait for each other. */
    private static final int STRIPES = 256;

    private final DataSource dataSource;
    private final MamIds ids;
    private final MamUids uids;
    private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];
    private final AtomicLong transactions = new AtomicLong();
    private final AtomicLong rowsWritten = new AtomicLong();

    MamWriter(DataSource dataSource, MamIds ids, MamUids uids) {
        this.dataSource = dataSource;
        this.ids = ids;
        this.uids = uids;
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    /**
     * Stores the rows in one transaction, giving each its order key and its UID (those of the rows
     * are ignored); returns them as committed, in the same order, once they are committed.
     *
     * @throws StorageException when the database refused them (none of them was stored)
     */
    List<MamStore.Row> write(List<MamStore.Row> rows) {
        if (rows.isEmpty()) {
            return List.of();
        }
        // Every owner's lock, in one global order (no deadlock between writers of several owners).
        TreeSet<Integer> mine = new TreeSet<>();
        for (MamStore.Row r : rows) {
            mine.add(Math.floorMod(r.owner().hashCode(), STRIPES));
        }
        for (int stripe : mine) {
            stripes[stripe].lock();
        }
        try {
            List<MamStore.Row> keyed = new ArrayList<>(rows.size());
            for (MamStore.Row r : rows) {
                long id = ids.next();
                keyed.add(new MamStore.Row(id, r.owner(), r.withBare(), r.withResource(), uids.of(id), r.outgoing(),
                        r.sealed()));
            }
            commit(keyed);
            transactions.incrementAndGet();
            rowsWritten.addAndGet(keyed.size());
            return keyed;
        } finally {
            for (int stripe : mine.descendingSet()) {
                stripes[stripe].unlock();
            }
        }
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
        }
    }

    /** Transactions committed and rows written so far (for the benchmark's report). */
    long[] statistics() {
        return new long[] {transactions.get(), rowsWritten.get()};
    }
}
