package im.tongyou.api.roster;

import java.util.List;
import java.util.Optional;
import org.xmpp.packet.JID;

/**
 * Read access to users' rosters (RFC 6121 §2), provided by the roster feature to plugins that
 * decide who may see what. Blocking: call from handlers, interceptors or the plugin executor.
 */
public interface Roster {

    /** The user's roster. */
    List<RosterItem> items(String username);

    /** The item for a contact (any resource is ignored), if the contact is on the user's roster. */
    Optional<RosterItem> item(String username, JID contact);

    /**
     * Whether the viewer is one of the user's contacts for visibility rules: on the user's roster
     * with a subscription to the user's presence (from or both). A user is their own contact.
     */
    boolean isContact(String username, JID viewer);
}
