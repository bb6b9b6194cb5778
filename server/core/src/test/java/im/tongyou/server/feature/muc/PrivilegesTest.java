package im.tongyou.server.feature.muc;

import static im.tongyou.server.feature.muc.Affiliation.ADMIN;
import static im.tongyou.server.feature.muc.Affiliation.MEMBER;
import static im.tongyou.server.feature.muc.Affiliation.OUTCAST;
import static im.tongyou.server.feature.muc.Affiliation.OWNER;
import static im.tongyou.server.feature.muc.Role.MODERATOR;
import static im.tongyou.server.feature.muc.Role.PARTICIPANT;
import static im.tongyou.server.feature.muc.Role.VISITOR;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.xmpp.packet.PacketError.Condition;

/** The privilege tables of XEP-0045 §5.1.1 and §5.2.1 and the change rules of §5.1.3, §8, §9 and §10. */
class PrivilegesTest {

    static RoomConfig config(boolean moderated, boolean membersOnly, boolean changeSubject, boolean allowInvites,
                             String allowPm, boolean nonAnonymous) {
        return new RoomConfig("", "", "", false, true, membersOnly, moderated, nonAnonymous, null, 20, changeSubject,
                allowInvites, allowPm, EnumSet.allOf(Role.class), Set.of(MODERATOR), 20);
    }

    static final RoomConfig OPEN = config(false, false, false, false, "anyone", false);

    @Test
    void onlyParticipantsAndModeratorsSendMessagesToAll() {
        // §5.1.1 "Send Messages to All": None No, Visitor No, Participant Yes, Moderator Yes.
        assertThat(Privileges.maySpeak(Role.NONE)).isFalse();
        assertThat(Privileges.maySpeak(VISITOR)).isFalse();
        assertThat(Privileges.maySpeak(PARTICIPANT)).isTrue();
        assertThat(Privileges.maySpeak(MODERATOR)).isTrue();
    }

    @Test
    void theSubjectIsTheModeratorsUnlessTheRoomLetsParticipantsChangeIt() {
        assertThat(Privileges.mayChangeSubject(MODERATOR, OPEN)).isTrue();
        assertThat(Privileges.mayChangeSubject(PARTICIPANT, OPEN)).isFalse();
        RoomConfig free = config(false, false, true, false, "anyone", false);
        assertThat(Privileges.mayChangeSubject(PARTICIPANT, free)).isTrue();
        assertThat(Privileges.mayChangeSubject(VISITOR, free)).isFalse();
    }

    @ParameterizedTest
    @CsvSource({
        "anyone, VISITOR, true", "anyone, NONE, false",
        "participants, VISITOR, false", "participants, PARTICIPANT, true",
        "moderators, PARTICIPANT, false", "moderators, MODERATOR, true",
        "none, MODERATOR, false"})
    void privateMessagesFollowAllowPm(String allowPm, Role role, boolean allowed) {
        assertThat(Privileges.maySendPrivate(role, config(false, false, false, false, allowPm, false))).isEqualTo(allowed);
    }

    @Test
    void invitationsToAMembersOnlyRoomAreForAdminsUnlessMembersMayInvite() {
        RoomConfig closed = config(false, true, false, false, "anyone", false);
        assertThat(Privileges.mayInvite(PARTICIPANT, MEMBER, closed)).isFalse();
        assertThat(Privileges.mayInvite(Role.NONE, ADMIN, closed)).isTrue(); // an admin need not be in the room
        RoomConfig invites = config(false, true, false, true, "anyone", false);
        assertThat(Privileges.mayInvite(PARTICIPANT, MEMBER, invites)).isTrue();
        assertThat(Privileges.mayInvite(VISITOR, Affiliation.NONE, OPEN)).isTrue();
        assertThat(Privileges.mayInvite(Role.NONE, Affiliation.NONE, OPEN)).isFalse();
    }

    @ParameterizedTest(name = "{0}/{1} sets {2}/{3} to {4}: {5}")
    @CsvSource({
        // Not a moderator: forbidden (§8).
        "PARTICIPANT, MEMBER, PARTICIPANT, NONE, NONE, forbidden",
        // Kicking (§8.2): a participant or visitor by any moderator; not someone of higher affiliation.
        "MODERATOR, NONE, PARTICIPANT, NONE, NONE, ",
        "MODERATOR, MEMBER, PARTICIPANT, ADMIN, NONE, not_allowed",
        "MODERATOR, ADMIN, MODERATOR, OWNER, NONE, not_allowed",
        "MODERATOR, OWNER, MODERATOR, ADMIN, NONE, ",
        // A moderator is kicked only by an admin or owner (§5.1.3 role chart).
        "MODERATOR, NONE, MODERATOR, NONE, NONE, forbidden",
        "MODERATOR, ADMIN, MODERATOR, NONE, NONE, ",
        // Voice (§8.3, §8.4): "MUST NOT allow the voice privileges of an admin or owner to be removed by anyone".
        "MODERATOR, NONE, VISITOR, NONE, PARTICIPANT, ",
        "MODERATOR, NONE, PARTICIPANT, MEMBER, VISITOR, ",
        "MODERATOR, NONE, MODERATOR, OWNER, VISITOR, not_allowed",
        "MODERATOR, OWNER, MODERATOR, ADMIN, VISITOR, not_allowed",
        // Moderator status (§9.6, §9.7) is granted and revoked by admins and owners, never from them.
        "MODERATOR, OWNER, PARTICIPANT, NONE, MODERATOR, ",
        "MODERATOR, NONE, PARTICIPANT, NONE, MODERATOR, forbidden",
        "MODERATOR, ADMIN, MODERATOR, MEMBER, PARTICIPANT, ",
        "MODERATOR, ADMIN, MODERATOR, OWNER, PARTICIPANT, not_allowed",
        "MODERATOR, NONE, MODERATOR, OWNER, PARTICIPANT, not_allowed",
        "MODERATOR, NONE, MODERATOR, ADMIN, PARTICIPANT, not_allowed",
        "MODERATOR, NONE, MODERATOR, NONE, PARTICIPANT, forbidden"})
    void roleChanges(Role actorRole, Affiliation actor, Role targetRole, Affiliation target, Role newRole,
                     Condition expected) {
        assertThat(Privileges.roleChange(actorRole, actor, targetRole, target, newRole)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} changes {1} to {2} (self {3}, other owners {4}): {5}")
    @CsvSource({
        "MEMBER, NONE, OUTCAST, false, true, forbidden",
        "ADMIN, NONE, OUTCAST, false, true, ",
        "ADMIN, MEMBER, NONE, false, true, ",
        "ADMIN, NONE, MEMBER, false, true, ",
        // "if an admin attempts to ban an owner, the service MUST deny ... not-allowed" (§9.1)
        "ADMIN, OWNER, OUTCAST, false, true, not_allowed",
        "ADMIN, ADMIN, MEMBER, false, true, not_allowed",
        // "Only owners shall be allowed to modify the admin list" (§10.8) and the owner list (§10.5)
        "ADMIN, NONE, ADMIN, false, true, forbidden",
        "ADMIN, MEMBER, OWNER, false, true, forbidden",
        "OWNER, NONE, ADMIN, false, true, ",
        "OWNER, ADMIN, OWNER, false, true, ",
        "OWNER, OWNER, ADMIN, false, true, ",
        // "If an admin or owner attempts to ban himself ... conflict" (§9.1)
        "ADMIN, ADMIN, OUTCAST, true, true, conflict",
        "OWNER, OWNER, OUTCAST, true, true, conflict",
        // the last owner cannot step down (§10.4); with another owner it may
        "OWNER, OWNER, ADMIN, true, false, conflict",
        "OWNER, OWNER, ADMIN, true, true, "})
    void affiliationChanges(Affiliation actor, Affiliation target, Affiliation newAffiliation, boolean self,
                            boolean otherOwners, Condition expected) {
        assertThat(Privileges.affiliationChange(actor, target, newAffiliation, self, otherOwners)).isEqualTo(expected);
    }

    @Test
    void listsAreReadByThoseWhoMayEditThem() {
        assertThat(Privileges.mayListRole(MODERATOR)).isTrue();
        assertThat(Privileges.mayListRole(PARTICIPANT)).isFalse();
        assertThat(Privileges.mayListAffiliation(ADMIN, Role.NONE, OUTCAST, OPEN)).isTrue();
        assertThat(Privileges.mayListAffiliation(MEMBER, PARTICIPANT, OUTCAST, OPEN)).isFalse();
        // muc#roomconfig_getmemberlist names moderators by default; members of a semi-anonymous room may not.
        assertThat(Privileges.mayListAffiliation(MEMBER, PARTICIPANT, MEMBER, OPEN)).isFalse();
        assertThat(Privileges.mayListAffiliation(Affiliation.NONE, MODERATOR, MEMBER, OPEN)).isTrue();
        RoomConfig nonAnonymous = config(false, true, false, false, "anyone", true);
        assertThat(Privileges.mayListAffiliation(MEMBER, Role.NONE, MEMBER, nonAnonymous)).isTrue();
        assertThat(Privileges.mayListAffiliation(ADMIN, MODERATOR, OWNER, OPEN)).isFalse();
        assertThat(Privileges.mayListAffiliation(ADMIN, MODERATOR, OWNER, nonAnonymous)).isTrue();
        assertThat(Privileges.mayListAffiliation(OWNER, Role.NONE, ADMIN, OPEN)).isTrue();
    }

    @Test
    void defaultRolesFollowTheTableOfSection5_1_2() {
        Room moderated = new Room(MucHarness.jid("coven@chat.shakespeare.lit"),
                config(true, false, false, false, "anyone", false), java.time.Instant.EPOCH, false, null);
        Room open = new Room(MucHarness.jid("heath@chat.shakespeare.lit"), OPEN, java.time.Instant.EPOCH, false, null);
        assertThat(moderated.defaultRole(Affiliation.NONE)).isEqualTo(VISITOR);
        assertThat(open.defaultRole(Affiliation.NONE)).isEqualTo(PARTICIPANT);
        for (Room room : new Room[] {moderated, open}) {
            assertThat(room.defaultRole(MEMBER)).isEqualTo(PARTICIPANT);
            assertThat(room.defaultRole(ADMIN)).isEqualTo(MODERATOR);
            assertThat(room.defaultRole(OWNER)).isEqualTo(MODERATOR);
            assertThat(room.defaultRole(OUTCAST)).isEqualTo(Role.NONE);
        }
    }
}
