package im.tongyou.server.feature.caps;

import im.tongyou.api.ClientSession;
import im.tongyou.api.PluginExecutor;
import im.tongyou.api.Router;
import im.tongyou.api.SessionEvent;
import im.tongyou.api.SessionKey;
import im.tongyou.api.Sessions;
import im.tongyou.api.caps.Capabilities;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.dom4j.Element;
import org.dom4j.QName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmpp.packet.IQ;
import org.xmpp.packet.JID;

/**
 * Learns the capabilities local clients advertise in their presence (XEP-0115 §6.2): an unknown
 * verification string is looked up by asking that client's disco#info at {@code node#ver},
 * checked (§5.4) and cached for every client that advertises it. A response that does not match
 * its string is used for that client only, never cached (§5.4 step 9), as is a response for a
 * hash function this server does not support (step 2).
 */
final class CapsLearner implements Capabilities {

    private static final Logger log = LoggerFactory.getLogger(CapsLearner.class);

    /**
     * What a session advertised.
     *
     * @param caps     its latest annotation
     * @param features its own answer when that could not be verified, else {@code null}
     */
    record Advertised(CapsElement caps, Set<String> features) {
    }

    private static final SessionKey<Advertised> ADVERTISED = SessionKey.of("caps.advertised");
    private static final SessionKey<AtomicInteger> QUERIES = SessionKey.of("caps.queries");

    private final CapsCache cache;
    private final Sessions sessions;
    private final Router router;
    private final PluginExecutor executor;
    private final Duration timeout;
    private final int maxQueriesPerSession;
    private final Set<String> pending = ConcurrentHashMap.newKeySet();

    CapsLearner(CapsCache cache, Sessions sessions, Router router, PluginExecutor executor, Duration timeout,
                int maxQueriesPerSession) {
        this.cache = cache;
        this.sessions = sessions;
        this.router = router;
        this.executor = executor;
        this.timeout = timeout;
        this.maxQueriesPerSession = maxQueriesPerSession;
    }

    @Override
    public Set<String> features(JID fullJid) {
        Optional<ClientSession> session = sessions.get(fullJid);
        Advertised advertised = session.map(s -> s.get(ADVERTISED)).orElse(null);
        if (advertised == null) {
            return Set.of();
        }
        if (advertised.features() != null) {
            return advertised.features();
        }
        CapsElement caps = advertised.caps();
        return CapsVer.supported(caps.hash()) ? cache.get(caps.hash(), caps.ver()).orElse(Set.of()) : Set.of();
    }

    /** On available presence: note the annotation and learn its string when it is new. */
    void onSessionEvent(SessionEvent event) {
        if (!(event instanceof SessionEvent.PresenceChanged changed) || !changed.session().isAvailable()) {
            return;
        }
        // A presence without an annotation keeps the last one: XEP-0115 §8 lets a server strip repeats.
        CapsElement caps = CapsElement.in(changed.presence().getElement());
        if (caps == null || caps.hash() == null) {
            return; // §5.4 step 1: no 'hash' is the legacy format, which this server ignores
        }
        ClientSession session = changed.session();
        Advertised before = session.get(ADVERTISED);
        if (before != null && before.caps().equals(caps)) {
            return;
        }
        session.set(ADVERTISED, new Advertised(caps, null));
        boolean verifiable = CapsVer.supported(caps.hash());
        if (verifiable && cache.get(caps.hash(), caps.ver()).isPresent()) {
            return;
        }
        String key = caps.hash() + ' ' + caps.ver();
        if (verifiable && !pending.add(key)) {
            return; // another client's answer for the same string is on its way
        }
        if (!mayAsk(session)) {
            pending.remove(key);
            log.debug("{} advertised more new capabilities than this server asks about", session.jid());
            return;
        }
        IQ query = new IQ(IQ.Type.get);
        query.setTo(session.jid());
        query.setChildElement("query", CapsVer.DISCO_INFO).addAttribute("node", caps.infoNode());
        router.request(query, timeout).whenComplete((reply, error) -> executor.execute(() -> {
            try {
                learn(session, caps, reply, error);
            } finally {
                if (verifiable) {
                    pending.remove(key);
                }
            }
        }));
    }

    private boolean mayAsk(ClientSession session) {
        AtomicInteger asked = session.get(QUERIES);
        if (asked == null) {
            asked = new AtomicInteger();
            session.set(QUERIES, asked);
        }
        return asked.incrementAndGet() <= maxQueriesPerSession;
    }

    private void learn(ClientSession session, CapsElement caps, IQ reply, Throwable error) {
        if (error != null || reply == null || reply.getType() != IQ.Type.result) {
            log.debug("{} did not tell its disco#info for {}: {}", session.jid(), caps.infoNode(),
                    error != null ? error.getMessage() : reply == null ? "no reply" : "an error reply");
            return;
        }
        Element query = reply.getChildElement();
        if (query == null || !query.getQName().equals(QName.get("query", CapsVer.DISCO_INFO))) {
            log.debug("{} answered disco#info for {} without a query", session.jid(), caps.infoNode());
            return;
        }
        Optional<CapsVer.Info> info = CapsVer.read(query);
        if (info.isEmpty()) {
            log.debug("{} answered an ill-formed disco#info for {} (XEP-0115 §5.4)", session.jid(), caps.infoNode());
            return;
        }
        Set<String> features = CapsVer.features(info.get());
        if (CapsVer.supported(caps.hash()) && CapsVer.ver(info.get(), caps.hash()).equals(caps.ver())) {
            Element stored = query.createCopy();
            stored.addAttribute("node", null);
            cache.put(caps.hash(), caps.ver(), stored, features);
            return;
        }
        log.debug("{}'s disco#info does not match its caps {} {}: kept for that client only",
                session.jid(), caps.hash(), caps.ver());
        Advertised now = session.get(ADVERTISED);
        if (now != null && now.caps().equals(caps)) {
            session.set(ADVERTISED, new Advertised(caps, features));
        }
    }
}
