package im.tongyou.server.auth;

/**
 * Decides, once a mechanism knows which user a client claims to be and before it looks the
 * account up, whether that user may try now; a closed gate fails the exchange with
 * {@code temporary-auth-failure} (<a href="https://www.rfc-editor.org/rfc/rfc6120#section-6.5.11">RFC 6120 §6.5.11</a>).
 * {@link AuthThrottle#gate} gives one per connection. It is asked for any name, existing or not,
 * so a refusal tells nothing about the account.
 */
@FunctionalInterface
public interface AccountGate {

    /** A gate that lets everyone try. */
    AccountGate OPEN = username -> true;

    /** Whether the user (after SASLprep) may attempt to authenticate now. */
    boolean mayAttempt(String username);
}
