package im.tongyou.server.session;

import im.tongyou.api.SessionEvent;
import im.tongyou.api.StanzaErrorException;
import im.tongyou.server.routing.StanzaRouter;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.dom4j.Element;
import org.dom4j.QName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmpp.packet.IQ;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;
import org.xmpp.packet.Packet;
import org.xmpp.packet.PacketError;

/**
 * How sessions end: at once, or after waiting for the client to resume (XEP-0198 §5). When a
 * session ends, every stanza the client had not acknowledged is given a second chance: messages go
 * to the user's other resources or to offline storage, IQ requests are answered with an error, so
 * nothing goes to nowhere.
 */
public final class SessionLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SessionLifecycle.class);
    private static final String DELAY = "urn:xmpp:delay";
    private static final String CARBONS = "urn:xmpp:carbons:2";

    private final SessionRegistry sessions;
    private final SessionEvents events;
    private final StanzaRouter router;
    private final ScheduledExecutorService timer;
    private final Clock clock;
    private final int resumeSeconds;
    private final Runnable durable;
    private final ConcurrentHashMap<String, LocalSession> resumable = new ConcurrentHashMap<>();

    /**
     * @param durable returns once everything committed so far survives a crash of the process
     *                (a database checkpoint on embedded H2): run before anything is acknowledged
     */
    public SessionLifecycle(SessionRegistry sessions, SessionEvents events, StanzaRouter router,
                            ScheduledExecutorService timer, Clock clock, int resumeSeconds, Runnable durable) {
        this.sessions = sessions;
        this.events = events;
        this.router = router;
        this.timer = timer;
        this.clock = clock;
        this.resumeSeconds = resumeSeconds;
        this.durable = durable;
    }

    /**
     * Before the server tells a client how many of its stanzas it handled (XEP-0198 {@code <a/>}),
     * after which the client forgets them: everything those stanzas stored (archive, offline
     * storage) must survive a crash. Blocking; on the session's executor.
     */
    public void beforeAcknowledging() {
        durable.run();
    }

    /** The longest time a detached session waits, in seconds (announced as 'max'). */
    public int resumeSeconds() {
        return resumeSeconds;
    }

    /** Makes the session resumable under its stream management id. */
    public void registerResumable(LocalSession session) {
        resumable.put(session.streamManagement().id(), session);
    }

    /**
     * The connection of a session is gone. Called on the session's executor, after its stanzas.
     *
     * @param clean whether the stream ended on purpose (the client closed it, or the server did):
     *              then the session ends; otherwise a resumable session waits for the client
     */
    public void connectionLost(LocalSession session, Connection gone, boolean clean) {
        if (session.connection() != gone) {
            return; // already resumed on another connection
        }
        StreamManagement sm = session.streamManagement();
        if (!clean && sm != null && sm.resumable()) {
            session.detach();
            // A resumption reports 'h' without another barrier (on the event loop): make what the
            // session handled durable now, while nothing more can arrive from it.
            try {
                beforeAcknowledging();
            } catch (RuntimeException e) {
                // Not durable: a resumption must not report it handled. The session ends, its
                // unacknowledged stanzas go elsewhere, and the client sends its own again.
                log.error("session {} cannot be kept for resumption: {}", session, e.toString());
                end(session);
                return;
            }
            log.debug("session {} detached; it may be resumed within {} s", session, resumeSeconds);
            timer.schedule(() -> session.executor().execute(() -> {
                if (session.isDetached()) {
                    end(session);
                }
            }), resumeSeconds, TimeUnit.SECONDS);
            return;
        }
        end(session);
    }

    /**
     * Finds the session a client wants to resume (XEP-0198 §5): it must exist, be resumable, and
     * belong to the authenticated user.
     */
    public Optional<LocalSession> findResumable(String previd, String username) {
        LocalSession session = previd == null ? null : resumable.get(previd);
        if (session == null || !session.username().equals(username) || !session.isOpen()) {
            return Optional.empty();
        }
        return Optional.of(session);
    }

    /**
     * A stanza was queued for a detached session (it waits to be resumed): listeners learn it
     * ({@link SessionEvent.StanzaQueued}), so that push notifications can wake the device.
     */
    void queuedWhileDetached(LocalSession session, Packet stanza) {
        events.fire(new SessionEvent.StanzaQueued(session, stanza));
    }

    /**
     * Ends every session of an account at once, detached ones waiting for resumption included, and
     * returns when each session's executor has run everything queued before its end (bounded by
     * {@code timeout}): used before a cancelled account's stores are erased, so that no stanza of
     * those sessions is handled afterwards. The session whose executor is the caller's ends here.
     */
    public void endAll(String username, java.time.Duration timeout) {
        List<java.util.concurrent.CompletableFuture<Void>> ended = new ArrayList<>();
        for (LocalSession s : sessions.sessionsOf(username)) {
            if (s.executor().isCurrent()) {
                end(s);
                continue;
            }
            java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
            s.executor().execute(() -> {
                try {
                    end(s);
                } finally {
                    done.complete(null);
                }
            });
            ended.add(done);
        }
        try {
            java.util.concurrent.CompletableFuture.allOf(ended.toArray(new java.util.concurrent.CompletableFuture[0]))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            log.warn("sessions of a cancelled account did not end within {}; erasing anyway", timeout);
        } catch (java.util.concurrent.ExecutionException e) {
            log.error("ending the sessions of a cancelled account failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Ends a session for good: unbound, listeners told, unacknowledged stanzas re-routed. */
    public void end(LocalSession session) {
        boolean wasAvailable = session.isAvailable();
        if (!session.end()) {
            return;
        }
        StreamManagement sm = session.streamManagement();
        if (sm != null) {
            resumable.remove(sm.id(), session);
        }
        sessions.unbind(session);
        events.fire(new SessionEvent.Closed(session, wasAvailable));
        List<Packet> again = new ArrayList<>();
        if (sm != null) {
            again.addAll(sm.drainUnacked());
        }
        again.addAll(session.drainAfterClose());
        for (Packet stanza : again) {
            secondChance(session, stanza);
        }
    }

    private void secondChance(LocalSession session, Packet stanza) {
        try {
            if (stanza instanceof Message m && worthKeeping(m, session.jid())) {
                Message copy = m.createCopy();
                copy.setTo(session.jid().asBareJID());
                if (copy.getElement().element(QName.get("delay", DELAY)) == null) {
                    // XEP-0203: when the server first got it, as far as we know, and that it was delayed.
                    copy.getElement().addElement("delay", DELAY).addAttribute("from", session.jid().getDomain())
                            .addAttribute("stamp", DateTimeFormatter.ISO_INSTANT.format(clock.instant().atOffset(ZoneOffset.UTC)));
                }
                router.redeliver(copy);
            } else if (stanza instanceof IQ iq && (iq.getType() == IQ.Type.get || iq.getType() == IQ.Type.set)) {
                router.bounce(iq, new StanzaErrorException(PacketError.Condition.recipient_unavailable));
            }
        } catch (RuntimeException e) {
            log.error("could not re-route an unacknowledged {} of {}", stanza.getElement().getName(), session, e);
        }
    }

    /**
     * Messages worth a second delivery: chat and normal messages with content, addressed to this
     * session or its account; not errors, group chat (the room has the history), headlines, or
     * carbon copies (the original went to the user's other resources already).
     */
    private static boolean worthKeeping(Message m, JID sessionJid) {
        Message.Type type = m.getType();
        if (type != Message.Type.chat && type != Message.Type.normal) {
            return false;
        }
        if (m.getTo() == null || !sessionJid.asBareJID().equals(m.getTo().asBareJID())) {
            return false;
        }
        for (Element child : m.getElement().elements()) {
            if (CARBONS.equals(child.getNamespaceURI())) {
                return false;
            }
        }
        return m.getBody() != null || m.getElement().elements().stream()
                .anyMatch(e -> !"http://jabber.org/protocol/chatstates".equals(e.getNamespaceURI())
                        && !"thread".equals(e.getName()) && !DELAY.equals(e.getNamespaceURI()));
    }
}
