package im.tongyou.server.feature.muc;

import org.xmpp.packet.PacketError.Condition;

/**
 * The privileges of roles and affiliations (XEP-0045 §5.1.1, §5.2.1) and the rules for changing
 * them (§5.1.3, §5.2.2, §8, §9, §10): pure functions, so the whole matrix is unit-tested.
 */
final class Privileges {

    private Privileges() {
    }

    /** "Send Messages to All": participants and moderators; visitors have no voice. */
    static boolean maySpeak(Role role) {
        return role.atLeast(Role.PARTICIPANT);
    }

    /**
     * "By default, only users with a role of moderator SHOULD be allowed to change the subject ...
     * (controlled by the muc#roomconfig_changesubject option)" (§8.1); with it, participants may too.
     */
    static boolean mayChangeSubject(Role role, RoomConfig config) {
        return role == Role.MODERATOR || (config.changeSubject() && role.atLeast(Role.PARTICIPANT));
    }

    /** "Send Private Messages", as muc#roomconfig_allowpm restricts it (§7.5). */
    static boolean maySendPrivate(Role role, RoomConfig config) {
        return switch (config.allowPm()) {
            case "anyone" -> role.atLeast(Role.VISITOR);
            case "participants" -> role.atLeast(Role.PARTICIPANT);
            case "moderators" -> role == Role.MODERATOR;
            default -> false;
        };
    }

    /**
     * Mediated invitations (§7.8.2): any occupant of an open room; in a members-only room "invitation
     * privileges ... SHOULD be restricted to room admins" unless muc#roomconfig_allowinvites lets members.
     * Admins and owners may invite without being in the room.
     */
    static boolean mayInvite(Role role, Affiliation affiliation, RoomConfig config) {
        if (affiliation.isAdminOrOwner()) {
            return true;
        }
        if (config.membersOnly()) {
            return config.allowInvites() && affiliation == Affiliation.MEMBER && role != Role.NONE;
        }
        return role.atLeast(Role.VISITOR);
    }

    /**
     * Whether an actor may change a target occupant's role (§8.2 kick, §8.3-8.5 voice, §9.5-9.7
     * moderator); {@code null} when allowed, else the error condition:
     * <ul>
     * <li>not a moderator: forbidden (§8: "MUST be denied if ... not ... one of the moderators");</li>
     * <li>"a service MUST NOT allow the voice privileges of an admin or owner to be removed by
     * anyone" (§8.4) and "moderator status cannot be revoked from a room owner or room admin"
     * (§9.7): not-allowed, except that an owner may kick an admin ("A user cannot be kicked by a
     * moderator with a lower affiliation", §8.2);</li>
     * <li>granting or revoking moderator status, or kicking a moderator, is for admins and owners
     * (§5.1.3 role chart, §9.5): forbidden otherwise.</li>
     * </ul>
     */
    static Condition roleChange(Role actorRole, Affiliation actorAffiliation, Role targetRole,
                                Affiliation targetAffiliation, Role newRole) {
        if (actorRole != Role.MODERATOR) {
            return Condition.forbidden;
        }
        if (newRole == targetRole) {
            return null;
        }
        if (targetAffiliation.isAdminOrOwner()) {
            boolean kickByHigher = newRole == Role.NONE && actorAffiliation.compareTo(targetAffiliation) > 0;
            if (!kickByHigher) {
                return Condition.not_allowed;
            }
        }
        boolean aboutModeration = targetRole == Role.MODERATOR || newRole == Role.MODERATOR;
        if (aboutModeration && !actorAffiliation.isAdminOrOwner()) {
            return Condition.forbidden;
        }
        return null;
    }

    /**
     * Whether an actor may change a user's affiliation (§9.1-9.4, §10.3-10.8); {@code null} when
     * allowed, else the error condition:
     * <ul>
     * <li>only admins and owners change affiliations: forbidden otherwise;</li>
     * <li>"If an admin or owner attempts to ban himself, the service MUST deny the request and
     * return a conflict error" (§9.1), and an owner cannot give up ownership when "there are no
     * other owners" (§10.4: conflict);</li>
     * <li>"Only owners shall be allowed to modify the admin list" and the owner list (§10.6, §10.8):
     * forbidden for an admin granting admin or owner;</li>
     * <li>"a user cannot be banned by an admin with a lower affiliation" (§9.1): an admin cannot
     * change an admin or owner, not-allowed.</li>
     * </ul>
     */
    static Condition affiliationChange(Affiliation actor, Affiliation target, Affiliation newAffiliation,
                                       boolean self, boolean otherOwners) {
        if (!actor.isAdminOrOwner()) {
            return Condition.forbidden;
        }
        if (self && newAffiliation == Affiliation.OUTCAST) {
            return Condition.conflict;
        }
        if (self && target == Affiliation.OWNER && newAffiliation != Affiliation.OWNER && !otherOwners) {
            return Condition.conflict;
        }
        if (newAffiliation == target) {
            return null;
        }
        if (actor == Affiliation.ADMIN) {
            if (newAffiliation.isAdminOrOwner()) {
                return Condition.forbidden;
            }
            if (target.isAdminOrOwner()) {
                return Condition.not_allowed;
            }
        }
        return null;
    }

    /** Who may read a role list (§8.5 voice list, §9.8 moderator list): moderators. */
    static boolean mayListRole(Role actorRole) {
        return actorRole == Role.MODERATOR;
    }

    /**
     * Who may read an affiliation list: the ban and member lists are for admins (§9.2, §9.5), the
     * member list also for the roles muc#roomconfig_getmemberlist names and, in a non-anonymous
     * room, for any member (§9.5 note); the admin and owner lists for owners, and for admins in a
     * non-anonymous room ("In non-anonymous rooms, the service MAY process the request", §10.5).
     */
    static boolean mayListAffiliation(Affiliation actor, Role actorRole, Affiliation list, RoomConfig config) {
        return switch (list) {
            case OUTCAST -> actor.isAdminOrOwner();
            case MEMBER -> actor.isAdminOrOwner() || config.getMemberList().contains(actorRole)
                    || (config.nonAnonymous() && actor.atLeast(Affiliation.MEMBER));
            case ADMIN, OWNER -> actor == Affiliation.OWNER || (config.nonAnonymous() && actor == Affiliation.ADMIN);
            case NONE -> false;
        };
    }
}
