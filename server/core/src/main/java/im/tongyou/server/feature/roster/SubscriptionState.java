package im.tongyou.server.feature.roster;

import im.tongyou.api.roster.RosterItem;
import im.tongyou.api.roster.Subscription;

/**
 * The subscription state of one contact as the user's server sees it (RFC 6121 Appendix A.1): one
 * of the nine states, plus the pre-approval of RFC 6121 §3.4.
 *
 * <p>"Pending Out" exists only while the user is not subscribed to the contact, "Pending In" only
 * while the contact is not subscribed to the user, and a pre-approval only while neither the
 * contact is subscribed nor a request is pending in; the constructor keeps to those rules.
 *
 * @param subscription none, to, from or both
 * @param pendingOut   the user asked to subscribe ({@code ask='subscribe'})
 * @param pendingIn    the contact asked to subscribe and the user has not answered
 * @param approved     the user pre-approved a subscription request from the contact
 */
public record SubscriptionState(Subscription subscription, boolean pendingOut, boolean pendingIn, boolean approved) {

    /** "None": also the state of a contact that is not on the roster at all (Appendix A.1). */
    public static final SubscriptionState NONE = new SubscriptionState(Subscription.NONE, false, false, false);

    public SubscriptionState {
        pendingOut = pendingOut && !subscription.userSeesContact();
        pendingIn = pendingIn && !subscription.contactSeesUser();
        approved = approved && !subscription.contactSeesUser() && !pendingIn;
    }

    /** The state of a roster item. */
    public static SubscriptionState of(RosterItem item) {
        return new SubscriptionState(item.subscription(), item.pendingOut(), item.pendingIn(), item.approved());
    }

    /** Whether the user is subscribed to the contact's presence ("to" or "both"). */
    public boolean to() {
        return subscription.userSeesContact();
    }

    /** Whether the contact is subscribed to the user's presence ("from" or "both"). */
    public boolean from() {
        return subscription.contactSeesUser();
    }

    /** The state with the two directions set. */
    static SubscriptionState of(boolean to, boolean from, boolean pendingOut, boolean pendingIn, boolean approved) {
        Subscription s = to ? (from ? Subscription.BOTH : Subscription.TO) : (from ? Subscription.FROM : Subscription.NONE);
        return new SubscriptionState(s, pendingOut, pendingIn, approved);
    }

    @Override
    public String toString() {
        String name = switch (subscription) {
            case NONE -> "None";
            case TO -> "To";
            case FROM -> "From";
            case BOTH -> "Both";
        };
        if (pendingOut && pendingIn) {
            name += " + Pending Out+In";
        } else if (pendingOut) {
            name += " + Pending Out";
        } else if (pendingIn) {
            name += " + Pending In";
        }
        return approved ? name + " (pre-approved)" : name;
    }
}
