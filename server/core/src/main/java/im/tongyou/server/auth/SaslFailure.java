package im.tongyou.server.auth;

/**
 * The SASL failure conditions of XMPP, each with the name of its child element of
 * {@code <failure xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>}
 * (<a href="https://www.rfc-editor.org/rfc/rfc6120#section-6.5">RFC 6120 §6.5</a>).
 */
public enum SaslFailure {

    /** §6.5.1: the receiving entity acknowledges that the client aborted the exchange. */
    ABORTED("aborted"),
    /** §6.5.2: the account is temporarily disabled. */
    ACCOUNT_DISABLED("account-disabled"),
    /** §6.5.3: the credentials have expired. */
    CREDENTIALS_EXPIRED("credentials-expired"),
    /** §6.5.4: the mechanism may be used only over an encrypted stream. */
    ENCRYPTION_REQUIRED("encryption-required"),
    /** §6.5.5: the base 64 encoding of the data is incorrect. */
    INCORRECT_ENCODING("incorrect-encoding"),
    /** §6.5.6: the authzid is invalid, or the authcid may not act on its behalf. */
    INVALID_AUTHZID("invalid-authzid"),
    /** §6.5.7: the mechanism is not supported or not offered. */
    INVALID_MECHANISM("invalid-mechanism"),
    /** §6.5.8: the request is malformed. */
    MALFORMED_REQUEST("malformed-request"),
    /** §6.5.9: the mechanism is weaker than policy allows for this account. */
    MECHANISM_TOO_WEAK("mechanism-too-weak"),
    /** §6.5.10: the credentials are wrong (also for unknown users, so as not to tell them apart). */
    NOT_AUTHORIZED("not-authorized"),
    /** §6.5.11: a temporary error on the server; the client may try again later. */
    TEMPORARY_AUTH_FAILURE("temporary-auth-failure");

    private final String elementName;

    SaslFailure(String elementName) {
        this.elementName = elementName;
    }

    /** The local name of the condition element, for example {@code not-authorized}. */
    public String elementName() {
        return elementName;
    }
}
