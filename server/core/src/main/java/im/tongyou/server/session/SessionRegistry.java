package im.tongyou.server.session;

import im.tongyou.api.ClientSession;
import im.tongyou.api.Sessions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.xmpp.packet.JID;

/**
 * The bound sessions of this server, by user. Each user's sessions are an immutable array replaced
 * atomically, so readers never lock.
 */
public final class SessionRegistry implements Sessions {

    private static final LocalSession[] NONE = new LocalSession[0];

    private final String domain;
    private final ConcurrentHashMap<String, LocalSession[]> byUser = new ConcurrentHashMap<>();
    private final AtomicInteger count = new AtomicInteger();

    public SessionRegistry(String domain) {
        this.domain = domain;
    }

    /** The domain the sessions belong to. */
    public String domain() {
        return domain;
    }

    /** The outcome of binding: the session it replaced (same full JID), if any. */
    public record BindResult(LocalSession replaced) {
    }

    /**
     * Adds a session. A session already bound to the same full JID is removed and returned: the
     * caller ends it with a {@code conflict} stream error (RFC 6120 §7.7.2.2, "override the existing
     * session").
     *
     * @return the result, or {@code null} when the user already has {@code maxPerUser} other sessions
     */
    public BindResult bind(LocalSession session, int maxPerUser) {
        String user = session.username();
        String resource = session.jid().getResource();
        LocalSession[] replaced = new LocalSession[1];
        boolean[] refused = new boolean[1];
        byUser.compute(user, (k, current) -> {
            LocalSession[] sessions = current == null ? NONE : current;
            List<LocalSession> next = new ArrayList<>(sessions.length + 1);
            for (LocalSession s : sessions) {
                if (s.jid().getResource().equals(resource)) {
                    replaced[0] = s;
                } else {
                    next.add(s);
                }
            }
            if (next.size() >= maxPerUser) {
                refused[0] = true;
                return current;
            }
            next.add(session);
            return next.toArray(NONE);
        });
        if (refused[0]) {
            return null;
        }
        if (replaced[0] == null) {
            count.incrementAndGet();
        }
        return new BindResult(replaced[0]);
    }

    /** Removes a session if it is still bound; returns whether it was. */
    public boolean unbind(LocalSession session) {
        boolean[] removed = new boolean[1];
        byUser.computeIfPresent(session.username(), (k, sessions) -> {
            LocalSession[] next = Arrays.stream(sessions).filter(s -> s != session).toArray(LocalSession[]::new);
            removed[0] = next.length != sessions.length;
            return next.length == 0 ? null : next;
        });
        if (removed[0]) {
            count.decrementAndGet();
        }
        return removed[0];
    }

    /** The bound sessions of a user as the concrete type, for the router. */
    public LocalSession[] sessionsOf(String username) {
        LocalSession[] sessions = byUser.get(username);
        return sessions == null ? NONE : sessions;
    }

    /** The session bound to a full JID of this domain, or {@code null}. */
    public LocalSession find(JID fullJid) {
        if (fullJid.getNode() == null || fullJid.getResource() == null || !domain.equals(fullJid.getDomain())) {
            return null;
        }
        for (LocalSession s : sessionsOf(fullJid.getNode())) {
            if (s.jid().getResource().equals(fullJid.getResource())) {
                return s;
            }
        }
        return null;
    }

    @Override
    public List<ClientSession> of(String username) {
        return List.of(sessionsOf(username));
    }

    @Override
    public Optional<ClientSession> get(JID fullJid) {
        return Optional.ofNullable(find(fullJid));
    }

    @Override
    public int count() {
        return count.get();
    }

    @Override
    public Collection<ClientSession> all() {
        List<ClientSession> all = new ArrayList<>(count.get());
        byUser.values().forEach(sessions -> all.addAll(Arrays.asList(sessions)));
        return all;
    }
}
