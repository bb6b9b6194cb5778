package im.tongyou.server.feature.carbons;

import im.tongyou.api.ClientSession;
import im.tongyou.api.SessionKey;
import im.tongyou.api.Sessions;
import im.tongyou.api.StanzaErrorException;
import im.tongyou.api.Verdict;
import im.tongyou.server.feature.Forwarded;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.dom4j.Element;
import org.dom4j.QName;
import org.xmpp.packet.IQ;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;

/**
 * Message carbons (XEP-0280): enabling and disabling per resource (§4, §5), and the copies — a
 * {@code <sent/>} copy of what a resource sends to the user's other carbon-enabled resources (§7),
 * a {@code <received/>} copy of what arrives for the user to those carbon-enabled resources that
 * did not get the original under RFC 6121's delivery rules (§6: "each Carbons-enabled resource for
 * the matching bare JID recipient that did not receive it").
 */
final class CarbonsInterceptor {

    static final String NS = "urn:xmpp:carbons:2";
    static final String FORWARD = "urn:xmpp:forward:0";
    static final SessionKey<Boolean> ENABLED = SessionKey.of("carbons.enabled");

    private final String domain;
    private final Sessions sessions;

    CarbonsInterceptor(String domain, Sessions sessions) {
        this.domain = domain;
        this.sessions = sessions;
    }

    /** IQ set {@code <enable/>}: enabling twice is not an error (§9.1). */
    IQ enable(IQ request) throws StanzaErrorException {
        session(request).set(ENABLED, Boolean.TRUE);
        return IQ.createResultIQ(request);
    }

    /** IQ set {@code <disable/>}. */
    IQ disable(IQ request) throws StanzaErrorException {
        session(request).set(ENABLED, null);
        return IQ.createResultIQ(request);
    }

    private ClientSession session(IQ request) throws StanzaErrorException {
        return sessions.get(request.getFrom()).orElseThrow(() ->
                StanzaErrorException.notAllowed("carbons are enabled by a client of this server"));
    }

    /** PRE_ROUTE: copies of an eligible message the user sent, to their other enabled resources. */
    Verdict sent(Message message) {
        JID from = message.getFrom();
        if (from == null || from.getNode() == null || from.getResource() == null || !domain.equals(from.getDomain())
                || !CarbonsRules.eligible(message)) {
            return Verdict.CONTINUE;
        }
        JID to = message.getTo();
        if (to == null || to.asBareJID().equals(from.asBareJID()) && to.getResource() == null) {
            return Verdict.CONTINUE; // to the user's own bare JID: the resources get the original
        }
        for (ClientSession s : sessions.of(from.getNode())) {
            if (!s.jid().equals(from) && !s.jid().equals(to) && enabled(s)) {
                s.send(copy("sent", message, s.jid()));
            }
        }
        return Verdict.CONTINUE;
    }

    /** DELIVER: copies of an eligible incoming message to the enabled resources that do not get it. */
    Verdict received(Message message) {
        JID from = message.getFrom();
        JID to = message.getTo() != null ? message.getTo() : from == null ? null : from.asBareJID();
        if (to == null || to.getNode() == null || !domain.equals(to.getDomain())) {
            return Verdict.CONTINUE;
        }
        // A message between two resources of the user: the sender's other resources got <sent/> copies.
        boolean toSelf = from != null && from.asBareJID().equals(to.asBareJID());
        boolean copy = !toSelf && CarbonsRules.eligible(message) && !CarbonsRules.fromGroupChat(message)
                && !CarbonsRules.deliveredAgain(message, domain);
        CarbonsRules.removePrivate(message); // §8: "SHOULD remove the <private/> element before delivering"
        if (!copy) {
            return Verdict.CONTINUE;
        }
        List<ClientSession> all = sessions.of(to.getNode());
        List<ClientSession> originals = originalRecipients(all, to);
        for (ClientSession s : all) {
            if (!originals.contains(s) && enabled(s)) {
                s.send(copy("received", message, s.jid()));
            }
        }
        return Verdict.CONTINUE;
    }

    /**
     * Who gets the original (RFC 6121 §8.5): the addressed resource when it exists, otherwise the
     * available resources of highest non-negative priority (as the router chooses them).
     */
    private List<ClientSession> originalRecipients(List<ClientSession> all, JID to) {
        if (to.getResource() != null) {
            Optional<ClientSession> addressed = sessions.get(to);
            if (addressed.isPresent()) {
                return List.of(addressed.get());
            }
        }
        int best = -1;
        List<ClientSession> result = new ArrayList<>();
        for (ClientSession s : all) {
            if (!s.isAvailable() || s.priority() < 0) {
                continue;
            }
            if (s.priority() > best) {
                best = s.priority();
                result.clear();
            }
            if (s.priority() == best) {
                result.add(s);
            }
        }
        return result;
    }

    private static boolean enabled(ClientSession s) {
        return Boolean.TRUE.equals(s.get(ENABLED)) && s.isOpen();
    }

    /** The wrapper of §6 and §7: from the user's bare JID to the resource, same type, XEP-0297 inside. */
    static Message copy(String direction, Message original, JID resource) {
        Message carbon = new Message();
        carbon.setType(original.getType());
        carbon.setFrom(resource.asBareJID());
        carbon.setTo(resource);
        Element wrapper = carbon.getElement().addElement(QName.get(direction, NS));
        wrapper.addElement(QName.get("forwarded", FORWARD)).add(Forwarded.copy(original.getElement()));
        return carbon;
    }
}
