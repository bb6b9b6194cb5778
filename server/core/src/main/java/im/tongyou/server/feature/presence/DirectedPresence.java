package im.tongyou.server.feature.presence;

import im.tongyou.api.ClientSession;
import im.tongyou.api.SessionKey;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.xmpp.packet.JID;

/**
 * The entities one session sent directed available presence to (RFC 6121 §4.6), so that they also
 * get its unavailable presence, sent or implied by the end of the session (§4.6.3, §4.5.2).
 * Bounded per session.
 */
final class DirectedPresence {

    static final int MAX_PER_SESSION = 1000;
    private static final SessionKey<Set<JID>> KEY = SessionKey.of("presence.directed");

    private DirectedPresence() {
    }

    static void add(ClientSession session, JID to) {
        synchronized (session) {
            Set<JID> set = session.get(KEY);
            if (set == null) {
                set = new LinkedHashSet<>();
                session.set(KEY, set);
            }
            set.remove(to);
            set.add(to);
            if (set.size() > MAX_PER_SESSION) {
                Iterator<JID> oldest = set.iterator();
                oldest.next();
                oldest.remove();
            }
        }
    }

    static void remove(ClientSession session, JID to) {
        synchronized (session) {
            Set<JID> set = session.get(KEY);
            if (set != null) {
                set.remove(to);
            }
        }
    }

    static boolean contains(ClientSession session, JID to) {
        synchronized (session) {
            Set<JID> set = session.get(KEY);
            return set != null && set.contains(to);
        }
    }

    /** Returns and forgets the session's recipients. */
    static List<JID> take(ClientSession session) {
        synchronized (session) {
            Set<JID> set = session.get(KEY);
            session.set(KEY, null);
            return set == null ? List.of() : List.copyOf(set);
        }
    }
}
