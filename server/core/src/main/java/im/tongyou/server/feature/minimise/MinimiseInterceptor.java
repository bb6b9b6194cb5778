package im.tongyou.server.feature.minimise;

import im.tongyou.api.StanzaErrorException;
import im.tongyou.api.Verdict;
import im.tongyou.api.privacy.DeviceIdentifiers;
import java.util.Optional;
import org.dom4j.Element;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmpp.packet.IQ;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;
import org.xmpp.packet.Packet;
import org.xmpp.packet.Presence;

/**
 * Refuses device identifiers in what local clients send (privacy requirements C-02, R-MIN-1, AC-04),
 * before any feature stores or forwards it: IQ requests to anyone (registration forms, push enable
 * and its publish options, vCard and profile, publish-subscribe and PEP items and node
 * configuration, private storage, ad-hoc command forms, our extensions), and the extension elements
 * of messages and presence. Message bodies, subjects and presence status are free text and never
 * read ({@link DeviceIdentifiers}). The answer is {@code not-acceptable} (RFC 6120 §8.3.3.12: "the
 * recipient ... understands the request but cannot process it because the request does not meet
 * criteria defined by the recipient"), naming the place and never the value.
 */
final class MinimiseInterceptor {

    private static final Logger log = LoggerFactory.getLogger(MinimiseInterceptor.class);

    private final String domain;

    MinimiseInterceptor(String domain) {
        this.domain = domain;
    }

    Verdict iq(IQ iq) throws StanzaErrorException {
        if ((iq.getType() == IQ.Type.get || iq.getType() == IQ.Type.set) && fromLocalUser(iq)) {
            Element child = iq.getChildElement();
            if (child != null) {
                check(iq, DeviceIdentifiers.find(child));
            }
        }
        return Verdict.CONTINUE;
    }

    Verdict message(Message message) throws StanzaErrorException {
        if (message.getType() != Message.Type.error && fromLocalUser(message)) {
            checkExtensions(message);
        }
        return Verdict.CONTINUE;
    }

    Verdict presence(Presence presence) throws StanzaErrorException {
        if (presence.getType() != Presence.Type.error && fromLocalUser(presence)) {
            checkExtensions(presence);
        }
        return Verdict.CONTINUE;
    }

    /** The stanza's children; the free-text ones are skipped by the detector. */
    private void checkExtensions(Packet stanza) throws StanzaErrorException {
        for (Element child : stanza.getElement().elements()) {
            check(stanza, DeviceIdentifiers.find(child));
        }
    }

    private void check(Packet stanza, Optional<DeviceIdentifiers.Finding> found) throws StanzaErrorException {
        if (found.isPresent()) {
            log.info("refused a {} from {}: {}", stanza.getElement().getName(), stanza.getFrom(), found.get().text());
            throw DeviceIdentifiers.error(found.get());
        }
    }

    /** What a local user's client sent (or a plugin on the user's behalf), not what services send. */
    private boolean fromLocalUser(Packet stanza) {
        JID from = stanza.getFrom();
        return from != null && from.getNode() != null && domain.equals(from.getDomain());
    }
}
