package im.tongyou.server.feature.adhoc;

import im.tongyou.api.commands.CommandResult;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.xmpp.packet.JID;

/**
 * The live sessions of ad-hoc commands (XEP-0050 §3.3): "Each session ... SHOULD be valid only
 * between one requester/responder pair", so a session belongs to one full JID and one node. A
 * session ends when it completes, is canceled, its requester's stream closes, or it stays idle past
 * the timeout; ended ids are remembered for a while so that their reuse gets {@code session-expired}
 * rather than {@code bad-sessionid}.
 */
final class AdHocSessions {

    /** How long an ended session's id is remembered. */
    private static final Duration REMEMBER_ENDED = Duration.ofHours(1);
    /** At most this many ended ids are remembered. */
    private static final int MAX_ENDED = 10_000;

    /** One session: its owner, node, the stages shown (for prev) and the command's own values. */
    static final class Session {
        final String id;
        final JID owner;
        final String node;
        final Deque<CommandResult.Executing> stages = new ArrayDeque<>();
        final Map<String, Object> data = new HashMap<>();
        Instant lastActivity;

        Session(String id, JID owner, String node, Instant now) {
            this.id = id;
            this.owner = owner;
            this.node = node;
            this.lastActivity = now;
        }
    }

    /** What a look-up of a session id found. */
    sealed interface Lookup {
        record Live(Session session) implements Lookup {
        }

        /** Completed, canceled or timed out (XEP-0050 §4.6 session-expired). */
        record Ended() implements Lookup {
        }

        /** Never issued, or another requester's or node's (XEP-0050 §4.6 bad-sessionid). */
        record Unknown() implements Lookup {
        }
    }

    private final Clock clock;
    private final Duration timeout;
    private final int maxPerOwner;
    private final SecureRandom random = new SecureRandom();
    private final ConcurrentHashMap<String, Session> live = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Instant> ended = new ConcurrentHashMap<>();

    AdHocSessions(Clock clock, Duration timeout, int maxPerOwner) {
        this.clock = clock;
        this.timeout = timeout;
        this.maxPerOwner = maxPerOwner;
    }

    /** A new session, or {@code null} when the owner already has the most sessions allowed. */
    Session create(JID owner, String node) {
        expire();
        long mine = live.values().stream().filter(s -> s.owner.equals(owner)).count();
        if (mine >= maxPerOwner) {
            return null;
        }
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        Session session = new Session(HexFormat.of().formatHex(bytes), owner, node, clock.instant());
        live.put(session.id, session);
        return session;
    }

    /** Finds a session of this owner and node; a live one is touched (its idle time restarts). */
    Lookup find(String id, JID owner, String node) {
        Session session = live.get(id);
        Instant now = clock.instant();
        if (session != null && isIdle(session, now)) {
            end(session);
            session = null;
        }
        if (session != null) {
            if (!session.owner.equals(owner) || !session.node.equals(node)) {
                return new Lookup.Unknown();
            }
            session.lastActivity = now;
            return new Lookup.Live(session);
        }
        return ended.containsKey(id) ? new Lookup.Ended() : new Lookup.Unknown();
    }

    /** Ends a session: it completed or was canceled. */
    void end(Session session) {
        if (live.remove(session.id, session)) {
            if (ended.size() >= MAX_ENDED) {
                ended.clear(); // bounded memory: forgetting only turns session-expired into bad-sessionid
            }
            ended.put(session.id, clock.instant());
        }
    }

    /** Ends every session of a requester whose stream closed. */
    void endAllOf(JID owner) {
        live.values().stream().filter(s -> s.owner.equals(owner)).toList().forEach(this::end);
    }

    /** Ends idle sessions and forgets old ended ids; run on a schedule. */
    void expire() {
        Instant now = clock.instant();
        live.values().stream().filter(s -> isIdle(s, now)).toList().forEach(this::end);
        ended.entrySet().removeIf(e -> e.getValue().plus(REMEMBER_ENDED).isBefore(now));
    }

    /** The number of live sessions. */
    int size() {
        return live.size();
    }

    private boolean isIdle(Session session, Instant now) {
        return !session.lastActivity.plus(timeout).isAfter(now);
    }
}
