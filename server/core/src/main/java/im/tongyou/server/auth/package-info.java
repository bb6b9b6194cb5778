/**
 * SASL authentication for client streams (<a href="https://www.rfc-editor.org/rfc/rfc6120#section-6">RFC 6120 §6</a>):
 * SCRAM-SHA-256, SCRAM-SHA-1 and PLAIN, SASLprep, and the failed-login throttle.
 *
 * <p>How the stream negotiator uses it, for one {@code <auth mechanism='...'/>}:
 * <ol>
 *   <li>{@link im.tongyou.server.auth.AuthThrottle#check} with the remote address (the user name is
 *       not known yet); if refused, answer {@code temporary-auth-failure}.</li>
 *   <li>{@link im.tongyou.server.auth.SaslMechanisms#select} a fresh mechanism, then call
 *       {@code start} and each {@code respond} on a worker executor, never on the event loop (the
 *       credential look-up may block, PLAIN runs PBKDF2), one step at a time, in order.</li>
 *   <li>On {@code Failure}: {@code recordFailure(user, address)}, then send {@code <failure/>}
 *       after {@code failureDelay(user, address)}, scheduled on the event loop, not slept.</li>
 *   <li>On {@code Success}: {@code recordSuccess(user, address)}, send {@code <success/>} with the
 *       additional data, reset the stream.</li>
 * </ol>
 * Base 64 decoding, {@code <abort/>} and the per-stream retry limit belong to the negotiator.
 */
package im.tongyou.server.auth;
