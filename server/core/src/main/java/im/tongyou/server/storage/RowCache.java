package im.tongyou.server.storage;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * What a store read for a key (its row, or that there is none), kept in memory between the store's
 * writes to that key, for reads made at every login. The store calls {@link #invalidate} after each
 * write to the key has committed (or failed); a read that raced with such a write does not keep what
 * it read.
 *
 * <p>Bounded: when full, the cache is emptied. Entries also expire after {@code ttlNanos}, a safety
 * net for a database that something other than this process writes (PostgreSQL shared with a
 * command run against it directly).
 *
 * @param <V> what the store read, never {@code null} (an {@code Optional} for a missing row)
 */
public final class RowCache<V> {

    private record Timed<V>(V value, long loadedAt) {
    }

    private final ConcurrentHashMap<String, Timed<V>> entries = new ConcurrentHashMap<>();
    /** Counts writes: a read that started before one does not keep what it read. */
    private final AtomicLong writes = new AtomicLong();
    private final int maxEntries;
    private final long ttlNanos;
    private final LongSupplier nanoTime;

    public RowCache(int maxEntries, long ttlNanos, LongSupplier nanoTime) {
        this.maxEntries = maxEntries;
        this.ttlNanos = ttlNanos;
        this.nanoTime = nanoTime;
    }

    /** The cached value, or the loader's (which reads the database), kept unless a write raced with it. */
    public V get(String key, Function<String, V> loader) {
        Timed<V> cached = entries.get(key);
        long now = nanoTime.getAsLong();
        if (cached != null && now - cached.loadedAt() < ttlNanos) {
            return cached.value();
        }
        long before = writes.get();
        V loaded = loader.apply(key);
        if (entries.size() >= maxEntries) {
            entries.clear();
        }
        // Atomic with respect to invalidate's remove of the same key: a write counted after the check
        // removes what we put; one counted before keeps us out.
        Timed<V> timed = new Timed<>(loaded, now);
        entries.compute(key, (k, old) -> writes.get() == before ? timed : old);
        return loaded;
    }

    /** After a write to the key has committed (or failed): the next read goes to the database. */
    public void invalidate(String key) {
        writes.incrementAndGet();
        entries.remove(key);
    }

    /** How many keys are kept (for tests of the bound). */
    int size() {
        return entries.size();
    }
}
