package im.tongyou.server.net;

import im.tongyou.server.session.LocalSession;
import im.tongyou.server.session.SessionLifecycle;
import im.tongyou.server.session.StreamManagement;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import org.dom4j.Element;
import org.xmpp.packet.StreamError;

/**
 * The stream-management (XEP-0198, {@code urn:xmpp:sm:3}) and client-state (XEP-0352,
 * {@code urn:xmpp:csi:0}) elements of a client stream: enabling, acknowledgement requests and
 * answers, resumption, active and inactive. Runs on the event loop; answers that must follow the
 * client's earlier stanzas are queued on the session's executor.
 */
final class StreamManagementInput {

    static final String SM = "urn:xmpp:sm:3";
    static final String CSI = "urn:xmpp:csi:0";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final C2sHandler connection;
    private final SessionLifecycle lifecycle;
    private final int maxUnacked;

    StreamManagementInput(C2sHandler connection, SessionLifecycle lifecycle, int maxUnacked) {
        this.connection = connection;
        this.lifecycle = lifecycle;
        this.maxUnacked = maxUnacked;
    }

    /** An element of a bound session in the SM or CSI namespace. */
    void bound(LocalSession session, Element element) {
        if (CSI.equals(element.getNamespaceURI())) {
            switch (element.getName()) {
                case "inactive" -> session.clientInactive();
                case "active" -> session.clientActive();
                default -> unsupported(element);
            }
            return;
        }
        switch (element.getName()) {
            case "enable" -> enable(session, element);
            case "r" -> {
                StreamManagement sm = session.streamManagement();
                if (sm == null) {
                    failed("unexpected-request", null);
                    return;
                }
                // XEP-0198 §4: 'h' counts the stanzas handled; answer after those received so far,
                // once what they stored is durable (design guide §5): the client then forgets them.
                session.executor().execute(() -> {
                    long h = sm.handledInbound();
                    try {
                        lifecycle.beforeAcknowledging();
                    } catch (RuntimeException e) {
                        // Not stored: never acknowledged. The client keeps the stanzas and sends
                        // them again on its next stream (XEP-0198 §4).
                        connection.closeWithError(StreamError.Condition.internal_server_error,
                                "the server cannot store what it received: " + e.getMessage());
                        return;
                    }
                    connection.write(answer(h));
                });
            }
            case "a" -> acknowledge(session, element);
            case "resume" -> failed("unexpected-request", null); // only before binding
            default -> unsupported(element);
        }
    }

    private void enable(LocalSession session, Element element) {
        if (session.streamManagement() != null) {
            failed("unexpected-request", null); // XEP-0198 §3: enabling twice
            return;
        }
        boolean resume = isTrue(element.attributeValue("resume")) && lifecycle.resumeSeconds() > 0;
        byte[] id = new byte[18];
        RANDOM.nextBytes(id);
        StreamManagement sm = new StreamManagement(Base64.getUrlEncoder().withoutPadding().encodeToString(id),
                resume, maxUnacked);
        StringBuilder enabled = new StringBuilder("<enabled xmlns='").append(SM).append("'");
        if (resume) {
            enabled.append(" id='").append(sm.id()).append("' resume='true' max='")
                    .append(lifecycle.resumeSeconds()).append("'");
        }
        session.enableStreamManagement(sm, enabled.append("/>").toString());
        if (resume) {
            lifecycle.registerResumable(session);
        }
    }

    private void acknowledge(LocalSession session, Element element) {
        StreamManagement sm = session.streamManagement();
        Long h = parseH(element);
        if (sm == null || h == null) {
            connection.closeWithError(StreamError.Condition.undefined_condition, "a bad stream management ack");
            return;
        }
        if (!sm.acknowledge(h)) {
            // XEP-0198 §4: an 'h' above the stanzas sent is handled-count-too-high.
            connection.closeWithError(StreamError.Condition.undefined_condition,
                    "handled-count-too-high: the client acknowledged more stanzas than were sent");
        }
    }

    /**
     * {@code <resume/>} after authentication, instead of binding (XEP-0198 §5). Returns the
     * resumed session, or empty after answering {@code <failed/>}.
     */
    Optional<LocalSession> resume(Element element, String username) {
        Long h = parseH(element);
        Optional<LocalSession> found = lifecycle.findResumable(element.attributeValue("previd"), username);
        if (found.isEmpty() || h == null || !found.get().streamManagement().acknowledge(h)) {
            failed("item-not-found", null);
            return Optional.empty();
        }
        LocalSession session = found.get();
        StreamManagement sm = session.streamManagement();
        connection.write("<resumed xmlns='" + SM + "' previd='" + sm.id() + "' h='" + sm.handledInbound() + "'/>");
        session.attach(connection);
        return found;
    }

    /** {@code <enable/>} or {@code <r/>} before binding: XEP-0198 §3 says unexpected-request. */
    void unbound(Element element) {
        failed("unexpected-request", null);
    }

    private void failed(String condition, Long h) {
        connection.write("<failed xmlns='" + SM + "'" + (h == null ? "" : " h='" + h + "'") + "><" + condition
                + " xmlns='" + Namespaces.STANZAS + "'/></failed>");
    }

    private void unsupported(Element element) {
        connection.closeWithError(StreamError.Condition.unsupported_stanza_type,
                "unexpected element " + element.getName());
    }

    static String answer(long h) {
        return "<a xmlns='" + SM + "' h='" + h + "'/>";
    }

    private static Long parseH(Element element) {
        try {
            long h = Long.parseLong(element.attributeValue("h", ""));
            return h < 0 || h > 0xFFFFFFFFL ? null : h;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static boolean isTrue(String value) {
        return "true".equals(value) || "1".equals(value);
    }
}
