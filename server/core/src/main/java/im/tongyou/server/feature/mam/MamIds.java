package im.tongyou.server.feature.mam;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The internal order key of an archived message (XEP-0313 §3.1), which encodes when the message was
 * archived ({@code millis << 20 | sequence}) so that order is preserved even for messages of the
 * same millisecond and time filters are ranges of it. The public UID is derived from it
 * ({@link MamUids}).
 */
final class MamIds {

    static final int SEQUENCE_BITS = 20;
    private static final long SEQUENCE_MASK = (1L << SEQUENCE_BITS) - 1;

    private final Clock clock;
    private final AtomicLong last;

    /**
     * @param clock  the server clock
     * @param maxId  the highest id already stored, so that ids keep increasing across restarts
     *               even when the clock went back
     */
    MamIds(Clock clock, long maxId) {
        this.clock = clock;
        this.last = new AtomicLong(maxId);
    }

    /** The next order key: never less than the current time's first key, always above the last one. */
    long next() {
        long floor = firstIdAt(clock.millis());
        return last.updateAndGet(previous -> Math.max(previous + 1, floor));
    }

    /** The last key given (or the highest stored at start). */
    long last() {
        return last.get();
    }

    /** When the message with this key was archived (millisecond precision). */
    static Instant stampOf(long id) {
        return Instant.ofEpochMilli(id >>> SEQUENCE_BITS);
    }

    /** The smallest key of a millisecond. */
    static long firstIdAt(long epochMillis) {
        return epochMillis << SEQUENCE_BITS;
    }

    /** The largest key of a millisecond. */
    static long lastIdAt(long epochMillis) {
        return (epochMillis << SEQUENCE_BITS) | SEQUENCE_MASK;
    }

    /** The smallest key archived at or after the instant (a partial millisecond rounds up). */
    static long firstIdFrom(Instant start) {
        long millis = start.toEpochMilli();
        if (Instant.ofEpochMilli(millis).isBefore(start)) {
            millis++;
        }
        return firstIdAt(Math.max(0, millis));
    }

    /** The largest key archived at or before the instant. */
    static long lastIdUntil(Instant end) {
        return end.toEpochMilli() < 0 ? -1 : lastIdAt(end.toEpochMilli());
    }
}
