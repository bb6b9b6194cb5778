package im.tongyou.server.session;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.xmpp.packet.Packet;

/**
 * The stream management state of one session (XEP-0198): how many of the client's stanzas the
 * server has handled, and the stanzas sent to the client that it has not acknowledged yet.
 * Counters are unsigned 32-bit and wrap (XEP-0198 §4: "the value of 'h' ... MUST wrap around to
 * zero after 2^32 - 1"). Thread-safe.
 */
public final class StreamManagement {

    private static final long MOD = 1L << 32;

    private final String id;
    private final boolean resumable;
    private final int maxUnacked;
    private long handledInbound;
    private long sentOutbound;
    private long ackedOutbound;
    private final ArrayDeque<Packet> unacked = new ArrayDeque<>();

    /**
     * @param id         the stream id given to the client for resumption
     * @param resumable  whether the client asked for (and got) resumption
     * @param maxUnacked the most unacknowledged stanzas kept before the session is considered broken
     */
    public StreamManagement(String id, boolean resumable, int maxUnacked) {
        this.id = id;
        this.resumable = resumable;
        this.maxUnacked = maxUnacked;
    }

    public String id() {
        return id;
    }

    public boolean resumable() {
        return resumable;
    }

    /** One more of the client's stanzas was handled. */
    public synchronized void handled() {
        handledInbound = (handledInbound + 1) % MOD;
    }

    /** The 'h' to report to the client: its stanzas handled so far. */
    public synchronized long handledInbound() {
        return handledInbound;
    }

    /**
     * A stanza went to the client; it stays queued until acknowledged.
     *
     * @return false when too many stanzas are unacknowledged (the client does not answer)
     */
    public synchronized boolean sent(Packet stanza) {
        sentOutbound = (sentOutbound + 1) % MOD;
        unacked.addLast(stanza);
        return unacked.size() <= maxUnacked;
    }

    /** The number of stanzas sent and not yet acknowledged. */
    public synchronized int unackedCount() {
        return unacked.size();
    }

    /**
     * The client acknowledged stanzas up to 'h'.
     *
     * @return false when 'h' acknowledges more than was sent (XEP-0198 §4 handled-count-too-high)
     */
    public synchronized boolean acknowledge(long h) {
        long newly = (h - ackedOutbound + MOD) % MOD;
        if (newly > unacked.size()) {
            return false;
        }
        for (long i = 0; i < newly; i++) {
            unacked.removeFirst();
        }
        ackedOutbound = h % MOD;
        return true;
    }

    /** Removes and returns the stanzas the client never acknowledged, oldest first. */
    public synchronized List<Packet> drainUnacked() {
        List<Packet> all = new ArrayList<>(unacked);
        unacked.clear();
        return all;
    }

    /** A copy of the unacknowledged stanzas, oldest first, to send again after resumption. */
    public synchronized List<Packet> unacked() {
        return new ArrayList<>(unacked);
    }
}
