package im.tongyou.server.account;

import im.tongyou.api.AccountState;
import im.tongyou.server.auth.StoredCredentials;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * What every login reads about an account (its state and SCRAM keys, RFC 5802 §5.1: the server
 * looks the user up at each authentication), kept in memory between the account's writes, so that a
 * login costs no database read. The {@link AccountStore} invalidates a name after each write that
 * changed it has committed; a look-up that raced with such a write does not keep what it read.
 *
 * <p>Bounded: when full, the cache is emptied. Entries also expire after {@code ttlNanos}, a safety
 * net for a database that something other than this process writes (PostgreSQL shared with a
 * command run against it directly).
 */
final class AccountCache {

    /**
     * One account as the store last read it; {@code null} fields when there is no such account.
     *
     * @param state       the account's stage, or {@code null} when there is no such account
     * @param enabled     whether logins are allowed
     * @param credentials the SCRAM keys, or {@code null} when there is no such account
     */
    record Entry(AccountState state, boolean enabled, StoredCredentials credentials) {

        static final Entry NONE = new Entry(null, false, null);

        boolean exists() {
            return state != null;
        }
    }

    private record Timed(Entry entry, long loadedAt) {
    }

    private final ConcurrentHashMap<String, Timed> entries = new ConcurrentHashMap<>();
    /** Counts writes: a look-up that started before one does not store what it read. */
    private final AtomicLong writes = new AtomicLong();
    private final int maxEntries;
    private final long ttlNanos;
    private final LongSupplier nanoTime;

    AccountCache(int maxEntries, long ttlNanos, LongSupplier nanoTime) {
        this.maxEntries = maxEntries;
        this.ttlNanos = ttlNanos;
        this.nanoTime = nanoTime;
    }

    /** The cached entry, or the loader's (which reads the database) kept unless a write raced with it. */
    Entry get(String username, Function<String, Entry> loader) {
        Timed cached = entries.get(username);
        long now = nanoTime.getAsLong();
        if (cached != null && now - cached.loadedAt() < ttlNanos) {
            return cached.entry();
        }
        long before = writes.get();
        Entry loaded = loader.apply(username);
        if (entries.size() >= maxEntries) {
            entries.clear();
        }
        // The check and the put are atomic with respect to invalidate's remove of the same key:
        // a write counted after our check removes what we put; one counted before keeps us out.
        Timed timed = new Timed(loaded, now);
        entries.compute(username, (k, old) -> writes.get() == before ? timed : old);
        return loaded;
    }

    /** After a write to the account has committed (or failed): the next look-up reads the database. */
    void invalidate(String username) {
        writes.incrementAndGet();
        entries.remove(username);
    }

    int size() {
        return entries.size();
    }
}
