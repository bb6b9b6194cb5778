package im.tongyou.server.feature.push;

import im.tongyou.api.PluginExecutor;
import im.tongyou.api.Router;
import im.tongyou.api.SessionEvent;
import im.tongyou.api.Verdict;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.dom4j.Element;
import org.dom4j.QName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmpp.packet.IQ;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;
import org.xmpp.packet.Packet;

/**
 * Publishes push notifications (XEP-0357 §7) for messages that reach a user whose device cannot take
 * them now: no session at all (the OFFLINE phase), or a session waiting to be resumed (XEP-0198),
 * which queues them. A notification says how many messages arrived and carries an opaque item id —
 * never the sender or the body, unless the user enabled previews (xeps/tongyou-push.md). An app
 * server that answers with an error is disabled (§7.1: "the server SHOULD consider the particular
 * JID and node combination to be disabled").
 */
final class PushNotifier {

    static final String PUBSUB = "http://jabber.org/protocol/pubsub";
    static final String SUMMARY = "urn:xmpp:push:summary";
    private static final Logger log = LoggerFactory.getLogger(PushNotifier.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final String domain;
    private final PushStore store;
    private final Router router;
    private final PluginExecutor executor;
    private final PushRateLimiter limiter;
    private final SecureRandom random = new SecureRandom();
    /** The last message notified per user: one message queued for two resources is one message. */
    private final Map<String, Message> lastNotified = new ConcurrentHashMap<>();
    private final Map<String, PushStore.Registration> devices = new ConcurrentHashMap<>();

    PushNotifier(String domain, PushStore store, Router router, PluginExecutor executor, Clock clock, Duration interval) {
        this.domain = domain;
        this.store = store;
        this.router = router;
        this.executor = executor;
        this.limiter = new PushRateLimiter(clock, interval, (task, delay) -> executor.schedule(task, delay), this::publish);
    }

    /** OFFLINE: a message for a user with no session that can take it. */
    Verdict offline(Message message) {
        JID to = message.getTo();
        if (to != null && to.getNode() != null && domain.equals(to.getDomain())) {
            consider(to.getNode(), message);
        }
        return Verdict.CONTINUE;
    }

    /** A stanza queued for a session waiting to be resumed. */
    void onSessionEvent(SessionEvent event) {
        if (event instanceof SessionEvent.StanzaQueued queued && queued.stanza() instanceof Message m) {
            consider(queued.session().username(), m);
        }
    }

    private void consider(String username, Message message) {
        Message content = PushRules.content(message);
        if (content == null || lastNotified.put(username, message) == message) {
            return;
        }
        if (lastNotified.size() > 10_000) {
            lastNotified.clear();
        }
        String sender = content.getFrom() == null ? null : content.getFrom().toBareJID();
        String body = content.getBody();
        executor.execute(() -> {
            for (PushStore.Registration r : store.registrations(username)) {
                String device = r.username() + '\n' + r.service() + '\n' + r.node();
                devices.put(device, r);
                limiter.offer(device, r.previews() ? sender : null, r.previews() ? body : null);
            }
        });
    }

    /** Publishes one notification to the app server (XEP-0357 §7, Example 14 and 15). */
    private void publish(String device, PushRateLimiter.Batch batch) {
        PushStore.Registration r = devices.get(device);
        if (r == null) {
            return;
        }
        IQ publish = new IQ(IQ.Type.set);
        publish.setID("push-" + opaqueId());
        publish.setFrom(new JID(r.username(), domain, null));
        publish.setTo(r.service());
        Element pubsub = publish.setChildElement("pubsub", PUBSUB);
        Element item = pubsub.addElement("publish").addAttribute("node", r.node()).addElement("item")
                .addAttribute("id", opaqueId());
        Element form = item.addElement(QName.get("notification", PushIqHandler.NS))
                .addElement(QName.get("x", PushIqHandler.DATA)).addAttribute("type", "submit");
        field(form, "FORM_TYPE", SUMMARY);
        field(form, "message-count", Integer.toString(batch.count()));
        if (batch.sender() != null) {
            field(form, "last-message-sender", batch.sender());
        }
        if (batch.body() != null) {
            field(form, "last-message-body", batch.body());
        }
        if (r.options() != null) {
            pubsub.addElement("publish-options").add(r.options().createCopy());
        }
        router.request(publish, TIMEOUT).whenComplete((reply, failure) -> executor.execute(() -> {
            if (reply != null && reply.getType() == IQ.Type.error) {
                log.info("push service {} refused a notification; disabling it for the user", r.service());
                store.disable(r.username(), r.service(), r.node());
                devices.remove(device);
            } else if (reply != null) {
                store.touch(r);
            }
        }));
    }

    private static void field(Element form, String var, String value) {
        form.addElement("field").addAttribute("var", var).addElement("value").setText(value);
    }

    private String opaqueId() {
        byte[] bytes = new byte[12];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** For tests: whether a stanza would wake a device. */
    static boolean important(Packet stanza) {
        return stanza instanceof Message m && PushRules.content(m) != null;
    }
}
