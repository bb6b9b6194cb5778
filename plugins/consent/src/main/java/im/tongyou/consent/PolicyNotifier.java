package im.tongyou.consent;

import im.tongyou.api.ClientSession;
import im.tongyou.api.SessionEvent;
import java.util.List;
import java.util.function.Supplier;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;

/**
 * What the server tells a client at login ({@code xeps/tongyou-consent.md} §3.9, R-POL-2, R-CON-7):
 * on binding, the account's stage is checked (a child's account waits for a guardian); with the
 * initial presence, a child's account is told it waits for a guardian, and a user who accepted an
 * older version of a document that has since changed materially is asked to accept the version in
 * effect (the role XEP-0520's ToS acceptance task plays for SASL2 clients).
 */
final class PolicyNotifier {

    private final ConsentService consents;
    private final Minors minors;
    private final ConsentIqHandler iq;
    private final JID server;
    private final Supplier<String> httpsUrl;

    PolicyNotifier(ConsentService consents, Minors minors, ConsentIqHandler iq, String domain, Supplier<String> httpsUrl) {
        this.consents = consents;
        this.minors = minors;
        this.iq = iq;
        this.server = new JID(null, domain, null, true);
        this.httpsUrl = httpsUrl;
    }

    void onSessionEvent(SessionEvent event) {
        if (event instanceof SessionEvent.Bound bound) {
            minors.onLogin(bound.session().username());
        } else if (event instanceof SessionEvent.PresenceChanged changed && changed.initial()) {
            notify(changed.session());
        }
    }

    private void notify(ClientSession session) {
        String user = session.username();
        if (minors.isPending(user)) {
            send(session, "这是儿童账号：监护人同意前，只能完成监护人同意流程。This child's account waits for a guardian's consent.",
                    new GuardianElement.Required(minors.deadline(user).orElse(null)).toElement());
            return;
        }
        List<PolicyStore.Version> due = consents.toReaccept(user);
        if (due.isEmpty()) {
            return;
        }
        List<PolicyElement.Document> documents = due.stream().map(v -> iq.document(v, null, null)).toList();
        String where = httpsUrl.get() == null ? "" : " " + httpsUrl.get() + PolicyHttpHandler.PREFIX;
        send(session, "《隐私政策》已更新，请阅读并确认新版本。The privacy policy changed: read and accept the new version." + where,
                new PolicyElement.PolicyUpdate(documents).toElement());
    }

    private void send(ClientSession session, String body, org.dom4j.Element payload) {
        Message m = new Message();
        m.setType(Message.Type.headline);
        m.setFrom(server);
        m.setTo(session.jid());
        m.setBody(body);
        m.getElement().add(payload);
        session.send(m);
    }
}
