package im.tongyou.server.routing;

import im.tongyou.api.Interceptor;
import im.tongyou.api.Phase;
import im.tongyou.api.StanzaErrorException;
import im.tongyou.api.Verdict;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.xmpp.packet.Packet;

/**
 * The interceptors of one stanza kind, per {@link Phase}, in ascending order. Reading is a volatile
 * array read (the hot path); registering copies the array.
 *
 * @param <T> the stanza type
 */
public final class InterceptorChain<T extends Packet> {

    private record Entry<T extends Packet>(int order, long sequence, String owner, Interceptor<T> interceptor) {
    }

    @SuppressWarnings("unchecked")
    private static final Entry<?>[] EMPTY = new Entry<?>[0];
    private static final Comparator<Entry<?>> ORDER =
            Comparator.<Entry<?>>comparingInt(Entry::order).thenComparingLong(Entry::sequence);

    private final Map<Phase, Entry<?>[]> phases = new EnumMap<>(Phase.class);
    private volatile Map<Phase, Entry<?>[]> snapshot = Map.of();
    private long sequence;

    /** Adds an interceptor; the returned handle removes it. */
    public synchronized AutoCloseable add(Phase phase, int order, String owner, Interceptor<T> interceptor) {
        Entry<T> entry = new Entry<>(order, sequence++, owner, interceptor);
        Entry<?>[] current = phases.getOrDefault(phase, EMPTY);
        Entry<?>[] next = Arrays.copyOf(current, current.length + 1);
        next[current.length] = entry;
        Arrays.sort(next, ORDER);
        phases.put(phase, next);
        publish();
        return () -> remove(phase, entry);
    }

    private synchronized void remove(Phase phase, Entry<T> entry) {
        List<Entry<?>> list = new ArrayList<>(Arrays.asList(phases.getOrDefault(phase, EMPTY)));
        list.remove(entry);
        phases.put(phase, list.toArray(EMPTY));
        publish();
    }

    private void publish() {
        snapshot = Map.copyOf(phases);
    }

    /** Whether any interceptor is registered for the phase. */
    public boolean isEmpty(Phase phase) {
        Entry<?>[] entries = snapshot.get(phase);
        return entries == null || entries.length == 0;
    }

    /**
     * Runs the phase's interceptors until one does not return {@link Verdict#CONTINUE}.
     *
     * @throws StanzaErrorException from the interceptor that refused the stanza
     */
    @SuppressWarnings("unchecked")
    public Verdict run(Phase phase, T stanza) throws StanzaErrorException {
        Entry<?>[] entries = snapshot.get(phase);
        if (entries == null) {
            return Verdict.CONTINUE;
        }
        for (Entry<?> e : entries) {
            Verdict verdict = ((Entry<T>) e).interceptor().intercept(stanza);
            if (verdict != Verdict.CONTINUE) {
                return verdict;
            }
        }
        return Verdict.CONTINUE;
    }
}
