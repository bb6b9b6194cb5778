package im.tongyou.server.feature.mam;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The archive writer's queue: rows get their order keys ({@link MamIds}) and are queued without a
 * lock, and the writer takes them back in key order. A lock here, however short, convoyed the
 * workers on a 2-core machine whenever its holder was descheduled (JFR: 8.8 s blocked in 15 s of a
 * 5,000 msg/s run).
 */
final class MamKeyedQueue {

    private final MamIds ids;
    private final ConcurrentLinkedQueue<MamStore.Row> queue = new ConcurrentLinkedQueue<>();
    /** Submitters between taking their first key and queueing their last row ({@link #take}). */
    private final AtomicInteger inFlight = new AtomicInteger();
    /** Rows taken from the queue with keys beyond the round's, in key order (the writer's thread only). */
    private final List<MamStore.Row> early = new ArrayList<>();

    MamKeyedQueue(MamIds ids) {
        this.ids = ids;
    }

    /** Gives each row its key (the row's own is ignored) and queues it; returns the keys, in order. */
    long[] add(List<MamStore.Row> rows) {
        long[] keys = new long[rows.size()];
        inFlight.incrementAndGet();
        try {
            for (int i = 0; i < keys.length; i++) {
                MamStore.Row r = rows.get(i);
                keys[i] = ids.next();
                queue.add(new MamStore.Row(keys[i], r.owner(), r.withBare(), r.withResource(), r.sid(), r.outgoing(),
                        r.stanza()));
            }
        } finally {
            inFlight.decrementAndGet();
        }
        return keys;
    }

    /** The last key given (or the highest stored at start). */
    long lastKey() {
        return ids.last();
    }

    boolean isEmpty() {
        return queue.isEmpty() && early.isEmpty();
    }

    /**
     * Takes the rows queued, in key order, up to the last key given out when it starts. Keys are
     * given without a lock and rows queued right after, so a row can reach the queue after one with
     * a larger key: the writer reads the last key given, then waits for a moment with no submitter
     * in flight (microseconds, unless one was descheduled) — every key up to the one read was
     * given to a submitter that was in flight before it and has now queued its rows — and takes the
     * keys up to it only; later ones wait for the next round. Rows are thus committed in key order, and
     * "stored through k" means every key up to k. Returns {@code null} when nothing is queued.
     */
    ArrayDeque<MamStore.Row> take() {
        while (true) {
            long target = ids.last();
            while (inFlight.get() != 0) {
                Thread.yield();
            }
            for (MamStore.Row r = queue.poll(); r != null; r = queue.poll()) {
                early.add(r);
            }
            if (early.isEmpty()) {
                return null;
            }
            early.sort(Comparator.comparingLong(MamStore.Row::id));
            int through = 0;
            while (through < early.size() && early.get(through).id() <= target) {
                through++;
            }
            if (through > 0) {
                List<MamStore.Row> now = early.subList(0, through);
                ArrayDeque<MamStore.Row> taken = new ArrayDeque<>(now);
                now.clear();
                return taken;
            }
        }
    }
}
