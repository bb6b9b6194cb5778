package im.tongyou.server.feature.register;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Counts events per key in a sliding window, in memory (limits start afresh when the server
 * restarts). Keys are keyed hashes or addresses, never phone numbers. The number of keys is bounded:
 * when full, keys without recent events are dropped first, then the whole table (failing open
 * rather than growing without bound).
 */
final class RateLimiter {

    private static final int MAX_KEYS = 100_000;

    private final Clock clock;
    private final Duration window;
    private final int limit;
    private final Map<String, Deque<Instant>> events = new HashMap<>();

    RateLimiter(Clock clock, Duration window, int limit) {
        this.clock = clock;
        this.window = window;
        this.limit = limit;
    }

    /** Whether another event for the key stays within the limit (nothing is recorded). */
    synchronized boolean allows(String key) {
        return recent(key, clock.instant()).size() < limit;
    }

    /** The time of the key's latest event in the window, or {@code null}. */
    synchronized Instant latest(String key) {
        Deque<Instant> recent = recent(key, clock.instant());
        return recent.isEmpty() ? null : recent.peekLast();
    }

    /** Records an event for the key. */
    synchronized void record(String key) {
        Instant now = clock.instant();
        if (!events.containsKey(key) && events.size() >= MAX_KEYS) {
            prune(now);
            if (events.size() >= MAX_KEYS) {
                events.clear();
            }
        }
        events.computeIfAbsent(key, k -> new ArrayDeque<>()).addLast(now);
        recent(key, now);
    }

    private Deque<Instant> recent(String key, Instant now) {
        Deque<Instant> times = events.get(key);
        if (times == null) {
            return new ArrayDeque<>();
        }
        Instant cutoff = now.minus(window);
        while (!times.isEmpty() && !times.peekFirst().isAfter(cutoff)) {
            times.pollFirst();
        }
        if (times.isEmpty()) {
            events.remove(key);
        }
        return times;
    }

    private void prune(Instant now) {
        Instant cutoff = now.minus(window);
        for (Iterator<Deque<Instant>> it = events.values().iterator(); it.hasNext(); ) {
            Deque<Instant> times = it.next();
            if (times.isEmpty() || !times.peekLast().isAfter(cutoff)) {
                it.remove();
            }
        }
    }
}
