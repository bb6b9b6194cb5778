package im.tongyou.consent;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * The accounts known to have no {@code consent_minor} row ({@code xeps/tongyou-consent.md} §5), so
 * that the check at every login (R-CHD-11: is this a child's account?) reads the database once per
 * account and not at each login. {@link MinorStore} forgets a name after each insert of its row
 * has committed; a look-up that raced with such an insert does not keep what it read.
 *
 * <p>Bounded: when full, it is emptied. Names also expire after {@code ttlNanos}, a safety net for
 * a database that something other than this process writes.
 */
final class AbsentNames {

    private final ConcurrentHashMap<String, Long> absentSince = new ConcurrentHashMap<>();
    /** Counts inserts: a look-up that started before one does not keep what it read. */
    private final AtomicLong inserts = new AtomicLong();
    private final int maxEntries;
    private final long ttlNanos;
    private final LongSupplier nanoTime;

    AbsentNames(int maxEntries, long ttlNanos, LongSupplier nanoTime) {
        this.maxEntries = maxEntries;
        this.ttlNanos = ttlNanos;
        this.nanoTime = nanoTime;
    }

    /** Whether the account has a row: known absent, or the reader's answer (which reads the database). */
    boolean exists(String username, Predicate<String> reader) {
        long now = nanoTime.getAsLong();
        Long since = absentSince.get(username);
        if (since != null && now - since < ttlNanos) {
            return false;
        }
        long before = inserts.get();
        boolean exists = reader.test(username);
        if (!exists) {
            if (absentSince.size() >= maxEntries) {
                absentSince.clear();
            }
            // Atomic with respect to inserted()'s remove of the same key: an insert counted after the
            // check removes what we put; one counted before keeps us out.
            absentSince.compute(username, (k, old) -> inserts.get() == before ? Long.valueOf(now) : old);
        } else {
            absentSince.remove(username);
        }
        return exists;
    }

    /** After an insert of the account's row has committed (or failed). */
    void inserted(String username) {
        inserts.incrementAndGet();
        absentSince.remove(username);
    }
}
