package im.tongyou.server.feature;

import im.tongyou.api.ClientSession;
import im.tongyou.api.SessionKey;
import im.tongyou.api.Sessions;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.xmpp.packet.JID;
import org.xmpp.packet.Packet;
import org.xmpp.packet.Presence;
import org.xmpp.packet.StreamError;

/** Sessions without sockets for the features' unit tests: each records what it was sent. */
public final class RecordingSessions implements Sessions {

    /** A bound session that keeps what it is sent. */
    public static final class Session implements ClientSession {
        private final JID jid;
        private final Map<SessionKey<?>, Object> values = new IdentityHashMap<>();
        public final List<Packet> sent = new CopyOnWriteArrayList<>();
        public boolean available = true;
        public int priority;
        public boolean open = true;

        Session(JID jid) {
            this.jid = jid;
        }

        @Override
        public JID jid() {
            return jid;
        }

        @Override
        public boolean isAvailable() {
            return available;
        }

        @Override
        public Presence presence() {
            return available ? new Presence() : null;
        }

        @Override
        public int priority() {
            return priority;
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
            sent.add(stanza);
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
    }

    private final List<Session> sessions = new CopyOnWriteArrayList<>();

    /** Binds a session to a full JID. */
    public Session bind(String fullJid) {
        Session s = new Session(new JID(fullJid));
        sessions.add(s);
        return s;
    }

    @Override
    public List<ClientSession> of(String username) {
        List<ClientSession> result = new ArrayList<>();
        for (Session s : sessions) {
            if (username.equals(s.jid().getNode())) {
                result.add(s);
            }
        }
        return result;
    }

    @Override
    public Optional<ClientSession> get(JID fullJid) {
        return sessions.stream().filter(s -> s.jid().equals(fullJid)).map(s -> (ClientSession) s).findFirst();
    }

    @Override
    public int count() {
        return sessions.size();
    }

    @Override
    public Collection<ClientSession> all() {
        return new ArrayList<>(sessions);
    }
}
