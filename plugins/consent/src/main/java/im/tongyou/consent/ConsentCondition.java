package im.tongyou.consent;

import im.tongyou.api.StanzaErrorException;
import im.tongyou.api.privacy.ConsentGate;
import org.dom4j.DocumentHelper;
import org.dom4j.QName;
import org.xmpp.packet.PacketError;

/**
 * The application-specific error conditions of {@code urn:tongyou:consent:0}
 * ({@code xeps/tongyou-consent.md} §4), each with the RFC 6120 §8.3.3 condition it comes with.
 */
enum ConsentCondition {
    CONSENT_REQUIRED("consent-required", PacketError.Condition.forbidden),
    GUARDIAN_REQUIRED("guardian-required", PacketError.Condition.forbidden),
    NOT_FOR_MINORS("not-for-minors", PacketError.Condition.forbidden),
    UNKNOWN_PURPOSE("unknown-purpose", PacketError.Condition.bad_request),
    NOT_COVERED("not-covered", PacketError.Condition.item_not_found),
    POLICY_OUTDATED("policy-outdated", PacketError.Condition.not_acceptable),
    POLICY_MISMATCH("policy-mismatch", PacketError.Condition.not_acceptable),
    NOTICE_OUTDATED("notice-outdated", PacketError.Condition.not_acceptable),
    SEPARATE_CONSENT_REQUIRED("separate-consent-required", PacketError.Condition.not_acceptable),
    INVALID_PHONE("invalid-phone", PacketError.Condition.not_acceptable),
    GUARDIAN_IS_CHILD("guardian-is-child", PacketError.Condition.not_acceptable),
    TOO_MANY_CHILDREN("too-many-children", PacketError.Condition.not_allowed),
    NOT_PENDING("not-pending", PacketError.Condition.unexpected_request),
    NO_CODE("no-code", PacketError.Condition.not_authorized),
    CODE_MISMATCH("code-mismatch", PacketError.Condition.not_authorized),
    CODE_EXPIRED("code-expired", PacketError.Condition.not_authorized),
    TOO_MANY_ATTEMPTS("too-many-attempts", PacketError.Condition.not_allowed),
    RATE_LIMITED("rate-limited", PacketError.Condition.resource_constraint),
    SMS_FAILED("sms-failed", PacketError.Condition.service_unavailable);

    private final String element;
    private final PacketError.Condition condition;

    ConsentCondition(String element, PacketError.Condition condition) {
        this.element = element;
        this.condition = condition;
    }

    /** The element's local name in {@link ConsentGate#NAMESPACE}. */
    String element() {
        return element;
    }

    PacketError.Condition condition() {
        return condition;
    }

    /** The error, with the condition's default type. */
    StanzaErrorException error(String text) {
        return new StanzaErrorException(condition, null, text,
                DocumentHelper.createElement(QName.get(element, ConsentGate.NAMESPACE)));
    }

    /** The condition with this element name. */
    static ConsentCondition fromElement(String name) {
        for (ConsentCondition c : values()) {
            if (c.element.equals(name)) {
                return c;
            }
        }
        throw new IllegalArgumentException("no condition " + name);
    }
}
