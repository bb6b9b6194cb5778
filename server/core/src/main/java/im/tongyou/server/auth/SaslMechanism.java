package im.tongyou.server.auth;

import java.util.Optional;

/**
 * The server side of one SASL authentication exchange
 * (<a href="https://www.rfc-editor.org/rfc/rfc4422#section-3">RFC 4422 §3</a>, as profiled by
 * <a href="https://www.rfc-editor.org/rfc/rfc6120#section-6.4">RFC 6120 §6.4</a>).
 *
 * <p>An instance serves exactly one exchange: create a new one for every {@code <auth/>}. It is a
 * state machine with no I/O of its own except the {@link CredentialLookup}, which may block, so
 * callers run {@link #start} and {@link #respond} off the event loop, one step at a time (an
 * instance is not thread-safe, but may move between threads between steps).
 *
 * <p>Input arrives base64-decoded: the caller answers base 64 errors itself with
 * {@link SaslFailure#INCORRECT_ENCODING}. Input that is not a valid message of the mechanism gives
 * {@link SaslFailure#MALFORMED_REQUEST}. After a {@link SaslStep.Success} or
 * {@link SaslStep.Failure} the exchange is over and any further call fails with
 * {@code malformed-request}. Mechanisms may overwrite the arrays they are given once read (PLAIN
 * does, since they hold a password).
 */
public interface SaslMechanism {

    /** The registered mechanism name, for example {@code SCRAM-SHA-256}. */
    String name();

    /**
     * Starts the exchange with the client's {@code <auth/>}.
     *
     * @param initialResponse the initial response, or {@code null} when {@code <auth/>} had none;
     *                        an empty array is an empty response ({@code =} in RFC 6120 §6.4.2)
     */
    SaslStep start(byte[] initialResponse);

    /** Handles the client's {@code <response/>} to the last challenge. */
    SaslStep respond(byte[] response);

    /**
     * Whether the next step ({@link #start} or {@link #respond}) may block, that is look up
     * credentials. When it cannot (a step that only computes), the caller may run it on the event
     * loop instead of handing it to a worker and back. The default: it may.
     */
    default boolean nextStepMayBlock() {
        return true;
    }

    /**
     * The user name the client claims (after SASLprep), as soon as the mechanism has parsed it,
     * whatever the outcome: the caller counts failures against it ({@link AuthThrottle#recordFailure}).
     * Empty if the exchange ended before a name was read.
     */
    Optional<String> username();

    /**
     * The authenticated user name (after SASLprep), once a step returned {@link SaslStep.Success};
     * empty before and after a failure.
     */
    Optional<String> authenticatedUsername();
}
