package im.tongyou.api.roster;

import java.util.Objects;
import java.util.Set;
import org.xmpp.packet.JID;

/**
 * One contact on a user's roster (RFC 6121 §2.1.2).
 *
 * @param jid          the contact's bare JID
 * @param name         the user's name for the contact, or {@code null}
 * @param subscription the subscription state
 * @param pendingOut   the user asked to subscribe and the contact has not answered ({@code ask='subscribe'})
 * @param pendingIn    the contact asked to subscribe and the user has not answered
 * @param approved     the user pre-approved the contact's subscription (RFC 6121 §3.4)
 * @param groups       the groups the user put the contact in
 */
public record RosterItem(JID jid, String name, Subscription subscription, boolean pendingOut, boolean pendingIn,
                         boolean approved, Set<String> groups) {

    public RosterItem {
        Objects.requireNonNull(jid, "jid");
        Objects.requireNonNull(subscription, "subscription");
        groups = groups == null ? Set.of() : Set.copyOf(groups);
    }
}
