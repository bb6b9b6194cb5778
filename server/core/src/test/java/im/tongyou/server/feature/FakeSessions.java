package im.tongyou.server.feature;

import im.tongyou.api.ClientSession;
import im.tongyou.api.Sessions;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.xmpp.packet.JID;

/** The bound sessions of a test. */
public final class FakeSessions implements Sessions {

    private final List<FakeSession> sessions = new CopyOnWriteArrayList<>();

    public FakeSession bind(String fullJid) {
        FakeSession s = new FakeSession(fullJid);
        sessions.add(s);
        return s;
    }

    @Override
    public List<ClientSession> of(String username) {
        return sessions.stream().filter(s -> s.username().equals(username)).map(s -> (ClientSession) s).toList();
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
        return List.copyOf(sessions);
    }
}
