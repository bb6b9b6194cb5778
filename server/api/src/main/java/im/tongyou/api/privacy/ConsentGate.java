package im.tongyou.api.privacy;

import im.tongyou.api.StanzaErrorException;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.QName;
import org.xmpp.packet.PacketError;

/**
 * Whether a user has consented to an optional {@link Purpose} (design guide §6; privacy requirements
 * R-CON-1, R-CON-3): every optional feature asks, on the server, each time it collects or uses data
 * for the purpose, so that a withdrawal takes effect on the next request. Core IM never asks.
 *
 * <p>{@link im.tongyou.api.PluginContext#consents()} answers through the consent plugin
 * ({@code xeps/tongyou-consent.md}) when it runs; without it every purpose is denied (privacy by
 * default). Methods block on the database: call them from handlers, interceptors or the executor.
 */
public interface ConsentGate {

    /** The namespace of the consent extension and of its error conditions. */
    String NAMESPACE = "urn:tongyou:consent:0";

    /** The privacy policy, as named in the consent ledger and the policy registry. */
    String PRIVACY_POLICY = "privacy";

    /**
     * Whether the user's consent to the purpose is in force now: granted, not withdrawn, given under
     * the policy terms currently in force for it, and allowed for the user's age and account state.
     */
    boolean isGranted(String username, Purpose purpose);

    /**
     * Refuses with {@code forbidden} and {@code <consent-required purpose='...'/>} in
     * {@link #NAMESPACE} unless {@link #isGranted} (the error the consent spec defines).
     */
    default void require(String username, Purpose purpose) throws StanzaErrorException {
        if (!isGranted(username, purpose)) {
            throw consentRequired(purpose);
        }
    }

    /**
     * Records that a new account accepted a version of a policy document at registration (R-CON-6),
     * as a row of the consent ledger. Accepting the policy grants no purpose (R-CON-5).
     *
     * @param document the document, for example {@link #PRIVACY_POLICY}
     * @param version  its version, for example {@code V4.2.7}
     * @return whether a consent ledger recorded it (false when no consent plugin runs)
     */
    default boolean policyAccepted(String username, String document, String version) {
        return false;
    }

    /** The error {@link #require} throws. */
    static StanzaErrorException consentRequired(Purpose purpose) {
        Element condition = DocumentHelper.createElement(QName.get("consent-required", NAMESPACE));
        condition.addAttribute("purpose", purpose.id());
        return new StanzaErrorException(PacketError.Condition.forbidden, PacketError.Type.auth,
                "this needs your consent to '" + purpose.id() + "'", condition);
    }
}
