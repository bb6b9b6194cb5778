package im.tongyou.server.feature.register;

import im.tongyou.api.StanzaErrorException;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.QName;
import org.xmpp.packet.PacketError;

/**
 * The elements of in-band registration: {@code jabber:iq:register} (XEP-0077) and our
 * {@code urn:tongyou:register:0} ({@code xeps/tongyou-register.md}): the code request, its answer
 * and the application-specific error conditions.
 */
final class RegisterElement {

    /** XEP-0077's namespace. */
    static final String IQ_REGISTER = "jabber:iq:register";
    /** XEP-0077 §8's stream feature. */
    static final String FEATURE = "http://jabber.org/features/iq-register";
    /** Our extension: the SMS step, the phone form's FORM_TYPE and the error conditions. */
    static final String NS = "urn:tongyou:register:0";
    static final String DATA = "jabber:x:data";

    private RegisterElement() {
    }

    /**
     * A client asks for an SMS code for a number (before authentication).
     *
     * @param phone the number as the user typed it
     */
    record RequestCode(String phone) {

        static RequestCode from(Element element) throws StanzaErrorException {
            Element phone = element.element(QName.get("phone", NS));
            if (phone == null || phone.getTextTrim().isEmpty()) {
                throw Condition.MISSING_FIELD.error("the phone element is required");
            }
            return new RequestCode(phone.getTextTrim());
        }

        Element toElement() {
            Element e = DocumentHelper.createElement(QName.get("request-code", NS));
            e.addElement(QName.get("phone", NS)).setText(phone);
            return e;
        }
    }

    /**
     * The answer to a code request: the code was sent.
     *
     * @param validSeconds  how long the code is valid
     * @param maxAttempts   how many entries the code allows
     * @param resendSeconds the least time before another code can be requested for the number
     */
    record CodeSent(int validSeconds, int maxAttempts, int resendSeconds) {

        static CodeSent from(Element element) {
            return new CodeSent(Integer.parseInt(element.attributeValue("valid-seconds")),
                    Integer.parseInt(element.attributeValue("max-attempts")),
                    Integer.parseInt(element.attributeValue("resend-seconds")));
        }

        Element toElement() {
            return DocumentHelper.createElement(QName.get("code-sent", NS))
                    .addAttribute("valid-seconds", String.valueOf(validSeconds))
                    .addAttribute("max-attempts", String.valueOf(maxAttempts))
                    .addAttribute("resend-seconds", String.valueOf(resendSeconds));
        }
    }

    /** The errors of registration, with their RFC 6120 conditions (the spec's Errors section). */
    enum Condition {
        MISSING_FIELD("missing-field", PacketError.Condition.not_acceptable),
        INVALID_PHONE("invalid-phone", PacketError.Condition.not_acceptable),
        INVALID_BIRTHDAY("invalid-birthday", PacketError.Condition.not_acceptable),
        WEAK_PASSWORD("weak-password", PacketError.Condition.not_acceptable),
        USERNAME_IS_PHONE("username-is-phone", PacketError.Condition.not_acceptable),
        POLICY_NOT_ACCEPTED("policy-not-accepted", PacketError.Condition.not_acceptable),
        POLICY_OUTDATED("policy-outdated", PacketError.Condition.not_acceptable),
        NO_CODE("no-code", PacketError.Condition.not_authorized),
        CODE_MISMATCH("code-mismatch", PacketError.Condition.not_authorized),
        CODE_EXPIRED("code-expired", PacketError.Condition.not_authorized),
        CODE_USED("code-used", PacketError.Condition.not_authorized),
        TOO_MANY_ATTEMPTS("too-many-attempts", PacketError.Condition.not_allowed),
        RATE_LIMITED("rate-limited", PacketError.Condition.resource_constraint),
        PHONE_TAKEN("phone-taken", PacketError.Condition.conflict),
        SMS_FAILED("sms-failed", PacketError.Condition.service_unavailable);

        final String element;
        final PacketError.Condition condition;

        Condition(String element, PacketError.Condition condition) {
            this.element = element;
            this.condition = condition;
        }

        StanzaErrorException error(String text) {
            PacketError.Type type = switch (this) {
                case RATE_LIMITED, SMS_FAILED -> PacketError.Type.wait;
                default -> null;
            };
            return new StanzaErrorException(condition, type, text, DocumentHelper.createElement(QName.get(element, NS)));
        }
    }
}
