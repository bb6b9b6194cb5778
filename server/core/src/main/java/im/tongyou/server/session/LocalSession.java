package im.tongyou.server.session;

import im.tongyou.api.ClientSession;
import im.tongyou.api.SessionKey;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.IdentityHashMap;
import java.util.Map;
import org.xmpp.packet.JID;
import org.xmpp.packet.Packet;
import org.xmpp.packet.Presence;
import org.xmpp.packet.StreamError;

/**
 * A bound client session on this server (RFC 6120 §7): its full JID, its presence state
 * (RFC 6121 §4) and the values plugins keep for it. Kept small: one exists per connected device.
 */
public final class LocalSession implements ClientSession {

    private final JID jid;
    private final Connection connection;
    private final SerialExecutor executor;
    private final Instant boundAt;
    private volatile Presence presence;
    private volatile boolean available;
    private volatile int priority;
    private Map<SessionKey<?>, Object> attributes;

    public LocalSession(JID jid, Connection connection, SerialExecutor executor, Instant boundAt) {
        this.jid = jid;
        this.connection = connection;
        this.executor = executor;
        this.boundAt = boundAt;
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
        return connection.remoteAddress();
    }

    @Override
    public void send(Packet stanza) {
        connection.write(stanza);
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

    @Override
    public void close(StreamError.Condition condition, String text) {
        connection.closeWithError(condition, text);
    }

    @Override
    public boolean isOpen() {
        return connection.isOpen();
    }

    @Override
    public String toString() {
        return jid.toString();
    }
}
