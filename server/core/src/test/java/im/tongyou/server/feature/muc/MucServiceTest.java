package im.tongyou.server.feature.muc;

import static org.assertj.core.api.Assertions.assertThat;

import im.tongyou.server.storage.Database;
import im.tongyou.server.storage.TestDatabases;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xmpp.packet.Packet;

/**
 * The occupant use cases of XEP-0045 (§7) at the stanza level, checked against the specification's
 * examples: the witches of Macbeth in the coven room.
 */
class MucServiceTest {

    static final String CRONE = "crone1@shakespeare.lit/desktop";
    static final String WICCA = "wiccarocks@shakespeare.lit/laptop";
    static final String HAG = "hag66@shakespeare.lit/pda";
    static final String COVEN = "coven@chat.shakespeare.lit";

    @TempDir
    Path dir;
    Database database;
    MucHarness muc;

    @BeforeEach
    void start() {
        database = Database.open(TestDatabases.config(TestDatabases.Kind.H2, dir));
        database.applyChangelog("im/tongyou/server/feature/muc/changelog.xml", getClass().getClassLoader());
        muc = new MucHarness(MucHarness.options(), new MucStore(database.dataSource()),
                Set.of("crone1", "wiccarocks", "hag66", "hecate"));
    }

    @AfterEach
    void stop() {
        database.close();
    }

    static List<String> xml(List<Packet> packets) {
        return packets.stream().map(Packet::toXML).toList();
    }

    @Test
    void creatingARoomLocksItUntilTheOwnerAcceptsTheDefaults() {
        muc.enter(CRONE, COVEN + "/firstwitch");
        List<String> toCrone = xml(muc.to(CRONE));
        // §10.1.1 "Service Acknowledges Room Creation": owner, moderator, 110 and 201; then the (empty) subject.
        assertThat(toCrone.get(0)).contains("from=\"coven@chat.shakespeare.lit/firstwitch\"")
                .contains("affiliation=\"owner\"").contains("role=\"moderator\"")
                .contains("<status code=\"110\"/>").contains("<status code=\"201\"/>");
        assertThat(toCrone.get(1)).contains("<subject></subject>").contains("type=\"groupchat\"");
        muc.take();

        muc.enter(HAG, COVEN + "/thirdwitch");
        // §7.2.11 Locked Room: item-not-found, "by" the room.
        assertThat(xml(muc.take())).singleElement().asString().contains("type=\"error\"").contains("<item-not-found")
                .contains("by=\"coven@chat.shakespeare.lit\"").contains("from=\"coven@chat.shakespeare.lit/thirdwitch\"");

        muc.iq(CRONE, COVEN, "set", "<query xmlns='http://jabber.org/protocol/muc#owner'>"
                + "<x xmlns='jabber:x:data' type='submit'/></query>");
        assertThat(xml(muc.take())).singleElement().asString().contains("type=\"result\"").contains("id=\"q1\"");
        muc.enter(HAG, COVEN + "/thirdwitch");
        assertThat(xml(muc.to(HAG))).anySatisfy(s -> assertThat(s).contains("<status code=\"110\"/>"));
    }

    @Test
    void aNewcomerGetsPresencesThenItsOwnThenHistoryThenTheSubject() {
        muc.instantRoom(CRONE, COVEN + "/firstwitch");
        muc.message(CRONE, COVEN, "groupchat", "<subject>Fire Burn and Cauldron Bubble!</subject>");
        muc.message(CRONE, COVEN, "groupchat", "<body>Thrice the brinded cat hath mew'd.</body>");
        muc.take();

        muc.enter(HAG, COVEN + "/thirdwitch");

        List<String> toHag = xml(muc.to(HAG));
        assertThat(toHag).hasSize(4); // §7.1 order of events
        assertThat(toHag.get(0)).startsWith("<presence").contains("from=\"coven@chat.shakespeare.lit/firstwitch\"")
                .contains("affiliation=\"owner\"").doesNotContain("jid=").doesNotContain("code=\"110\"");
        assertThat(toHag.get(1)).startsWith("<presence").contains("from=\"coven@chat.shakespeare.lit/thirdwitch\"")
                .contains("affiliation=\"none\"").contains("role=\"participant\"").contains("<status code=\"110\"/>")
                .doesNotContain("code=\"100\"").contains("id=\"p1\"");
        assertThat(toHag.get(2)).contains("<body>Thrice the brinded cat hath mew'd.</body>")
                .contains("<delay xmlns=\"urn:xmpp:delay\" from=\"coven@chat.shakespeare.lit\" stamp=\"2026-11-29T10:00:00Z\"/>");
        assertThat(toHag.get(3)).contains("<subject>Fire Burn and Cauldron Bubble!</subject>")
                .contains("from=\"coven@chat.shakespeare.lit/firstwitch\"").doesNotContain("<body>");
        // §7.2.5 semi-anonymous: the moderator sees the newcomer's full JID.
        assertThat(xml(muc.to(CRONE))).singleElement().asString().contains("jid=\"hag66@shakespeare.lit/pda\"")
                .doesNotContain("code=\"110\"");
    }

    @Test
    void enteringIsRefusedWithTheErrorsOfSection7_2() {
        muc.enter(CRONE, COVEN + "/firstwitch");
        muc.iq(CRONE, COVEN, "set", "<query xmlns='http://jabber.org/protocol/muc#owner'><x xmlns='jabber:x:data' type='submit'>"
                + "<field var='muc#roomconfig_passwordprotectedroom'><value>1</value></field>"
                + "<field var='muc#roomconfig_roomsecret'><value>cauldronburn</value></field>"
                + "<field var='muc#roomconfig_maxusers'><value>2</value></field></x></query>");
        muc.take();

        muc.presence(HAG, COVEN, "<x xmlns='http://jabber.org/protocol/muc'/>");
        assertThat(xml(muc.take())).singleElement().asString().contains("<jid-malformed"); // §7.2.1 no nickname
        muc.enter(HAG, COVEN + "/thirdwitch");
        assertThat(xml(muc.take())).singleElement().asString().contains("<not-authorized").contains("type=\"auth\"");
        muc.presence(HAG, COVEN + "/thirdwitch",
                "<x xmlns='http://jabber.org/protocol/muc'><password>wrong</password></x>");
        assertThat(xml(muc.take())).singleElement().asString().contains("<not-authorized").doesNotContain("wrong");
        muc.presence(HAG, COVEN + "/firstwitch",
                "<x xmlns='http://jabber.org/protocol/muc'><password>cauldronburn</password></x>");
        assertThat(xml(muc.take())).singleElement().asString().contains("<conflict").contains("type=\"cancel\"");
        muc.presence(HAG, COVEN + "/thirdwitch",
                "<x xmlns='http://jabber.org/protocol/muc'><password>cauldronburn</password></x>");
        assertThat(xml(muc.take())).anySatisfy(s -> assertThat(s).contains("code=\"110\""));
        muc.presence(WICCA, COVEN + "/secondwitch",
                "<x xmlns='http://jabber.org/protocol/muc'><password>cauldronburn</password></x>");
        // §7.2.10 Max Users: service-unavailable of type wait.
        assertThat(xml(muc.take())).singleElement().asString().contains("<service-unavailable").contains("type=\"wait\"");

        muc.iq(CRONE, COVEN, "set", "<query xmlns='http://jabber.org/protocol/muc#admin'>"
                + "<item affiliation='outcast' jid='hecate@shakespeare.lit'><reason>Hags only</reason></item></query>");
        muc.take();
        muc.presence("hecate@shakespeare.lit/broom", COVEN + "/hecate",
                "<x xmlns='http://jabber.org/protocol/muc'><password>cauldronburn</password></x>");
        assertThat(xml(muc.take())).singleElement().asString().contains("<forbidden"); // §7.2.7 banned
        muc.iq(CRONE, COVEN, "set", "<query xmlns='http://jabber.org/protocol/muc#admin'>"
                + "<item affiliation='admin' jid='wiccarocks@shakespeare.lit'/></query>");
        muc.take();
        muc.enter(WICCA, COVEN + "/secondwitch"); // admins pass the limit and need no password
        assertThat(xml(muc.to(WICCA))).anySatisfy(s -> assertThat(s).contains("code=\"110\"")
                .contains("affiliation=\"admin\"").contains("role=\"moderator\""));
    }

    @Test
    void aMembersOnlyRoomAsksForRegistration() {
        muc.enter(CRONE, COVEN + "/firstwitch");
        muc.iq(CRONE, COVEN, "set", "<query xmlns='http://jabber.org/protocol/muc#owner'><x xmlns='jabber:x:data' type='submit'>"
                + "<field var='muc#roomconfig_membersonly'><value>1</value></field></x></query>");
        muc.take();
        muc.enter(HAG, COVEN + "/thirdwitch");
        assertThat(xml(muc.take())).singleElement().asString().contains("<registration-required");

        muc.iq(CRONE, COVEN, "set", "<query xmlns='http://jabber.org/protocol/muc#admin'>"
                + "<item affiliation='member' jid='hag66@shakespeare.lit' nick='thirdwitch'/></query>");
        // §9.5: a new member of a members-only room is invited.
        assertThat(xml(muc.take())).anySatisfy(s -> assertThat(s).contains("to=\"hag66@shakespeare.lit\"")
                .contains("<invite from=\"crone1@shakespeare.lit\"/>"));
        muc.enter(WICCA, COVEN + "/thirdwitch");
        assertThat(xml(muc.take())).anySatisfy(s -> assertThat(s).contains("<registration-required"));
        muc.enter(HAG, COVEN + "/thirdwitch");
        assertThat(xml(muc.to(HAG))).anySatisfy(s -> assertThat(s).contains("affiliation=\"member\"").contains("code=\"110\""));
    }

    @Test
    void aGroupchatOneJoinGetsTheKickOfSection7_2_16() {
        muc.instantRoom(CRONE, COVEN + "/firstwitch");
        muc.presence(HAG, COVEN + "/thirdwitch", "");
        assertThat(xml(muc.take())).singleElement().asString().contains("type=\"unavailable\"")
                .contains("<status code=\"110\"/>").contains("<status code=\"307\"/>").contains("<status code=\"333\"/>");
    }

    @Test
    void messagesToAllAreReflectedWithTheSendersIdOnlyFromThoseWithVoice() {
        muc.instantRoom(CRONE, COVEN + "/firstwitch");
        muc.enter(HAG, COVEN + "/thirdwitch");
        muc.take();

        muc.message(HAG, COVEN, "groupchat", "<body>Harpier cries: 'tis time, 'tis time.</body>"
                + "<x xmlns='http://jabber.org/protocol/muc#user'><status code='100'/></x>");
        List<String> reflected = xml(muc.take());
        assertThat(reflected).hasSize(2).allSatisfy(s -> assertThat(s).contains("id=\"m1\"")
                .contains("from=\"coven@chat.shakespeare.lit/thirdwitch\"").doesNotContain("status"));

        muc.message(WICCA, COVEN, "groupchat", "<body>I am not here</body>");
        assertThat(xml(muc.take())).singleElement().asString().contains("<not-acceptable"); // §7.4

        muc.iq(CRONE, COVEN, "set", "<query xmlns='http://jabber.org/protocol/muc#admin'>"
                + "<item nick='thirdwitch' role='visitor'/></query>");
        muc.take();
        muc.message(HAG, COVEN, "groupchat", "<body>Silence?</body>");
        assertThat(xml(muc.take())).singleElement().asString().contains("<forbidden"); // §7.4 visitors
    }

    @Test
    void privateMessagesGoToTheOccupantFromTheSendersOccupantJid() {
        muc.instantRoom(CRONE, COVEN + "/firstwitch");
        muc.enter(WICCA, COVEN + "/secondwitch");
        muc.take();

        muc.message(WICCA, COVEN + "/firstwitch", "chat", "<body>I'll give thee a wind.</body>");
        assertThat(xml(muc.take())).singleElement().asString().contains("to=\"crone1@shakespeare.lit/desktop\"")
                .contains("from=\"coven@chat.shakespeare.lit/secondwitch\"")
                .contains("<x xmlns=\"http://jabber.org/protocol/muc#user\"/>");
        muc.message(WICCA, COVEN + "/firstwitch", "groupchat", "<body>I'll give thee a wind.</body>");
        assertThat(xml(muc.take())).singleElement().asString().contains("<bad-request").contains("type=\"modify\"");
        muc.message(WICCA, COVEN + "/hecate", "chat", "<body>Anyone?</body>");
        assertThat(xml(muc.take())).singleElement().asString().contains("<item-not-found");
        muc.message(HAG, COVEN + "/firstwitch", "chat", "<body>Let me in</body>");
        assertThat(xml(muc.take())).singleElement().asString().contains("<not-acceptable");
    }

    @Test
    void changingNicknameSendsUnavailableWith303ThenTheNewPresence() {
        muc.instantRoom(CRONE, COVEN + "/firstwitch");
        muc.enter(HAG, COVEN + "/thirdwitch");
        muc.take();

        muc.presence(HAG, COVEN + "/oldhag", "");
        List<String> toHag = xml(muc.to(HAG));
        List<String> toCrone = xml(muc.to(CRONE));
        assertThat(toHag.get(0)).contains("type=\"unavailable\"").contains("nick=\"oldhag\"")
                .contains("<status code=\"110\"/>").contains("<status code=\"303\"/>");
        assertThat(toHag.get(1)).contains("from=\"coven@chat.shakespeare.lit/oldhag\"").contains("<status code=\"110\"/>");
        assertThat(toCrone.get(0)).contains("from=\"coven@chat.shakespeare.lit/thirdwitch\"").contains("nick=\"oldhag\"")
                .contains("code=\"303\"").contains("jid=\"hag66@shakespeare.lit/pda\"").doesNotContain("code=\"110\"");
        assertThat(toCrone.get(1)).contains("from=\"coven@chat.shakespeare.lit/oldhag\"").doesNotContain("type=");
        muc.take();

        muc.presence(HAG, COVEN + "/FirstWitch", "");
        assertThat(xml(muc.take())).singleElement().asString().contains("<conflict")
                .contains("from=\"coven@chat.shakespeare.lit/FirstWitch\"");
    }

    @Test
    void leavingAndGoingAwayBothRemoveTheOccupant() {
        muc.instantRoom(CRONE, COVEN + "/firstwitch");
        muc.enter(HAG, COVEN + "/thirdwitch");
        muc.enter(WICCA, COVEN + "/secondwitch");
        muc.take();

        muc.service.handle(new org.xmpp.packet.Presence(MucHarness.element("<presence xmlns='jabber:client' from='" + HAG
                + "' to='" + COVEN + "/thirdwitch' type='unavailable' id='bye'><status>gone where the goblins go</status>"
                + "</presence>"), true));
        assertThat(xml(muc.to(HAG))).singleElement().asString().contains("type=\"unavailable\"").contains("id=\"bye\"")
                .contains("role=\"none\"").contains("<status code=\"110\"/>").contains("gone where the goblins go");
        assertThat(xml(muc.to(CRONE))).singleElement().asString().contains("type=\"unavailable\"")
                .doesNotContain("code=\"110\"");
        muc.take();

        muc.service.sessionGone(MucHarness.jid(WICCA));
        assertThat(xml(muc.to(CRONE))).singleElement().asString().contains("from=\"coven@chat.shakespeare.lit/secondwitch\"")
                .contains("type=\"unavailable\"");
        muc.take();
        muc.service.sessionGone(MucHarness.jid(CRONE)); // the last one: the temporary room goes
        assertThat(muc.ctx.rooms().find("coven")).isNull();
    }

    @Test
    void aDeliveryErrorRemovesTheGhostWith333() {
        muc.instantRoom(CRONE, COVEN + "/firstwitch");
        muc.enter(HAG, COVEN + "/thirdwitch");
        muc.take();
        muc.message(HAG, COVEN + "/firstwitch", "error",
                "<error type='cancel'><recipient-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error>");
        assertThat(xml(muc.to(CRONE))).singleElement().asString().contains("from=\"coven@chat.shakespeare.lit/thirdwitch\"")
                .contains("type=\"unavailable\"").contains("<status code=\"333\"/>");
    }

    @Test
    void aUserMayBeInTheRoomFromTwoClientsUnderOneNickname() {
        muc.instantRoom(CRONE, COVEN + "/firstwitch");
        muc.enter(HAG, COVEN + "/thirdwitch");
        muc.take();
        muc.enter("hag66@shakespeare.lit/broom", COVEN + "/thirdwitch");
        assertThat(xml(muc.to("hag66@shakespeare.lit/broom"))).anySatisfy(s -> assertThat(s).contains("code=\"110\""));
        muc.take();

        muc.message(CRONE, COVEN, "groupchat", "<body>Double, double</body>");
        assertThat(muc.to(HAG)).hasSize(1);
        assertThat(muc.to("hag66@shakespeare.lit/broom")).hasSize(1);
        muc.take();

        muc.service.sessionGone(MucHarness.jid(HAG)); // one client goes: the occupant stays
        assertThat(xml(muc.to(CRONE))).noneSatisfy(s -> assertThat(s).contains("type=\"unavailable\""));
        assertThat(muc.ctx.rooms().find("coven").occupant("thirdwitch").sessions())
                .containsExactly(MucHarness.jid("hag66@shakespeare.lit/broom"));
    }

    @Test
    void theRoomAnswersSelfPingsAndForwardsOtherIqsBetweenOccupants() {
        muc.instantRoom(CRONE, COVEN + "/firstwitch");
        muc.enter(HAG, COVEN + "/thirdwitch");
        muc.take();

        muc.iq(HAG, COVEN + "/thirdwitch", "get", "<ping xmlns='urn:xmpp:ping'/>");
        assertThat(xml(muc.take())).singleElement().asString().contains("type=\"result\"").contains("to=\"" + HAG + "\"");
        muc.iq(WICCA, COVEN + "/thirdwitch", "get", "<query xmlns='http://jabber.org/protocol/disco#info'/>");
        assertThat(xml(muc.take())).singleElement().asString().contains("<bad-request"); // §6.6 non-occupant

        muc.iq(HAG, COVEN + "/firstwitch", "get", "<vCard xmlns='vcard-temp'/>");
        assertThat(xml(muc.take())).singleElement().asString().contains("to=\"" + CRONE + "\"")
                .contains("from=\"coven@chat.shakespeare.lit/thirdwitch\"").doesNotContain("hag66");
        muc.iq(CRONE, COVEN + "/thirdwitch", "result", "<vCard xmlns='vcard-temp'><FN>Crone</FN></vCard>");
        assertThat(xml(muc.take())).singleElement().asString().contains("to=\"" + HAG + "\"")
                .contains("from=\"coven@chat.shakespeare.lit/firstwitch\"").contains("<FN>Crone</FN>");
        muc.iq(CRONE, COVEN + "/thirdwitch", "result", "<vCard xmlns='vcard-temp'/>");
        assertThat(muc.take()).isEmpty(); // an answer nobody asked for goes nowhere
    }
}
