package im.tongyou.server.feature.muc;

import java.util.EnumSet;
import java.util.Set;

/**
 * A room's configuration (XEP-0045 §10.2 and the muc#roomconfig FORM_TYPE of §16.5.3); immutable,
 * replaced as a whole when an owner submits the configuration form.
 *
 * @param name              natural-language room name, or empty
 * @param description       short description, or empty
 * @param lang              language of the discussions, or empty
 * @param persistent        kept when the last occupant leaves (and stored in the database)
 * @param publicRoom        listed in the service's disco#items; otherwise hidden
 * @param membersOnly       only members (and admins and owners) may enter
 * @param moderated         only occupants with voice may speak; newcomers without affiliation are visitors
 * @param nonAnonymous      every occupant sees real JIDs ("whois anyone"); otherwise only moderators do
 * @param password          the password to enter, or {@code null} when the room is unsecured
 * @param maxUsers          the most occupants (admins and owners may still enter a full room)
 * @param changeSubject     participants may change the subject (moderators always may)
 * @param allowInvites      members may invite others to a members-only room (admins always may)
 * @param allowPm           who may send private messages: anyone, participants, moderators or none
 * @param presenceBroadcast roles whose presence is broadcast to other occupants
 * @param getMemberList     roles that may retrieve the member list (admins and owners always may)
 * @param history           messages of discussion history sent to newcomers
 */
record RoomConfig(String name, String description, String lang, boolean persistent, boolean publicRoom,
                  boolean membersOnly, boolean moderated, boolean nonAnonymous, String password, int maxUsers,
                  boolean changeSubject, boolean allowInvites, String allowPm, Set<Role> presenceBroadcast,
                  Set<Role> getMemberList, int history) {

    RoomConfig {
        presenceBroadcast = Set.copyOf(presenceBroadcast);
        getMemberList = Set.copyOf(getMemberList);
    }

    /** A new room's configuration from the service's defaults. */
    static RoomConfig defaults(MucOptions.RoomDefaults d) {
        return new RoomConfig("", "", "", d.persistent(), d.publicRoom(), d.membersOnly(), d.moderated(),
                d.whois().equals("anyone"), null, d.maxUsers(), d.changeSubject(), d.allowInvites(), d.allowPm(),
                EnumSet.of(Role.MODERATOR, Role.PARTICIPANT, Role.VISITOR), EnumSet.of(Role.MODERATOR), d.history());
    }

    boolean passwordProtected() {
        return password != null;
    }

    /** Whether the presence of occupants with this role is broadcast to others. */
    boolean broadcasts(Role role) {
        return presenceBroadcast.contains(role);
    }

    /**
     * The room features of XEP-0045 §6.4 and the feature registry (§16.4), one of each pair.
     */
    Set<String> features() {
        return Set.of(publicRoom ? "muc_public" : "muc_hidden",
                persistent ? "muc_persistent" : "muc_temporary",
                membersOnly ? "muc_membersonly" : "muc_open",
                moderated ? "muc_moderated" : "muc_unmoderated",
                nonAnonymous ? "muc_nonanonymous" : "muc_semianonymous",
                passwordProtected() ? "muc_passwordprotected" : "muc_unsecured");
    }
}
