package im.tongyou.api.privacy;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Account cancellations (注销) tracked as rights requests (privacy requirements AC-13, AC-26):
 * each has when it was received, when the requester's identity was verified, and when it was
 * answered, which is when the erasure across every store of personal data ended, against its
 * deadline. The core provides it; plugins find it with {@code PluginContext.find}. A record outlives
 * the account without a name: only its id, who asked (self, an administrator, the system) and its
 * times stay, so that the answer can be proven without identifying the user.
 */
public interface CancellationRequests {

    /**
     * One cancellation.
     *
     * @param id          the request id (the erasure job's)
     * @param username    the cancelled name while the erasure runs, {@code null} once it ended
     * @param actor       who asked: {@code self}, {@code admin:<bare JID>} or {@code system}
     * @param receivedAt  when it was received (the account was cancelled at once)
     * @param verifiedAt  when the requester's identity was verified (the authenticated stream or
     *                    administrator), {@code null} for the server's own decisions
     * @param respondedAt when the erasure across every store ended, or {@code null} while it runs
     * @param deadline    when it must have ended
     */
    record Request(String id, String username, String actor, Instant receivedAt, Instant verifiedAt,
                   Instant respondedAt, Instant deadline) {
    }

    /**
     * Cancels the account like {@code Accounts.cancel}, as the request with this id received at this
     * time (so that the requester can be told both before the account's sessions end). False when
     * there is no such account or it is cancelled already. Blocking.
     */
    boolean cancel(String username, String actor, String id, Instant receivedAt);

    /** The cancellation of an account, while the account still exists (its erasure has not ended). */
    Optional<Request> ofUser(String username);

    /** A cancellation by its id. */
    Optional<Request> byId(String id);

    /** The cancellations whose erasure has not ended, oldest first (for the deadline check, AC-26). */
    List<Request> open();

    /** The newest cancellations first, at most {@code limit}. */
    List<Request> recent(int limit);
}
