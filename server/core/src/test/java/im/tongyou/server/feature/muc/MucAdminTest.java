package im.tongyou.server.feature.muc;

import static im.tongyou.server.feature.muc.MucServiceTest.COVEN;
import static im.tongyou.server.feature.muc.MucServiceTest.CRONE;
import static im.tongyou.server.feature.muc.MucServiceTest.HAG;
import static im.tongyou.server.feature.muc.MucServiceTest.WICCA;
import static im.tongyou.server.feature.muc.MucServiceTest.xml;
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

/** The moderator, admin and owner use cases of XEP-0045 (§8, §9, §10) at the stanza level. */
class MucAdminTest {

    static final String ADMIN_NS = "http://jabber.org/protocol/muc#admin";
    static final String OWNER_NS = "http://jabber.org/protocol/muc#owner";

    @TempDir
    Path dir;
    Database database;
    MucHarness muc;

    @BeforeEach
    void start() {
        database = Database.open(TestDatabases.config(TestDatabases.Kind.H2, dir));
        database.applyChangelog("im/tongyou/server/feature/muc/changelog.xml", getClass().getClassLoader());
        muc = harness();
        muc.instantRoom(CRONE, COVEN + "/firstwitch");
        muc.enter(WICCA, COVEN + "/secondwitch");
        muc.enter(HAG, COVEN + "/thirdwitch");
        muc.take();
    }

    MucHarness harness() {
        return new MucHarness(MucHarness.options(), new MucStore(database.dataSource()),
                Set.of("crone1", "wiccarocks", "hag66", "hecate"));
    }

    @AfterEach
    void stop() {
        database.close();
    }

    void admin(String from, String items) {
        muc.iq(from, COVEN, "set", "<query xmlns='" + ADMIN_NS + "'>" + items + "</query>");
    }

    void configure(String from, String fields) {
        muc.iq(from, COVEN, "set", "<query xmlns='" + OWNER_NS + "'><x xmlns='jabber:x:data' type='submit'>"
                + "<field var='FORM_TYPE'><value>http://jabber.org/protocol/muc#roomconfig</value></field>" + fields
                + "</x></query>");
    }

    static String field(String var, String value) {
        return "<field var='" + var + "'><value>" + value + "</value></field>";
    }

    @Test
    void aKickedOccupantGets307WithTheReasonAndTheOthersSeeItLeave() {
        admin(CRONE, "<item nick='thirdwitch' role='none'><reason>Avaunt, you cullion!</reason></item>");

        List<String> toHag = xml(muc.to(HAG));
        assertThat(toHag).singleElement().asString().contains("type=\"unavailable\"").contains("role=\"none\"")
                .contains("<actor nick=\"firstwitch\"/>").contains("<reason>Avaunt, you cullion!</reason>")
                .contains("<status code=\"110\"/>").contains("<status code=\"307\"/>");
        assertThat(xml(muc.to(WICCA))).singleElement().asString().contains("<status code=\"307\"/>")
                .doesNotContain("code=\"110\"");
        assertThat(xml(muc.to(CRONE))).last().asString().contains("type=\"result\"").contains("id=\"q1\"");
        assertThat(muc.ctx.rooms().find("coven").occupant("thirdwitch")).isNull();
    }

    @Test
    void aBanRemovesTheUserWith301AndKeepsTheReasonOnTheBanList() {
        admin(CRONE, "<item affiliation='outcast' jid='hag66@shakespeare.lit'><reason>Treason</reason></item>");
        assertThat(xml(muc.to(HAG))).singleElement().asString().contains("affiliation=\"outcast\"")
                .contains("<status code=\"301\"/>").contains("<status code=\"110\"/>");
        assertThat(xml(muc.to(WICCA))).singleElement().asString().contains("<status code=\"301\"/>");
        muc.take();

        muc.iq(CRONE, COVEN, "get", "<query xmlns='" + ADMIN_NS + "'><item affiliation='outcast'/></query>");
        assertThat(xml(muc.take())).singleElement().asString()
                .contains("<item affiliation=\"outcast\" jid=\"hag66@shakespeare.lit\"><reason>Treason</reason></item>")
                .doesNotContain("role=");

        admin(CRONE, "<item affiliation='outcast' jid='crone1@shakespeare.lit'/>");
        assertThat(xml(muc.take())).singleElement().asString().contains("<conflict"); // §9.1 banning oneself
        admin(HAG, "<item affiliation='outcast' jid='wiccarocks@shakespeare.lit'/>");
        assertThat(xml(muc.take())).singleElement().asString().contains("<forbidden");
    }

    @Test
    void voiceAndModeratorStatusChangeWithPresenceToAll() {
        admin(CRONE, "<item nick='thirdwitch' role='moderator'/>");
        assertThat(xml(muc.to(WICCA))).singleElement().asString().contains("from=\"coven@chat.shakespeare.lit/thirdwitch\"")
                .contains("role=\"moderator\"");
        muc.take();
        // §9.8 moderator list: nick, role, affiliation and full JID.
        muc.iq(HAG, COVEN, "get", "<query xmlns='" + ADMIN_NS + "'><item role='moderator'/></query>");
        assertThat(xml(muc.take())).singleElement().asString()
                .contains("<item affiliation=\"none\" jid=\"hag66@shakespeare.lit/pda\" nick=\"thirdwitch\" role=\"moderator\"/>")
                .contains("nick=\"firstwitch\"");
        // A mere moderator cannot take voice from an owner (§8.4) nor revoke another's moderation (§9.7).
        admin(HAG, "<item nick='firstwitch' role='visitor'/>");
        assertThat(xml(muc.take())).singleElement().asString().contains("<not-allowed");
        admin(HAG, "<item nick='thirdwitch' role='participant'/><item role='participant' affiliation='member' nick='x'/>");
        assertThat(xml(muc.take())).singleElement().asString().contains("<bad-request"); // §17.4: both in one item
    }

    @Test
    void revokingMembershipOfAMembersOnlyRoomRemovesTheUserWith321() {
        admin(CRONE, "<item affiliation='member' jid='hag66@shakespeare.lit'/>");
        configure(CRONE, field("muc#roomconfig_membersonly", "1"));
        // Wiccarocks, no member, leaves with 322 (§10.2); the others get the change notice 104.
        assertThat(xml(muc.to(WICCA))).anySatisfy(s -> assertThat(s).contains("<status code=\"322\"/>")
                .contains("code=\"110\""));
        assertThat(xml(muc.to(HAG))).anySatisfy(s -> assertThat(s).contains("<status code=\"104\"/>"));
        muc.take();

        admin(CRONE, "<item affiliation='none' jid='hag66@shakespeare.lit'/>");
        List<String> toHag = xml(muc.to(HAG));
        // §9.4: "SHOULD only send the latter": no de-affiliation presence before the removal.
        assertThat(toHag).singleElement().asString().contains("type=\"unavailable\"").contains("<status code=\"321\"/>");
    }

    @Test
    void theLastOwnerCannotStepDownAndAdminsCannotTouchOwners() {
        admin(CRONE, "<item affiliation='admin' jid='crone1@shakespeare.lit'/>");
        assertThat(xml(muc.take())).last().asString().contains("<conflict");
        admin(CRONE, "<item affiliation='admin' jid='wiccarocks@shakespeare.lit'/>");
        assertThat(xml(muc.to(HAG))).singleElement().asString().contains("affiliation=\"admin\"").contains("role=\"moderator\"");
        muc.take();
        admin(WICCA, "<item affiliation='admin' jid='hag66@shakespeare.lit'/>");
        assertThat(xml(muc.take())).singleElement().asString().contains("<forbidden"); // §10.8
        admin(WICCA, "<item affiliation='member' jid='crone1@shakespeare.lit'/>");
        assertThat(xml(muc.take())).singleElement().asString().contains("<not-allowed");
        // A whole set is refused when one item is: hag66 stays unaffiliated.
        admin(WICCA, "<item affiliation='member' jid='hag66@shakespeare.lit'/><item affiliation='none' jid='crone1@shakespeare.lit'/>");
        assertThat(xml(muc.take())).singleElement().asString().contains("<not-allowed");
        assertThat(muc.ctx.rooms().find("coven").affiliationOf(MucHarness.jid(HAG))).isEqualTo(Affiliation.NONE);

        admin(CRONE, "<item affiliation='owner' jid='hecate@shakespeare.lit'/>");
        muc.take();
        admin(CRONE, "<item affiliation='member' jid='crone1@shakespeare.lit'/>"); // another owner exists now
        assertThat(xml(muc.to(WICCA))).singleElement().asString().contains("from=\"coven@chat.shakespeare.lit/firstwitch\"")
                .contains("affiliation=\"member\"").contains("role=\"participant\"");
    }

    @Test
    void theConfigurationFormHasTheStandardFieldsAndOnlyOwnersSeeIt() {
        muc.iq(HAG, COVEN, "get", "<query xmlns='" + OWNER_NS + "'/>");
        assertThat(xml(muc.take())).singleElement().asString().contains("<forbidden");

        muc.iq(CRONE, COVEN, "get", "<query xmlns='" + OWNER_NS + "'/>");
        String form = xml(muc.take()).get(0);
        for (String var : List.of("FORM_TYPE", "muc#roomconfig_roomname", "muc#roomconfig_roomdesc",
                "muc#roomconfig_persistentroom", "muc#roomconfig_publicroom", "muc#roomconfig_membersonly",
                "muc#roomconfig_moderatedroom", "muc#roomconfig_passwordprotectedroom", "muc#roomconfig_roomsecret",
                "muc#roomconfig_whois", "muc#roomconfig_maxusers", "muc#roomconfig_changesubject",
                "muc#roomconfig_allowinvites", "muc#roomconfig_allowpm", "muc#roomconfig_presencebroadcast",
                "muc#roomconfig_getmemberlist", "muc#maxhistoryfetch", "muc#roomconfig_lang")) {
            assertThat(form).contains("var=\"" + var + "\"");
        }
        assertThat(form).doesNotContain("enablelogging"); // a room's messages are never logged

        configure(CRONE, field("muc#roomconfig_passwordprotectedroom", "1"));
        assertThat(xml(muc.take())).singleElement().asString().contains("<not-acceptable"); // §10.1.3 blank password
        configure(CRONE, field("muc#roomconfig_maxusers", "100000"));
        assertThat(xml(muc.take())).singleElement().asString().contains("<not-acceptable");

        configure(CRONE, field("muc#roomconfig_whois", "anyone"));
        // §10.2.1: 172 when the room becomes non-anonymous.
        assertThat(xml(muc.to(HAG))).singleElement().asString().contains("<status code=\"172\"/>")
                .contains("from=\"coven@chat.shakespeare.lit\"");
        muc.take();
        configure(CRONE, field("muc#roomconfig_roomname", "A Dark Cave"));
        assertThat(xml(muc.to(HAG))).singleElement().asString().contains("<status code=\"104\"/>");
    }

    @Test
    void destroyingTheRoomTellsEveryoneTheAlternateVenue() {
        muc.iq(HAG, COVEN, "set", "<query xmlns='" + OWNER_NS + "'><destroy/></query>");
        assertThat(xml(muc.take())).singleElement().asString().contains("<forbidden");

        muc.iq(CRONE, COVEN, "set", "<query xmlns='" + OWNER_NS + "'><destroy jid='heath@chat.shakespeare.lit'>"
                + "<reason>Macbeth doth come.</reason></destroy></query>");
        assertThat(xml(muc.to(HAG))).singleElement().asString().contains("type=\"unavailable\"")
                .contains("<item affiliation=\"none\" role=\"none\"/>")
                .contains("<destroy jid=\"heath@chat.shakespeare.lit\"><reason>Macbeth doth come.</reason></destroy>");
        assertThat(xml(muc.to(CRONE))).last().asString().contains("type=\"result\"");
        assertThat(muc.ctx.rooms().find("coven")).isNull();
    }

    @Test
    void invitationsAreMediatedAndDeclinesGoBack() {
        muc.message(HAG, COVEN, null, "<x xmlns='http://jabber.org/protocol/muc#user'><invite to='hecate@shakespeare.lit'>"
                + "<reason>Hey Hecate, this is the place for all good witches!</reason></invite></x>");
        assertThat(xml(muc.take())).singleElement().asString().contains("to=\"hecate@shakespeare.lit\"")
                .contains("from=\"coven@chat.shakespeare.lit\"").contains("<invite from=\"hag66@shakespeare.lit\">")
                .contains("Hey Hecate");
        muc.message(HAG, COVEN, null, "<x xmlns='http://jabber.org/protocol/muc#user'><invite to='banquo@shakespeare.lit'/></x>");
        assertThat(xml(muc.take())).singleElement().asString().contains("<item-not-found"); // no such user

        muc.message("hecate@shakespeare.lit/broom", COVEN, null, "<x xmlns='http://jabber.org/protocol/muc#user'>"
                + "<decline to='hag66@shakespeare.lit'><reason>Sorry, I'm too busy right now.</reason></decline></x>");
        assertThat(xml(muc.take())).singleElement().asString().contains("to=\"hag66@shakespeare.lit\"")
                .contains("<decline from=\"hecate@shakespeare.lit\"><reason>Sorry, I'm too busy right now.</reason>");
    }

    @Test
    void aVisitorAsksForVoiceAndAModeratorGrantsIt() {
        configure(CRONE, field("muc#roomconfig_moderatedroom", "1"));
        admin(CRONE, "<item nick='thirdwitch' role='visitor'/>");
        muc.take();

        muc.message(HAG, COVEN, null, "<x xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE'>"
                + "<value>http://jabber.org/protocol/muc#request</value></field>"
                + "<field var='muc#role' type='list-single'><value>participant</value></field></x>");
        assertThat(xml(muc.to(CRONE))).singleElement().asString().contains("type=\"form\"")
                .contains("<value>thirdwitch</value>").contains("var=\"muc#request_allow\"");
        assertThat(muc.to(HAG)).isEmpty();
        muc.take();

        muc.message(CRONE, COVEN, null, "<x xmlns='jabber:x:data' type='submit'>"
                + field("FORM_TYPE", "http://jabber.org/protocol/muc#request") + field("muc#role", "participant")
                + field("muc#roomnick", "thirdwitch") + field("muc#request_allow", "true") + "</x>");
        assertThat(xml(muc.to(HAG))).singleElement().asString().contains("role=\"participant\"");
    }

    @Test
    void aPersistentRoomSurvivesARestartWithItsAffiliationsButNotItsMessages() {
        configure(CRONE, field("muc#roomconfig_persistentroom", "1") + field("muc#roomconfig_roomname", "A Dark Cave"));
        admin(CRONE, "<item affiliation='admin' jid='wiccarocks@shakespeare.lit'/>"
                + "<item affiliation='outcast' jid='hecate@shakespeare.lit'><reason>Too powerful</reason></item>");
        muc.message(CRONE, COVEN, "groupchat", "<subject>Spells</subject>");
        muc.message(CRONE, COVEN, "groupchat", "<body>A secret never written down</body>");
        for (String who : List.of(CRONE, WICCA, HAG)) {
            muc.service.sessionGone(MucHarness.jid(who));
        }
        assertThat(muc.ctx.rooms().find("coven")).isNotNull(); // persistent: kept though empty

        MucHarness restarted = harness();
        Room room = restarted.ctx.rooms().find("coven");
        assertThat(room.displayName()).isEqualTo("A Dark Cave");
        assertThat(room.affiliationOf(MucHarness.jid(CRONE))).isEqualTo(Affiliation.OWNER);
        assertThat(room.affiliationOf(MucHarness.jid(WICCA))).isEqualTo(Affiliation.ADMIN);
        assertThat(room.entry("hecate@shakespeare.lit").reason()).isEqualTo("Too powerful");
        assertThat(room.subject().text()).isEqualTo("Spells");
        assertThat(room.history().size()).isZero();
        restarted.enter(HAG, COVEN + "/thirdwitch");
        assertThat(xml(restarted.to(HAG))).noneSatisfy(s -> assertThat(s).contains("A secret never written down"));
    }
}
