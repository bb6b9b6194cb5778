package im.tongyou.server.feature.offline;

import im.tongyou.api.Interceptor;
import im.tongyou.api.StanzaErrorException;
import im.tongyou.api.Verdict;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import org.dom4j.Element;
import org.dom4j.QName;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;
import org.xmpp.packet.PacketError;

/**
 * Stores messages for a user with no available resource of non-negative priority (the router's
 * {@link im.tongyou.api.Phase#OFFLINE} phase), following XEP-0160 §2 and §3, marked with the
 * XEP-0203 delay that XEP-0160 §2 recommends.
 */
final class OfflineInterceptor implements Interceptor<Message> {

    static final String DELAY = "urn:xmpp:delay";

    private final OfflineStore store;
    private final OfflineDelivery delivery;
    private final int maxPerUser;
    private final String domain;
    private final Clock clock;

    OfflineInterceptor(OfflineStore store, OfflineDelivery delivery, int maxPerUser, String domain, Clock clock) {
        this.store = store;
        this.delivery = delivery;
        this.maxPerUser = maxPerUser;
        this.domain = domain;
        this.clock = clock;
    }

    @Override
    public Verdict intercept(Message message) throws StanzaErrorException {
        switch (OfflinePolicy.decide(message)) {
            case REFUSE:
                return Verdict.CONTINUE; // the router's RFC 6121 §8.5.2.2.1 default applies
            case DISCARD:
                return Verdict.DROP;
            default:
                break;
        }
        // RFC 6120 §10.3.1: a message without 'to' is for the sender's own bare JID.
        JID to = message.getTo() != null ? message.getTo() : message.getFrom().asBareJID();
        String user = to.getNode();
        if (store.count(user) >= maxPerUser) {
            // XEP-0160 §2: "if not (e.g., because the recipient's offline message queue is full), the
            // server returns a <service-unavailable/> error to the sender."
            throw new StanzaErrorException(PacketError.Condition.service_unavailable,
                    "the recipient cannot take more messages while offline");
        }
        Message stored = message.createCopy();
        stored.setTo(to);
        stamp(stored.getElement());
        store.add(user, stored);
        delivery.afterStore(user);
        return Verdict.HANDLED;
    }

    /** Whether {@link #intercept} would store the message now ({@link OfflineStorage}). */
    boolean accepts(Message message) {
        if (OfflinePolicy.decide(message) != OfflinePolicy.Decision.STORE) {
            return false;
        }
        JID to = message.getTo() != null ? message.getTo() : message.getFrom().asBareJID();
        return store.count(to.getNode()) < maxPerUser;
    }

    /**
     * Adds {@code <delay from='domain' stamp='...'>Offline Storage</delay>} (XEP-0203 §3, XEP-0160
     * §2), unless the message already carries this server's delay: one that stream management's
     * second chance added (XEP-0198), or this interceptor when the message was stored before and
     * handed to a session that never acknowledged it. Both tell when the server first got it.
     */
    private void stamp(Element message) {
        for (Element delay : message.elements(QName.get("delay", DELAY))) {
            if (domain.equals(delay.attributeValue("from"))) {
                return;
            }
        }
        message.addElement(QName.get("delay", DELAY))
                .addAttribute("from", domain)
                .addAttribute("stamp", DateTimeFormatter.ISO_INSTANT.format(clock.instant().truncatedTo(ChronoUnit.MILLIS)))
                .setText("Offline Storage");
    }

    /**
     * At {@link im.tongyou.api.Phase#PRE_ROUTE}: a delay that a client puts in its own message in this
     * server's name is a forgery (only the server stamps what it delayed), removed before the message
     * travels, so that a delay from this server can be trusted wherever it is found.
     */
    Verdict removeForgedDelays(Message message) {
        JID from = message.getFrom();
        if (from == null || from.getNode() == null || from.getResource() == null || !domain.equals(from.getDomain())) {
            return Verdict.CONTINUE;
        }
        Element root = message.getElement();
        for (Element delay : root.elements(QName.get("delay", DELAY))) {
            if (domain.equals(delay.attributeValue("from"))) {
                root.remove(delay);
            }
        }
        return Verdict.CONTINUE;
    }
}
