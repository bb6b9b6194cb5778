package im.tongyou.server.feature;

import im.tongyou.api.ClientSession;
import im.tongyou.api.SessionKey;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.xmpp.packet.JID;
import org.xmpp.packet.Packet;
import org.xmpp.packet.Presence;
import org.xmpp.packet.StreamError;

/** A client session that records what it is sent; its presence is set by the test. */
public final class FakeSession implements ClientSession {

    private final JID jid;
    private final Map<SessionKey<?>, Object> values = new IdentityHashMap<>();
    public final List<Packet> sent = new CopyOnWriteArrayList<>();
    private volatile Presence presence;
    private volatile boolean open = true;

    public FakeSession(String fullJid) {
        this.jid = new JID(fullJid);
    }

    /** Records broadcast presence as the core does; returns whether it was the initial one. */
    public boolean present(Presence update) {
        boolean initial = presence == null;
        presence = update;
        return initial && update.isAvailable();
    }

    /** Available with the priority. */
    public Presence available(int priority) {
        Presence p = new Presence();
        p.setFrom(jid);
        p.setPriority(priority);
        present(p);
        return p;
    }

    public void closeNow() {
        open = false;
    }

    @Override
    public JID jid() {
        return jid;
    }

    @Override
    public boolean isAvailable() {
        return presence != null && presence.isAvailable();
    }

    @Override
    public Presence presence() {
        return presence;
    }

    @Override
    public int priority() {
        return isAvailable() ? presence.getPriority() : 0;
    }

    @Override
    public Instant boundAt() {
        return Instant.EPOCH;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return new InetSocketAddress("127.0.0.1", 1);
    }

    @Override
    public void send(Packet stanza) {
        if (open) {
            sent.add(stanza);
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public synchronized <T> T get(SessionKey<T> key) {
        return (T) values.get(key);
    }

    @Override
    public synchronized <T> void set(SessionKey<T> key, T value) {
        if (value == null) {
            values.remove(key);
        } else {
            values.put(key, value);
        }
    }

    @Override
    public void close(StreamError.Condition condition, String text) {
        open = false;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public String toString() {
        return jid.toString();
    }
}
