package im.tongyou.server.auth;

import java.util.Optional;

/**
 * Finds what the server stores for an account so that a {@link SaslMechanism} can verify a login
 * (<a href="https://www.rfc-editor.org/rfc/rfc5802#section-5.1">RFC 5802 §5.1</a>).
 *
 * <p>Implementations may block (JDBC): mechanisms call it from the caller's worker thread. They
 * receive the user name after SASLprep and apply the account store's own preparation (for a JID
 * localpart, RFC 7622's UsernameCaseMapped profile). A {@link RuntimeException} is reported to
 * the client as {@link SaslFailure#TEMPORARY_AUTH_FAILURE}.
 */
@FunctionalInterface
public interface CredentialLookup {

    /** The stored credentials of the account, or empty if there is no such account. */
    Optional<StoredCredentials> find(String username);
}
