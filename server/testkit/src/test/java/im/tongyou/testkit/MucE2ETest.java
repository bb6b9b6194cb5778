package im.tongyou.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.StanzaCollector;
import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.filter.AndFilter;
import org.jivesoftware.smack.filter.FromMatchesFilter;
import org.jivesoftware.smack.filter.StanzaTypeFilter;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.MessageBuilder;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.delay.packet.DelayInformation;
import org.jivesoftware.smackx.muc.MUCAffiliation;
import org.jivesoftware.smackx.muc.MUCRole;
import org.jivesoftware.smackx.muc.MultiUserChat;
import org.jivesoftware.smackx.muc.MultiUserChatManager;
import org.jivesoftware.smackx.muc.ParticipantStatusListener;
import org.jivesoftware.smackx.muc.RoomInfo;
import org.jivesoftware.smackx.muc.packet.MUCUser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.jid.parts.Resourcepart;

/**
 * Group chat (XEP-0045) as occupants live it, with stock Smack clients: Romeo opens a room, Juliet
 * and Mercutio come in, they talk in the room and in private, change names and subjects, and leave.
 */
class MucE2ETest {

    @RegisterExtension
    static TongyouServerExtension server = TongyouServerExtension.create();

    static final String SERVICE = "conference." + TongyouServerExtension.DOMAIN;

    @BeforeAll
    static void users() throws Exception {
        server.createUser("romeo", "montague-secret");
        server.createUser("juliet", "capulet-secret");
        server.createUser("mercutio", "queen-mab");
    }

    static EntityBareJid room(String name) throws Exception {
        return JidCreate.entityBareFrom(name + "@" + SERVICE);
    }

    static Resourcepart nick(String nick) throws Exception {
        return Resourcepart.from(nick);
    }

    static MultiUserChat muc(XMPPTCPConnection c, String name) throws Exception {
        return MultiUserChatManager.getInstanceFor(c).getMultiUserChat(room(name));
    }

    /** The next message with a body from the room (subject messages have none). */
    static Message nextBody(MultiUserChat muc) throws Exception {
        for (int i = 0; i < 20; i++) {
            Message m = muc.nextMessage(10_000);
            assertThat(m).as("a message from " + muc.getRoom()).isNotNull();
            if (m.getBody() != null) {
                return m;
            }
        }
        throw new AssertionError("no message with a body from " + muc.getRoom());
    }

    /** Completes with the first presence of an occupant that a client's room sees. */
    static CompletableFuture<Presence> seen(MultiUserChat muc, String nickname) {
        CompletableFuture<Presence> seen = new CompletableFuture<>();
        muc.addParticipantListener(p -> {
            if (p.getFrom().getResourceOrEmpty().toString().equals(nickname)) {
                seen.complete(p);
            }
        });
        return seen;
    }

    @Test
    void theServiceIsDiscoveredAndListsPublicRoomsOnly() throws Exception {
        XMPPTCPConnection romeo = server.login("romeo", "montague-secret");
        MultiUserChatManager manager = MultiUserChatManager.getInstanceFor(romeo);

        List<DomainBareJid> services = manager.getMucServiceDomains();
        assertThat(services).extracting(Object::toString).containsExactly(SERVICE);

        muc(romeo, "verona-square").create(nick("Romeo")).makeInstant();
        muc(romeo, "secret-garden").create(nick("Romeo")).getConfigFormManager().makeHidden().submitConfigurationForm();

        assertThat(manager.getRoomsHostedBy(services.get(0)).keySet())
                .contains(room("verona-square")).doesNotContain(room("secret-garden"));
        RoomInfo info = manager.getRoomInfo(room("secret-garden"));
        assertThat(info.isPersistent()).isFalse();
        assertThat(info.isMembersOnly()).isFalse();
        assertThat(info.getOccupantsCount()).isEqualTo(1);
    }

    @Test
    void julietEntersRomeosRoomAndTheyTalk() throws Exception {
        XMPPTCPConnection romeo = server.login("romeo", "montague-secret");
        XMPPTCPConnection juliet = server.login("juliet", "capulet-secret");
        MultiUserChat romeosRoom = muc(romeo, "balcony");
        romeosRoom.create(nick("Romeo")).makeInstant();

        MultiUserChat julietsRoom = muc(juliet, "balcony");
        Presence self = julietsRoom.join(nick("Juliet"));

        MUCUser user = MUCUser.from(self);
        assertThat(user.getStatus()).contains(MUCUser.Status.PRESENCE_TO_SELF_110);
        assertThat(user.getItem().getRole()).isEqualTo(MUCRole.participant);
        assertThat(user.getItem().getAffiliation()).isEqualTo(MUCAffiliation.none);
        awaitOccupants(julietsRoom, 2); // Smack notes occupants in a listener that may run after join() returns
        assertThat(julietsRoom.getOccupants()).extracting(j -> j.getResourceOrEmpty().toString())
                .containsExactlyInAnyOrder("Romeo", "Juliet");

        romeosRoom.sendMessage("But soft, what light through yonder window breaks?");
        Message heard = nextBody(julietsRoom);
        assertThat(heard.getBody()).isEqualTo("But soft, what light through yonder window breaks?");
        assertThat((Object) heard.getFrom()).isEqualTo(JidCreate.entityFullFrom(room("balcony"), nick("Romeo")));
        assertThat(heard.getType()).isEqualTo(Message.Type.groupchat);
    }

    @Test
    void aNewcomerGetsTheHistoryItAskedForThenTheSubject() throws Exception {
        XMPPTCPConnection romeo = server.login("romeo", "montague-secret");
        XMPPTCPConnection juliet = server.login("juliet", "capulet-secret");
        MultiUserChat romeosRoom = muc(romeo, "chronicle");
        romeosRoom.create(nick("Romeo")).makeInstant();
        romeosRoom.changeSubject("Two households");
        for (String line : List.of("one", "two", "three")) {
            romeosRoom.sendMessage(line);
            assertThat(nextBody(romeosRoom).getBody()).isEqualTo(line); // reflected: it is in the history
        }

        StanzaCollector fromRoom = juliet.createStanzaCollector(new AndFilter(StanzaTypeFilter.MESSAGE,
                FromMatchesFilter.create(room("chronicle"))));
        MultiUserChat julietsRoom = muc(juliet, "chronicle");
        julietsRoom.join(julietsRoom.getEnterConfigurationBuilder(nick("Juliet")).requestMaxStanzasHistory(2).build());

        Message first = fromRoom.nextResult(10_000);
        Message second = fromRoom.nextResult(10_000);
        Message subject = fromRoom.nextResult(10_000);
        assertThat(first.getBody()).isEqualTo("two");
        assertThat(second.getBody()).isEqualTo("three");
        assertThat(DelayInformation.from(first)).isNotNull();
        assertThat(DelayInformation.from(first).getFrom()).isEqualTo(room("chronicle").toString());
        assertThat(subject.getSubject()).isEqualTo("Two households");
        assertThat(subject.getBody()).isNull();
        fromRoom.cancel();

        julietsRoom.leave();
        // Smack handles the reflected unavailable presence in a listener that takes the room's lock,
        // which join() holds while it waits: a round trip lets that listener run first.
        server.sync(juliet);
        StanzaCollector again = juliet.createStanzaCollector(new AndFilter(StanzaTypeFilter.MESSAGE,
                FromMatchesFilter.create(room("chronicle"))));
        julietsRoom.join(julietsRoom.getEnterConfigurationBuilder(nick("Juliet")).requestNoHistory().build());
        assertThat(((Message) again.nextResult(10_000)).getSubject()).isEqualTo("Two households"); // no history at all
        again.cancel();
    }

    @Test
    void othersCannotEnterARoomUntilItsOwnerConfiguresIt() throws Exception {
        XMPPTCPConnection romeo = server.login("romeo", "montague-secret");
        XMPPTCPConnection juliet = server.login("juliet", "capulet-secret");
        MultiUserChat romeosRoom = muc(romeo, "crypt");
        MultiUserChat.MucCreateConfigFormHandle handle = romeosRoom.create(nick("Romeo"));

        assertThatThrownBy(() -> muc(juliet, "crypt").join(nick("Juliet")))
                .isInstanceOfSatisfying(XMPPException.XMPPErrorException.class, e ->
                        assertThat(e.getStanzaError().getCondition()).isEqualTo(StanzaError.Condition.item_not_found));

        handle.getConfigFormManager().setRoomName("The Capulets' Crypt").submitConfigurationForm();
        muc(juliet, "crypt").join(nick("Juliet"));
        assertThat(MultiUserChatManager.getInstanceFor(juliet).getRoomInfo(room("crypt")).getName())
                .isEqualTo("The Capulets' Crypt");
    }

    @Test
    void occupantsWhisperInPrivate() throws Exception {
        XMPPTCPConnection romeo = server.login("romeo", "montague-secret");
        XMPPTCPConnection juliet = server.login("juliet", "capulet-secret");
        muc(romeo, "orchard").create(nick("Romeo")).makeInstant();
        muc(juliet, "orchard").join(nick("Juliet"));
        EntityFullJid romeoInRoom = JidCreate.entityFullFrom(room("orchard"), nick("Romeo"));
        StanzaCollector whispers = juliet.createStanzaCollector(new AndFilter(StanzaTypeFilter.MESSAGE,
                FromMatchesFilter.createFull(romeoInRoom)));

        romeo.sendStanza(MessageBuilder.buildMessage("pm1").to(room("orchard") + "/Juliet").ofType(Message.Type.chat)
                .setBody("Lady, by yonder blessed moon I swear").build());

        Message whisper = whispers.nextResult(10_000);
        assertThat(whisper.getBody()).isEqualTo("Lady, by yonder blessed moon I swear");
        assertThat(whisper.getType()).isEqualTo(Message.Type.chat);
        assertThat(whisper.hasExtension("x", MUCUser.NAMESPACE)).isTrue();
        whispers.cancel();

        StanzaCollector errors = romeo.createStanzaCollector(new AndFilter(StanzaTypeFilter.MESSAGE,
                FromMatchesFilter.createFull(JidCreate.entityFullFrom(room("orchard"), nick("Tybalt")))));
        romeo.sendStanza(MessageBuilder.buildMessage("pm2").to(room("orchard") + "/Tybalt").ofType(Message.Type.chat)
                .setBody("Where art thou?").build());
        Message error = errors.nextResult(10_000);
        assertThat(error.getType()).isEqualTo(Message.Type.error);
        assertThat(error.getError().getCondition()).isEqualTo(StanzaError.Condition.item_not_found);
        errors.cancel();
    }

    @Test
    void anOccupantChangesNicknameButNotToOneInUse() throws Exception {
        XMPPTCPConnection romeo = server.login("romeo", "montague-secret");
        XMPPTCPConnection juliet = server.login("juliet", "capulet-secret");
        MultiUserChat romeosRoom = muc(romeo, "masque");
        romeosRoom.create(nick("Romeo")).makeInstant();
        MultiUserChat julietsRoom = muc(juliet, "masque");
        julietsRoom.join(nick("Juliet"));
        CompletableFuture<String> renamed = new CompletableFuture<>();
        romeosRoom.addParticipantStatusListener(new ParticipantStatusListener() {
            @Override
            public void nicknameChanged(EntityFullJid participant, Resourcepart newNickname) {
                renamed.complete(participant.getResourceOrEmpty() + " -> " + newNickname);
            }
        });

        julietsRoom.changeNickname(nick("Pilgrim"));

        assertThat(renamed.get(10, TimeUnit.SECONDS)).isEqualTo("Juliet -> Pilgrim");
        assertThatThrownBy(() -> julietsRoom.changeNickname(nick("ROMEO")))
                .isInstanceOfSatisfying(XMPPException.XMPPErrorException.class, e ->
                        assertThat(e.getStanzaError().getCondition()).isEqualTo(StanzaError.Condition.conflict));
    }

    @Test
    void onlyModeratorsChangeTheSubjectByDefault() throws Exception {
        XMPPTCPConnection romeo = server.login("romeo", "montague-secret");
        XMPPTCPConnection juliet = server.login("juliet", "capulet-secret");
        MultiUserChat romeosRoom = muc(romeo, "chapel");
        romeosRoom.create(nick("Romeo")).makeInstant();
        MultiUserChat julietsRoom = muc(juliet, "chapel");
        julietsRoom.join(nick("Juliet"));

        assertThatThrownBy(() -> julietsRoom.changeSubject("Elopement"))
                .isInstanceOfSatisfying(XMPPException.XMPPErrorException.class, e ->
                        assertThat(e.getStanzaError().getCondition()).isEqualTo(StanzaError.Condition.forbidden));

        romeosRoom.changeSubject("A secret wedding");
        assertThat(MultiUserChatManager.getInstanceFor(juliet).getRoomInfo(room("chapel")).getSubject())
                .isEqualTo("A secret wedding");
    }

    @Test
    void aClientThatGoesAwayLeavesItsRooms() throws Exception {
        XMPPTCPConnection romeo = server.login("romeo", "montague-secret");
        XMPPTCPConnection mercutio = server.login("mercutio", "queen-mab");
        MultiUserChat romeosRoom = muc(romeo, "street");
        romeosRoom.create(nick("Romeo")).makeInstant();
        muc(mercutio, "street").join(nick("Mercutio"));
        CompletableFuture<EntityFullJid> left = new CompletableFuture<>();
        romeosRoom.addParticipantStatusListener(new ParticipantStatusListener() {
            @Override
            public void left(EntityFullJid participant) {
                left.complete(participant);
            }
        });

        mercutio.disconnect(); // "A plague o' both your houses!" and no unavailable presence to the room

        assertThat(left.get(10, TimeUnit.SECONDS).getResourceOrEmpty().toString()).isEqualTo("Mercutio");
        assertThat(romeosRoom.getOccupants()).hasSize(1);
    }

    @Test
    void aTemporaryRoomDisappearsWithItsLastOccupant() throws Exception {
        XMPPTCPConnection romeo = server.login("romeo", "montague-secret");
        MultiUserChat romeosRoom = muc(romeo, "inn");
        romeosRoom.create(nick("Romeo")).makeInstant();
        MultiUserChatManager manager = MultiUserChatManager.getInstanceFor(romeo);
        assertThat(manager.getRoomsHostedBy(JidCreate.domainBareFrom(SERVICE))).containsKey(room("inn"));

        Presence leave = romeosRoom.leave();

        assertThat(MUCUser.from(leave).getStatus()).contains(MUCUser.Status.PRESENCE_TO_SELF_110);
        assertThat(manager.getRoomsHostedBy(JidCreate.domainBareFrom(SERVICE))).doesNotContainKey(room("inn"));
    }

    @Test
    void realJidsShowOnlyToModeratorsUnlessTheRoomIsNonAnonymous() throws Exception {
        XMPPTCPConnection romeo = server.login("romeo", "montague-secret");
        XMPPTCPConnection juliet = server.login("juliet", "capulet-secret");
        XMPPTCPConnection mercutio = server.login("mercutio", "queen-mab");
        muc(romeo, "semi").create(nick("Romeo")).makeInstant();
        MultiUserChat julietsRoom = muc(juliet, "semi");
        julietsRoom.join(nick("Juliet"));
        CompletableFuture<Presence> julietSees = seen(julietsRoom, "Mercutio");
        CompletableFuture<Presence> romeoSees = seen(muc(romeo, "semi"), "Mercutio");
        Presence mercutioSelf = muc(mercutio, "semi").join(nick("Mercutio"));
        julietSees.get(10, TimeUnit.SECONDS);
        romeoSees.get(10, TimeUnit.SECONDS);

        assertThat(MUCUser.from(mercutioSelf).getStatus()).doesNotContain(MUCUser.Status.create(100));
        assertThat((Object) julietsRoom.getOccupant(JidCreate.entityFullFrom(room("semi"), nick("Mercutio"))).getJid())
                .isNull();
        assertThat((Object) muc(romeo, "semi").getOccupant(JidCreate.entityFullFrom(room("semi"), nick("Mercutio")))
                .getJid()).isEqualTo(mercutio.getUser());

        MultiUserChat open = muc(romeo, "open-house");
        open.create(nick("Romeo"));
        var form = open.getConfigurationForm().getFillableForm();
        form.setAnswer("muc#roomconfig_whois", "anyone");
        open.sendConfigurationForm(form);
        MultiUserChat julietsOpenHouse = muc(juliet, "open-house");
        CompletableFuture<Presence> julietSeesRomeo = seen(julietsOpenHouse, "Romeo");
        Presence julietSelf = julietsOpenHouse.join(nick("Juliet"));
        julietSeesRomeo.get(10, TimeUnit.SECONDS);
        assertThat(MUCUser.from(julietSelf).getStatus()).contains(MUCUser.Status.create(100));
        assertThat((Object) muc(juliet, "open-house").getOccupant(JidCreate.entityFullFrom(room("open-house"),
                nick("Romeo"))).getJid()).isEqualTo(romeo.getUser());
    }

    /** Waits (10 s at most) until Smack's occupant list of the room has the expected size. */
    private static void awaitOccupants(MultiUserChat room, int count) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (room.getOccupantsCount() < count && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }
}
