package im.tongyou.server.session;

import im.tongyou.api.ClientSession;
import im.tongyou.api.SessionKey;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.IdentityHashMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.xmpp.packet.JID;
import org.xmpp.packet.Packet;
import org.xmpp.packet.Presence;
import org.xmpp.packet.StreamError;

/**
 * A bound client session on this server (RFC 6120 §7): its full JID, its presence state
 * (RFC 6121 §4), the values plugins keep for it, and its outbound path through client state
 * indication (XEP-0352) and stream management (XEP-0198). With resumable stream management the
 * session outlives its connection for a while (it is detached: stanzas queue until the client
 * resumes or the session ends). Kept small: one exists per connected device.
 */
public final class LocalSession implements ClientSession {

    /** Ask the client for an acknowledgement after this many unacknowledged stanzas. */
    private static final int ACK_REQUEST_EVERY = 8;
    private static final int MAX_AFTER_CLOSE = 1000;
    private static final String ACK_REQUEST = "<r xmlns='urn:xmpp:sm:3'/>";

    private final JID jid;
    private final SerialExecutor executor;
    private final Instant boundAt;
    private final InetSocketAddress firstAddress;
    private volatile Connection connection;
    private volatile Presence presence;
    private volatile boolean available;
    private volatile int priority;
    private volatile StreamManagement sm;
    private volatile ClientState clientState;
    private volatile boolean ended;
    /** Stanzas that came after the client closed its stream, or {@code null} while it has not. */
    private List<Packet> afterClose;
    private final SessionLifecycle lifecycle;
    private Map<SessionKey<?>, Object> attributes;

    /**
     * @param lifecycle ends the session when the server closes it while detached; may be
     *                  {@code null} where sessions are never detached (tests)
     */
    public LocalSession(JID jid, Connection connection, SerialExecutor executor, Instant boundAt,
                        SessionLifecycle lifecycle) {
        this.jid = jid;
        this.connection = connection;
        this.executor = executor;
        this.boundAt = boundAt;
        this.firstAddress = connection.remoteAddress();
        this.lifecycle = lifecycle;
    }

    @Override
    public JID jid() {
        return jid;
    }

    /** The executor that runs this session's stanzas in order. */
    public SerialExecutor executor() {
        return executor;
    }

    @Override
    public boolean isAvailable() {
        return available;
    }

    @Override
    public Presence presence() {
        return presence;
    }

    @Override
    public int priority() {
        return priority;
    }

    /**
     * Records broadcast presence from the client: available with its priority, or unavailable.
     *
     * @return whether this was the session's initial presence
     */
    public boolean updatePresence(Presence update) {
        boolean initial = presence == null;
        presence = update;
        available = update.isAvailable();
        priority = update.isAvailable() ? update.getPriority() : 0;
        return initial && available;
    }

    @Override
    public Instant boundAt() {
        return boundAt;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        Connection c = connection;
        return c == null ? firstAddress : c.remoteAddress();
    }

    /**
     * Sends a stanza to the client: through client state indication (it may be held while the
     * client is inactive), counted and queued for stream management, written to the connection if
     * there is one (a detached session only queues).
     */
    @Override
    public void send(Packet stanza) {
        ClientState state = clientState;
        List<Packet> now = state == null ? List.of(stanza) : state.offer(stanza);
        for (Packet p : now) {
            transmit(p);
        }
    }

    private void transmit(Packet stanza) {
        Connection c;
        boolean overflow = false;
        boolean requestAck = false;
        // One lock so that the stream management queue has the stanzas in the order of the wire.
        synchronized (this) {
            if (ended) {
                return;
            }
            if (afterClose != null) {
                // Kept for a second chance when the session ends, moments from now (bounded anyway).
                if (afterClose.size() < MAX_AFTER_CLOSE) {
                    afterClose.add(stanza);
                }
                return;
            }
            c = connection;
            StreamManagement m = sm;
            if (m != null) {
                overflow = !m.sent(stanza);
                requestAck = m.unackedCount() % ACK_REQUEST_EVERY == 0;
            }
            if (c != null) {
                c.write(stanza);
                if (requestAck) {
                    c.write(ACK_REQUEST);
                }
            }
        }
        if (c == null && lifecycle != null) {
            lifecycle.queuedWhileDetached(this, stanza); // only stream management's queue has it now
        }
        if (overflow && c != null) {
            // The client stopped acknowledging: end the stream (its session may still be resumed).
            c.closeWithError(StreamError.Condition.policy_violation, "too many unacknowledged stanzas");
        }
    }

    /**
     * Enables stream management (XEP-0198 §3) on this session and tells the client with
     * {@code enabled}: under the send lock, so that the client's count starts exactly after it.
     */
    public void enableStreamManagement(StreamManagement management, String enabled) {
        synchronized (this) {
            this.sm = management;
            Connection c = connection;
            if (c != null) {
                c.write(enabled);
            }
        }
    }

    /** The stream management state, or {@code null} when the client did not enable it. */
    public StreamManagement streamManagement() {
        return sm;
    }

    /** The client said it is inactive (XEP-0352). */
    public void clientInactive() {
        ClientState state = clientState;
        if (state == null) {
            state = new ClientState();
            clientState = state;
        }
        state.inactive();
    }

    /** The client said it is active (XEP-0352): held stanzas go out now, in order. */
    public void clientActive() {
        ClientState state = clientState;
        if (state != null) {
            state.active().forEach(this::transmit);
        }
    }

    /** The connection went away but the session waits to be resumed (XEP-0198 §5). */
    public synchronized void detach() {
        connection = null;
    }

    /** Whether the session has no connection and waits to be resumed. */
    public boolean isDetached() {
        return connection == null && !ended;
    }

    /**
     * A new connection resumes the session (XEP-0198 §5): the old connection, if still there, is
     * closed, and every stanza the client had not acknowledged is sent again, in order.
     */
    public void attach(Connection fresh) {
        Connection old;
        List<Packet> resend;
        synchronized (this) {
            old = connection;
            connection = fresh;
            resend = sm == null ? List.of() : sm.unacked();
            for (Packet p : resend) {
                fresh.write(p);
            }
        }
        if (old != null && old != fresh) {
            old.closeWithError(StreamError.Condition.conflict, "the session was resumed on another connection");
        }
    }

    /** Whether the session has ended (it may have been detached first, waiting for resumption). */
    public boolean isEnded() {
        return ended;
    }

    /**
     * The client closed its stream (RFC 6120 §4.4): nothing more may be written to it. Stanzas that
     * still reach the session before it ends are kept ({@link #drainAfterClose()}) rather than
     * silently lost, so that messages go to the user's other resources or offline storage.
     */
    public synchronized void clientClosed() {
        if (afterClose == null) {
            afterClose = new ArrayList<>();
        }
    }

    /** What came after the client closed its stream, in order; empty otherwise. Call after {@link #end()}. */
    public synchronized List<Packet> drainAfterClose() {
        if (afterClose == null || afterClose.isEmpty()) {
            return List.of();
        }
        List<Packet> drained = afterClose;
        afterClose = new ArrayList<>();
        return drained;
    }

    /** Marks the session ended: nothing more is sent. Returns whether it was still running. */
    public synchronized boolean end() {
        boolean wasRunning = !ended;
        ended = true;
        connection = null;
        return wasRunning;
    }

    @Override
    @SuppressWarnings("unchecked")
    public synchronized <T> T get(SessionKey<T> key) {
        return attributes == null ? null : (T) attributes.get(key);
    }

    @Override
    public synchronized <T> void set(SessionKey<T> key, T value) {
        if (value == null) {
            if (attributes != null) {
                attributes.remove(key);
            }
            return;
        }
        if (attributes == null) {
            attributes = new IdentityHashMap<>(4);
        }
        attributes.put(key, value);
    }

    /** The current connection, or {@code null} while detached or after the end. */
    public Connection connection() {
        return connection;
    }

    @Override
    public void close(StreamError.Condition condition, String text) {
        Connection c = connection;
        if (c != null) {
            c.closeWithError(condition, text);
        } else if (lifecycle != null) {
            executor.execute(() -> lifecycle.end(this)); // a detached session has no stream to close
        }
    }

    @Override
    public boolean isOpen() {
        Connection c = connection;
        return !ended && (c == null || c.isOpen());
    }

    @Override
    public String toString() {
        return jid.toString();
    }
}
