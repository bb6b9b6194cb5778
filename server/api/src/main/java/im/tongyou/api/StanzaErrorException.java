package im.tongyou.api;

import java.util.Objects;
import org.dom4j.Element;
import org.xmpp.packet.PacketError;

/**
 * A stanza error (RFC 6120 §8.3) raised by a handler or interceptor; the router turns it into an
 * error reply to the sender, with the condition's default type unless one is given.
 */
public class StanzaErrorException extends Exception {

    private final PacketError.Condition condition;
    private final PacketError.Type type;
    private final Element applicationCondition;

    public StanzaErrorException(PacketError.Condition condition) {
        this(condition, null, null, null);
    }

    public StanzaErrorException(PacketError.Condition condition, String text) {
        this(condition, null, text, null);
    }

    /**
     * @param condition            the defined condition
     * @param type                 the error type, or {@code null} for the condition's default
     * @param text                 a human readable text in English, or {@code null}
     * @param applicationCondition an application-specific condition element, or {@code null}
     */
    public StanzaErrorException(PacketError.Condition condition, PacketError.Type type, String text,
                                Element applicationCondition) {
        super(text == null ? condition.toXMPP() : condition.toXMPP() + ": " + text, null, false, false);
        this.condition = Objects.requireNonNull(condition, "condition");
        this.type = type == null ? condition.getDefaultType() : type;
        this.applicationCondition = applicationCondition;
    }

    public PacketError.Condition condition() {
        return condition;
    }

    public PacketError.Type type() {
        return type;
    }

    /** The human readable text, or {@code null}. */
    public String text() {
        String message = getMessage();
        String prefix = condition.toXMPP() + ": ";
        return message.startsWith(prefix) ? message.substring(prefix.length()) : null;
    }

    /** The error element for the reply. */
    public PacketError toPacketError() {
        PacketError error = new PacketError(condition, type, text(), "en");
        if (applicationCondition != null) {
            // RFC 6120 §8.3.2: the application-specific condition goes whole, with its children.
            error.getElement().add(applicationCondition.createCopy());
        }
        return error;
    }

    public static StanzaErrorException badRequest(String text) {
        return new StanzaErrorException(PacketError.Condition.bad_request, text);
    }

    public static StanzaErrorException forbidden(String text) {
        return new StanzaErrorException(PacketError.Condition.forbidden, text);
    }

    public static StanzaErrorException notAllowed(String text) {
        return new StanzaErrorException(PacketError.Condition.not_allowed, text);
    }

    public static StanzaErrorException itemNotFound(String text) {
        return new StanzaErrorException(PacketError.Condition.item_not_found, text);
    }

    public static StanzaErrorException serviceUnavailable() {
        return new StanzaErrorException(PacketError.Condition.service_unavailable);
    }

    public static StanzaErrorException featureNotImplemented(String text) {
        return new StanzaErrorException(PacketError.Condition.feature_not_implemented, text);
    }

    public static StanzaErrorException notAcceptable(String text) {
        return new StanzaErrorException(PacketError.Condition.not_acceptable, text);
    }

    public static StanzaErrorException resourceConstraint(String text) {
        return new StanzaErrorException(PacketError.Condition.resource_constraint, text);
    }
}
