package im.tongyou.server.feature.roster;

import org.xmpp.packet.Presence;

/**
 * The subscription state tables of RFC 6121 Appendix A: A.2 for the stanzas a user sends
 * (whether the user's server routes them and the user's new state), A.3 for those a contact sends
 * (whether the user's server delivers them and the new state), with pre-approvals (§3.4). Pure: no
 * storage, no stanzas; {@code SubscriptionStateMachineTest} walks every row.
 */
public final class SubscriptionStateMachine {

    /** The four subscription-related presence types (RFC 6121 §3). */
    public enum Kind {
        SUBSCRIBE, SUBSCRIBED, UNSUBSCRIBE, UNSUBSCRIBED;

        /** The kind of a presence stanza, or {@code null} when it is not a subscription stanza. */
        public static Kind of(Presence presence) {
            Presence.Type type = presence.getType();
            if (type == null) {
                return null;
            }
            return switch (type) {
                case subscribe -> SUBSCRIBE;
                case subscribed -> SUBSCRIBED;
                case unsubscribe -> UNSUBSCRIBE;
                case unsubscribed -> UNSUBSCRIBED;
                default -> null;
            };
        }

        /** The presence type of this kind. */
        public Presence.Type presenceType() {
            return switch (this) {
                case SUBSCRIBE -> Presence.Type.subscribe;
                case SUBSCRIBED -> Presence.Type.subscribed;
                case UNSUBSCRIBE -> Presence.Type.unsubscribe;
                case UNSUBSCRIBED -> Presence.Type.unsubscribed;
            };
        }
    }

    /**
     * What processing one stanza leads to.
     *
     * @param next        the new state (equal to the old one for "no state change")
     * @param forward     route it on (A.2) or deliver it to the user (A.3)
     * @param autoApprove answer the contact with "subscribed" on the user's behalf: the contact is
     *                    already subscribed (A.3.1, the rows marked "*") or was pre-approved (§3.4)
     */
    public record Outcome(SubscriptionState next, boolean forward, boolean autoApprove) {
    }

    private SubscriptionStateMachine() {
    }

    /** RFC 6121 Appendix A.2: a stanza the user sends to the contact. */
    public static Outcome outbound(SubscriptionState s, Kind kind) {
        return switch (kind) {
            // A.2.1: always routed (a repeated request may repair a lost one); "Pending Out" unless
            // the user is already subscribed.
            case SUBSCRIBE -> new Outcome(state(s.to(), s.from(), s.pendingOut() || !s.to(), s.pendingIn(), s.approved()),
                    true, false);
            // A.2.2: always routed; the user is no longer subscribed nor asking.
            case UNSUBSCRIBE -> new Outcome(state(false, s.from(), false, s.pendingIn(), s.approved()), true, false);
            case SUBSCRIBED -> s.pendingIn()
                    // A.2.3: approving a pending request: "From" is added, the request answered.
                    ? new Outcome(state(s.to(), true, s.pendingOut(), false, false), true, false)
                    // A.2.3 rows "no": not routed. §3.4: "subscribed" with no pending request is a
                    // pre-approval, recorded while the contact is not yet subscribed.
                    : new Outcome(state(s.to(), s.from(), s.pendingOut(), false, !s.from()), false, false);
            case UNSUBSCRIBED -> s.pendingIn() || s.from()
                    // A.2.4: denying a request or cancelling the contact's subscription.
                    ? new Outcome(state(s.to(), false, s.pendingOut(), false, false), true, false)
                    // A.2.4 rows "no", where the sending "can result in cancellation of a subscription
                    // pre-approval".
                    : new Outcome(state(s.to(), s.from(), s.pendingOut(), false, false), false, false);
        };
    }

    /** RFC 6121 Appendix A.3: a stanza the contact sends to the user. */
    public static Outcome inbound(SubscriptionState s, Kind kind) {
        return switch (kind) {
            case SUBSCRIBE -> {
                if (s.from()) {
                    // A.3.1 "no *": already subscribed; the server SHOULD auto-reply "subscribed".
                    yield new Outcome(s, false, true);
                } else if (s.pendingIn()) {
                    yield new Outcome(s, false, false); // A.3.1: a duplicate request is not delivered again
                } else if (s.approved()) {
                    // §3.4: pre-approved, so the server approves on the user's behalf, delivering nothing.
                    yield new Outcome(state(s.to(), true, s.pendingOut(), false, false), false, true);
                }
                yield new Outcome(state(s.to(), false, s.pendingOut(), true, false), true, false);
            }
            // A.3.2: delivered when it ends the contact's subscription or withdraws its request.
            case UNSUBSCRIBE -> s.from() || s.pendingIn()
                    ? new Outcome(state(s.to(), false, s.pendingOut(), false, s.approved()), true, false)
                    : new Outcome(s, false, false);
            // A.3.3: delivered only as the answer to the user's pending request.
            case SUBSCRIBED -> s.pendingOut()
                    ? new Outcome(state(true, s.from(), false, s.pendingIn(), s.approved()), true, false)
                    : new Outcome(s, false, false);
            // A.3.4: delivered when it ends the user's subscription or denies the user's request.
            case UNSUBSCRIBED -> s.to() || s.pendingOut()
                    ? new Outcome(state(false, s.from(), false, s.pendingIn(), s.approved()), true, false)
                    : new Outcome(s, false, false);
        };
    }

    private static SubscriptionState state(boolean to, boolean from, boolean pendingOut, boolean pendingIn,
                                           boolean approved) {
        return SubscriptionState.of(to, from, pendingOut, pendingIn, approved);
    }
}
