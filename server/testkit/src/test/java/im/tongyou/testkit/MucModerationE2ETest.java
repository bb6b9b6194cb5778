package im.tongyou.testkit;

import static im.tongyou.testkit.MucE2ETest.muc;
import static im.tongyou.testkit.MucE2ETest.nick;
import static im.tongyou.testkit.MucE2ETest.room;
import static im.tongyou.testkit.MucE2ETest.seen;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.XMPPConnection;
import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.muc.Affiliate;
import org.jivesoftware.smackx.muc.MultiUserChat;
import org.jivesoftware.smackx.muc.MultiUserChatManager;
import org.jivesoftware.smackx.muc.ParticipantStatusListener;
import org.jivesoftware.smackx.muc.UserStatusListener;
import org.jivesoftware.smackx.muc.packet.MUCUser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.EntityJid;
import org.jxmpp.jid.Jid;
import org.jxmpp.jid.impl.JidCreate;

/**
 * Running a room with stock Smack clients (XEP-0045 §8-§10): Prince Escalus owns it, kicks and
 * banishes, keeps a members-only or password-protected room, invites, and destroys it; a
 * persistent room stays, stored, when everyone has left.
 */
class MucModerationE2ETest {

    @RegisterExtension
    static TongyouServerExtension server = TongyouServerExtension.create();

    @BeforeAll
    static void users() throws Exception {
        server.createUser("escalus", "verona-prince");
        server.createUser("romeo", "montague-secret");
        server.createUser("tybalt", "prince-of-cats");
        server.createUser("juliet", "capulet-secret");
    }

    static EntityBareJid user(String name) throws Exception {
        return JidCreate.entityBareFrom(name + "@" + server.domain());
    }

    /** The condition of the stanza error a Smack call failed with. */
    static StanzaError.Condition condition(Throwable e) {
        assertThat(e).isInstanceOf(XMPPException.XMPPErrorException.class);
        return ((XMPPException.XMPPErrorException) e).getStanzaError().getCondition();
    }

    @Test
    void thePrinceKicksTybaltAndEveryoneSeesWhy() throws Exception {
        XMPPTCPConnection escalus = server.login("escalus", "verona-prince");
        XMPPTCPConnection tybalt = server.login("tybalt", "prince-of-cats");
        XMPPTCPConnection romeo = server.login("romeo", "montague-secret");
        MultiUserChat square = muc(escalus, "public-square");
        square.create(nick("Escalus")).makeInstant();
        MultiUserChat tybaltsView = muc(tybalt, "public-square");
        tybaltsView.join(nick("Tybalt"));
        MultiUserChat romeosView = muc(romeo, "public-square");
        CompletableFuture<String> kickedTybalt = new CompletableFuture<>();
        tybaltsView.addUserStatusListener(new UserStatusListener() {
            @Override
            public void kicked(Jid actor, String reason) {
                kickedTybalt.complete(reason);
            }
        });
        CompletableFuture<EntityFullJid> romeoSawKick = new CompletableFuture<>();
        CompletableFuture<org.jivesoftware.smack.packet.Presence> romeoSeesTybalt = seen(romeosView, "Tybalt");
        romeosView.join(nick("Romeo"));
        romeoSeesTybalt.get(10, TimeUnit.SECONDS);
        romeosView.addParticipantStatusListener(new ParticipantStatusListener() {
            @Override
            public void kicked(EntityFullJid participant, Jid actor, String reason) {
                romeoSawKick.complete(participant);
            }
        });

        square.kickParticipant(nick("Tybalt"), "Rebellious subjects, enemies to peace");

        assertThat(kickedTybalt.get(10, TimeUnit.SECONDS)).isEqualTo("Rebellious subjects, enemies to peace");
        assertThat(romeoSawKick.get(10, TimeUnit.SECONDS).getResourceOrEmpty().toString()).isEqualTo("Tybalt");
        assertThat(tybaltsView.isJoined()).isFalse();
        // A kick is not a ban: Tybalt may come back.
        tybaltsView.join(nick("Tybalt"));
        // But Romeo, a mere participant, may not kick him.
        assertThatThrownBy(() -> romeosView.kickParticipant(nick("Tybalt"), "You rat-catcher"))
                .satisfies(e -> assertThat(condition(e)).isEqualTo(StanzaError.Condition.forbidden));
    }

    @Test
    void aBanishedUserCannotComeBack() throws Exception {
        XMPPTCPConnection escalus = server.login("escalus", "verona-prince");
        XMPPTCPConnection romeo = server.login("romeo", "montague-secret");
        MultiUserChat verona = muc(escalus, "verona");
        verona.create(nick("Escalus")).makeInstant();
        MultiUserChat romeosView = muc(romeo, "verona");
        romeosView.join(nick("Romeo"));
        CompletableFuture<String> banished = new CompletableFuture<>();
        romeosView.addUserStatusListener(new UserStatusListener() {
            @Override
            public void banned(Jid actor, String reason) {
                banished.complete(reason);
            }
        });

        verona.banUser(user("romeo"), "Immediately we do exile him hence");

        assertThat(banished.get(10, TimeUnit.SECONDS)).isEqualTo("Immediately we do exile him hence");
        assertThat(verona.getOutcasts()).extracting(Affiliate::getJid).extracting(Object::toString)
                .containsExactly("romeo@" + server.domain());
        assertThatThrownBy(() -> romeosView.join(nick("Romeo")))
                .satisfies(e -> assertThat(condition(e)).isEqualTo(StanzaError.Condition.forbidden));
    }

    @Test
    void aMembersOnlyRoomLetsInOnlyItsMembers() throws Exception {
        XMPPTCPConnection escalus = server.login("escalus", "verona-prince");
        XMPPTCPConnection juliet = server.login("juliet", "capulet-secret");
        MultiUserChat council = muc(escalus, "council");
        council.create(nick("Escalus")).getConfigFormManager().makeMembersOnly().submitConfigurationForm();
        assertThat(MultiUserChatManager.getInstanceFor(juliet).getRoomInfo(room("council")).isMembersOnly()).isTrue();

        assertThatThrownBy(() -> muc(juliet, "council").join(nick("Juliet")))
                .satisfies(e -> assertThat(condition(e)).isEqualTo(StanzaError.Condition.registration_required));

        CompletableFuture<EntityJid> invited = new CompletableFuture<>();
        MultiUserChatManager.getInstanceFor(juliet).addInvitationListener(
                (conn, room, inviter, reason, password, message, invitation) -> invited.complete(inviter));
        council.grantMembership(user("juliet"));
        assertThat(invited.get(10, TimeUnit.SECONDS).toString()).isEqualTo("escalus@" + server.domain());
        muc(juliet, "council").join(nick("Juliet"));
        assertThat(council.getMembers()).extracting(a -> a.getJid().toString()).containsExactly("juliet@" + server.domain());
    }

    @Test
    void aPasswordProtectedRoomWantsThePassword() throws Exception {
        XMPPTCPConnection escalus = server.login("escalus", "verona-prince");
        XMPPTCPConnection romeo = server.login("romeo", "montague-secret");
        MultiUserChat cell = muc(escalus, "friar-cell");
        cell.create(nick("Escalus")).getConfigFormManager().setAndEnablePassword("holy-orders").submitConfigurationForm();
        MultiUserChat romeosView = muc(romeo, "friar-cell");

        assertThatThrownBy(() -> romeosView.join(nick("Romeo")))
                .satisfies(e -> assertThat(condition(e)).isEqualTo(StanzaError.Condition.not_authorized));
        assertThatThrownBy(() -> romeosView.join(nick("Romeo"), "amen"))
                .satisfies(e -> assertThat(condition(e)).isEqualTo(StanzaError.Condition.not_authorized));
        romeosView.join(nick("Romeo"), "holy-orders");
        assertThat(romeosView.isJoined()).isTrue();
    }

    @Test
    void invitationsAreDeliveredAndDeclinesReturn() throws Exception {
        XMPPTCPConnection escalus = server.login("escalus", "verona-prince");
        XMPPTCPConnection juliet = server.login("juliet", "capulet-secret");
        server.sync(juliet);
        MultiUserChat feast = muc(escalus, "feast");
        feast.create(nick("Escalus")).makeInstant();
        CompletableFuture<String> declined = new CompletableFuture<>();
        feast.addInvitationRejectionListener((invitee, reason, message, rejection) -> declined.complete(invitee + ": " + reason));
        MultiUserChatManager.getInstanceFor(juliet).addInvitationListener((XMPPConnection conn, MultiUserChat room,
                EntityJid inviter, String reason, String password, Message message, MUCUser.Invite invitation) -> {
            try {
                MultiUserChatManager.getInstanceFor(conn).decline(room.getRoom(), inviter.asEntityBareJidOrThrow(),
                        "My only love sprung from my only hate");
            } catch (Exception e) {
                declined.completeExceptionally(e);
            }
        });

        feast.invite(user("juliet"), "Come to the Capulet feast");

        assertThat(declined.get(10, TimeUnit.SECONDS))
                .isEqualTo("juliet@" + server.domain() + ": My only love sprung from my only hate");
    }

    @Test
    void destroyingARoomSendsEveryoneToTheAlternateVenue() throws Exception {
        XMPPTCPConnection escalus = server.login("escalus", "verona-prince");
        XMPPTCPConnection romeo = server.login("romeo", "montague-secret");
        MultiUserChat brawl = muc(escalus, "brawl");
        brawl.create(nick("Escalus")).makeInstant();
        MultiUserChat romeosView = muc(romeo, "brawl");
        romeosView.join(nick("Romeo"));
        CompletableFuture<String> destroyed = new CompletableFuture<>();
        romeosView.addUserStatusListener(new UserStatusListener() {
            @Override
            public void roomDestroyed(MultiUserChat alternate, String password, String reason) {
                destroyed.complete(alternate.getRoom() + " " + reason);
            }
        });

        brawl.destroy("On pain of torture", room("free-town"));

        assertThat(destroyed.get(10, TimeUnit.SECONDS)).isEqualTo(room("free-town") + " On pain of torture");
        assertThat(MultiUserChatManager.getInstanceFor(escalus).getRoomsHostedBy(JidCreate.domainBareFrom(
                MucE2ETest.SERVICE))).doesNotContainKey(room("brawl"));
    }

    @Test
    void aPersistentRoomStaysWhenEveryoneLeavesAndKeepsItsAffiliations() throws Exception {
        XMPPTCPConnection escalus = server.login("escalus", "verona-prince");
        MultiUserChat court = muc(escalus, "court");
        court.create(nick("Escalus")).getConfigFormManager().setRoomName("The Prince's Court").submitConfigurationForm();
        var form = court.getConfigurationForm().getFillableForm();
        form.setAnswer("muc#roomconfig_persistentroom", true);
        court.sendConfigurationForm(form);
        court.grantAdmin(user("juliet"));
        court.leave();

        XMPPTCPConnection juliet = server.login("juliet", "capulet-secret");
        MultiUserChatManager manager = MultiUserChatManager.getInstanceFor(juliet);
        assertThat(manager.getRoomInfo(room("court")).getName()).isEqualTo("The Prince's Court");
        assertThat(manager.getRoomInfo(room("court")).isPersistent()).isTrue();
        assertThat(manager.getRoomInfo(room("court")).getOccupantsCount()).isZero();
        org.jivesoftware.smack.packet.Presence self = muc(juliet, "court").join(nick("Juliet"));
        assertThat(MUCUser.from(self).getItem().getAffiliation().toString()).isEqualTo("admin");
        assertThat(MUCUser.from(self).getStatus()).doesNotContain(MUCUser.Status.ROOM_CREATED_201);
        try (var c = java.sql.DriverManager.getConnection(server.databaseUrl()); var st = c.createStatement();
             var rs = st.executeQuery("SELECT name FROM muc_room WHERE room = 'court'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("The Prince's Court");
        }
    }
}
