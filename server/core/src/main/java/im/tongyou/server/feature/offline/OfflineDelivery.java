package im.tongyou.server.feature.offline;

import im.tongyou.api.ClientSession;
import im.tongyou.api.SessionEvent;
import im.tongyou.api.SessionKey;
import im.tongyou.api.Sessions;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers stored messages, oldest first, to the resource that sends non-negative available
 * presence (XEP-0160 §2: "When the recipient next sends non-negative available presence to the
 * server, the server delivers the message to the resource that has sent that presence").
 *
 * <p>Messages are deleted once handed to the session. With stream management (XEP-0198), what the
 * client never acknowledges gets the session's second chance when it ends: it is routed again
 * and, the user being offline, stored again with its original delay. Without stream management a
 * message written to a connection that drops before the client read it is lost (COMPAT: as in
 * every server without XEP-0198).
 *
 * <p>One user's queue is flushed by one thread at a time (a striped lock), so a message stored
 * while its recipient comes online is delivered exactly once: the storing thread checks for an
 * eligible session after its insert committed, and the presence thread reads the queue after the
 * session became eligible, so at least one of them sees both.
 */
final class OfflineDelivery {

    private static final Logger log = LoggerFactory.getLogger(OfflineDelivery.class);
    private static final SessionKey<Boolean> ELIGIBLE = SessionKey.of("offline.eligible");
    private static final int PAGE = 50;

    private final OfflineStore store;
    private final Sessions sessions;
    private final Object[] locks = new Object[64];

    OfflineDelivery(OfflineStore store, Sessions sessions) {
        this.store = store;
        this.sessions = sessions;
        for (int i = 0; i < locks.length; i++) {
            locks[i] = new Object();
        }
    }

    /** Flushes the queue when a session turns available with a non-negative priority. */
    void onSessionEvent(SessionEvent event) {
        if (!(event instanceof SessionEvent.PresenceChanged changed)) {
            return;
        }
        ClientSession session = changed.session();
        boolean eligible = eligible(session);
        boolean was = session.get(ELIGIBLE) != null;
        session.set(ELIGIBLE, eligible ? Boolean.TRUE : null);
        if (eligible && !was) {
            flush(session);
        }
    }

    /** After a message was stored: if the user has become reachable meanwhile, deliver at once. */
    void afterStore(String username) {
        ClientSession best = null;
        for (ClientSession s : sessions.of(username)) {
            if (eligible(s) && (best == null || s.priority() > best.priority())) {
                best = s;
            }
        }
        if (best != null) {
            flush(best);
        }
    }

    /** Hands every waiting message of the session's user to the session, oldest first. */
    void flush(ClientSession session) {
        String user = session.username();
        synchronized (locks[Math.floorMod(user.hashCode(), locks.length)]) {
            long after = 0;
            int delivered = 0;
            List<OfflineStore.Stored> page;
            do {
                page = store.next(user, after, PAGE);
                List<Long> done = new ArrayList<>(page.size());
                for (OfflineStore.Stored stored : page) {
                    if (!session.isOpen()) {
                        break;
                    }
                    if (stored.message() != null) {
                        session.send(stored.message());
                        delivered++;
                    }
                    done.add(stored.id()); // handed over (or unreadable for good)
                    after = stored.id();
                }
                store.delete(user, done);
                if (done.size() < page.size()) {
                    break; // the session closed: the rest waits for the next one
                }
            } while (page.size() == PAGE);
            if (delivered > 0) {
                log.debug("delivered {} offline messages to {}", delivered, session.jid());
            }
        }
    }

    private static boolean eligible(ClientSession session) {
        return session.isOpen() && session.isAvailable() && session.priority() >= 0;
    }
}
