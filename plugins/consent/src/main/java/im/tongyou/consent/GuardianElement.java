package im.tongyou.consent;

import im.tongyou.api.StanzaErrorException;
import java.time.Instant;
import java.util.Set;
import org.dom4j.Element;
import org.dom4j.QName;

/**
 * The guardian flow of {@code xeps/tongyou-consent.md} §3.8 as records read from and written to their
 * elements: the request for a code sent to the guardian, the answer, the guardian's consent or
 * refusal, and the notice that an account waits for a guardian.
 */
final class GuardianElement {

    /** The relationships a guardian may state (R-CHD-3). */
    static final Set<String> RELATIONSHIPS = Set.of("parent", "guardian");

    private GuardianElement() {
    }

    /**
     * Asks for a code sent to the guardian.
     *
     * @param forPurpose the purpose the guardian is asked to allow, or {@code null} for the consent to
     *                   the children's rules (the account itself)
     * @param phone      the guardian's number, or {@code null} for the number on file
     */
    record Request(String forPurpose, String phone) {

        static Request from(Element e) {
            String phone = e.elementTextTrim("phone");
            return new Request(e.attributeValue("for"), phone == null || phone.isEmpty() ? null : phone);
        }

        Element toElement() {
            Element e = ConsentElement.element("guardian");
            ConsentElement.attr(e, "for", forPurpose);
            if (phone != null) {
                e.addElement(QName.get("phone", ConsentElement.NS)).setText(phone);
            }
            return e;
        }
    }

    /** A code went to the guardian: how long it is valid, how many entries, when another may be asked. */
    record CodeSent(int validSeconds, int maxAttempts, int resendSeconds) {

        static CodeSent from(Element e) {
            return new CodeSent(Integer.parseInt(e.attributeValue("valid-seconds")),
                    Integer.parseInt(e.attributeValue("max-attempts")), Integer.parseInt(e.attributeValue("resend-seconds")));
        }

        Element toElement() {
            return ConsentElement.element("code-sent").addAttribute("valid-seconds", Integer.toString(validSeconds))
                    .addAttribute("max-attempts", Integer.toString(maxAttempts))
                    .addAttribute("resend-seconds", Integer.toString(resendSeconds));
        }
    }

    /** The guardian consents to the children's rules for the child's account (R-CHD-4). */
    record Consent(String code, String relationship, String document, String version, String sha256,
                   ConsentElement.Client client) {

        static Consent from(Element e) throws StanzaErrorException {
            Consent c = new Consent(ConsentElement.required(e, "code"), ConsentElement.required(e, "relationship"),
                    ConsentElement.required(e, "document"), ConsentElement.required(e, "version"),
                    ConsentElement.required(e, "sha256"), ConsentElement.Client.from(e));
            if (!RELATIONSHIPS.contains(c.relationship)) {
                throw StanzaErrorException.badRequest("relationship must be parent or guardian");
            }
            return c;
        }

        Element toElement() {
            Element e = ConsentElement.element("guardian-consent").addAttribute("code", code)
                    .addAttribute("relationship", relationship).addAttribute("document", document)
                    .addAttribute("version", version).addAttribute("sha256", sha256);
            client.write(e);
            return e;
        }
    }

    /** The guardian refuses: the child's account is deleted. */
    record Refusal(String code, ConsentElement.Client client) {

        static Refusal from(Element e) throws StanzaErrorException {
            return new Refusal(ConsentElement.required(e, "code"), ConsentElement.Client.from(e));
        }

        Element toElement() {
            Element e = ConsentElement.element("guardian-refusal").addAttribute("code", code);
            client.write(e);
            return e;
        }
    }

    /** Sent at login to an account waiting for a guardian: until when it waits before deletion. */
    record Required(Instant deadline) {

        static Required from(Element e) {
            String deadline = e.attributeValue("deadline");
            return new Required(deadline == null ? null : Instant.parse(deadline));
        }

        Element toElement() {
            Element e = ConsentElement.element(ConsentCondition.GUARDIAN_REQUIRED.element());
            ConsentElement.attr(e, "deadline", deadline == null ? null : deadline.toString());
            return e;
        }
    }
}
