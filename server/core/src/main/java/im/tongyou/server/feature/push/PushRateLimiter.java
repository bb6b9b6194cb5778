package im.tongyou.server.feature.push;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * At most one notification per device (registration) per interval: what arrives meanwhile is
 * counted and goes out in one notification at the end of the interval, so a burst of messages wakes
 * a phone once, with the number of messages, and none is forgotten. Thread-safe.
 */
final class PushRateLimiter {

    /** What one notification says. */
    record Batch(int count, String sender, String body) {
    }

    /** Sends a device's batch. */
    @FunctionalInterface
    interface Sink {
        void send(String device, Batch batch);
    }

    private static final class State {
        int count;
        String sender;
        String body;
        long lastSent = Long.MIN_VALUE / 2;
        boolean scheduled;
    }

    private final Clock clock;
    private final long intervalMillis;
    private final BiConsumer<Runnable, Duration> scheduler;
    private final Sink sink;
    private final Map<String, State> states = new HashMap<>();

    /**
     * @param scheduler runs a task after a delay (the plugin executor)
     */
    PushRateLimiter(Clock clock, Duration interval, BiConsumer<Runnable, Duration> scheduler, Sink sink) {
        this.clock = clock;
        this.intervalMillis = interval.toMillis();
        this.scheduler = scheduler;
        this.sink = sink;
    }

    /** A message for the device; the preview fields are {@code null} without previews. */
    void offer(String device, String sender, String body) {
        Batch now = null;
        synchronized (this) {
            State s = states.computeIfAbsent(device, d -> new State());
            s.count++;
            s.sender = sender;
            s.body = body;
            if (s.scheduled) {
                return;
            }
            long wait = s.lastSent + intervalMillis - clock.millis();
            if (wait <= 0) {
                now = take(s);
            } else {
                s.scheduled = true;
                scheduler.accept(() -> due(device), Duration.ofMillis(wait));
            }
            if (states.size() > 10_000) {
                forgetIdle();
            }
        }
        if (now != null) {
            sink.send(device, now);
        }
    }

    private void due(String device) {
        Batch batch;
        synchronized (this) {
            State s = states.get(device);
            if (s == null) {
                return;
            }
            s.scheduled = false;
            if (s.count == 0) {
                return;
            }
            batch = take(s);
        }
        sink.send(device, batch);
    }

    private Batch take(State s) {
        Batch batch = new Batch(s.count, s.sender, s.body);
        s.count = 0;
        s.sender = null;
        s.body = null;
        s.lastSent = clock.millis();
        return batch;
    }

    private void forgetIdle() {
        long now = clock.millis();
        states.values().removeIf(s -> !s.scheduled && s.count == 0 && now - s.lastSent > intervalMillis);
    }
}
