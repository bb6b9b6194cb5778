package im.tongyou.server.feature.vcard;

import im.tongyou.api.roster.Roster;
import im.tongyou.server.feature.vcard.ProfileElement.Visibility;
import org.xmpp.packet.JID;

/**
 * Who sees what of a user's vCard and profile ({@code xeps/tongyou-profile.md}, Business rules):
 * the owner everything, contacts all but the birthday, strangers a reduced card when the owner chose
 * {@link Visibility#EVERYONE}, and nobody else anything (privacy requirement R-MIN-2: "vCard/profile
 * access is limited to roster contacts" unless the owner opts in).
 */
final class ProfileAccess {

    /** What a viewer may see. */
    enum View {
        /** The owner: everything. */
        OWNER,
        /** A contact (on the owner's roster, receiving the owner's presence): all but the birthday. */
        CONTACT,
        /** Anyone else, when the owner made the profile visible to everyone: the public fields. */
        STRANGER,
        /** Nothing: answered as if there were no vCard (XEP-0054 §3.3). */
        NONE
    }

    private final Roster roster;
    private final String domain;

    ProfileAccess(Roster roster, String domain) {
        this.roster = roster;
        this.domain = domain;
    }

    View of(String owner, JID viewer, Visibility visibility) {
        if (owner.equals(viewer.getNode()) && domain.equals(viewer.getDomain())) {
            return View.OWNER;
        }
        if (roster.isContact(owner, viewer.asBareJID())) {
            return View.CONTACT;
        }
        return visibility == Visibility.EVERYONE ? View.STRANGER : View.NONE;
    }
}
