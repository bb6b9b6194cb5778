package im.tongyou.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.jivesoftware.smack.StanzaCollector;
import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.filter.AndFilter;
import org.jivesoftware.smack.filter.FromMatchesFilter;
import org.jivesoftware.smack.filter.StanzaTypeFilter;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.packet.PresenceBuilder;
import org.jivesoftware.smack.packet.StandardExtensionElement;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.roster.RosterUtil;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.vcardtemp.VCardManager;
import org.jivesoftware.smackx.vcardtemp.packet.VCard;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.impl.JidCreate;

/**
 * Juliet's vCard and profile with real rosters: Romeo, her contact, sees her card but never her
 * birthday; Benvolio, who is not her contact, sees nothing until she opens her profile to
 * everyone; her avatar's hash travels in her presence (XEP-0153).
 */
class VCardProfileE2ETest {

    @RegisterExtension
    static TongyouServerExtension server = TongyouServerExtension.create();

    static final String DOMAIN = TongyouServerExtension.DOMAIN;
    static final byte[] AVATAR = "\u0089PNG\r\n a rose by any other name".getBytes(StandardCharsets.ISO_8859_1);

    @BeforeAll
    static void users() throws Exception {
        for (String user : List.of("romeo", "juliet", "benvolio", "nurse", "paris")) {
            server.createUser(user, user + "-secret");
        }
    }

    static XMPPTCPConnection login(String user) throws Exception {
        return server.login(user, user + "-secret");
    }

    static EntityBareJid jid(String user) throws Exception {
        return JidCreate.entityBareFrom(user + "@" + DOMAIN);
    }

    static XMPPException.XMPPErrorException errorOf(ThrowingCall call) {
        try {
            call.run();
        } catch (XMPPException.XMPPErrorException e) {
            return e;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("no error");
    }

    interface ThrowingCall {
        void run() throws Exception;
    }

    @Test
    void aContactSeesTheCardButNeverTheBirthday() throws Exception {
        XMPPTCPConnection juliet = login("juliet");
        XMPPTCPConnection romeo = login("romeo");
        RosterUtil.ensureSubscribedTo(romeo, juliet, 10_000); // Romeo receives Juliet's presence: her contact
        VCard card = new VCard();
        card.setNickName("朱丽叶");
        card.setField("BDAY", "2000-07-31");
        card.setFirstName("Juliet");
        card.setLastName("Capulet");
        VCardManager.getInstanceFor(juliet).saveVCard(card);

        VCard seen = VCardManager.getInstanceFor(romeo).loadVCard(jid("juliet"));
        assertThat(seen.getNickName()).isEqualTo("朱丽叶");
        assertThat(seen.getLastName()).isEqualTo("Capulet");
        assertThat(seen.getField("BDAY")).isNull();

        VCard own = VCardManager.getInstanceFor(juliet).loadVCard();
        assertThat(own.getField("BDAY")).isEqualTo("2000-07-31");
    }

    @Test
    void aNonContactSeesNothingUntilTheProfileIsOpenToEveryone() throws Exception {
        XMPPTCPConnection nurse = login("nurse");
        VCard card = new VCard();
        card.setNickName("Angelica");
        card.setField("BDAY", "1960-08-01");
        card.setPhoneHome("VOICE", "+86 138 0000 0001");
        VCardManager.getInstanceFor(nurse).saveVCard(card);

        XMPPTCPConnection benvolio = login("benvolio");
        VCardManager cards = VCardManager.getInstanceFor(benvolio);
        assertThat(errorOf(() -> cards.loadVCard(jid("nurse"))).getStanzaError().getCondition())
                .isEqualTo(StanzaError.Condition.service_unavailable);
        try (RawXmppClient raw = server.raw()) {
            raw.login("benvolio", "benvolio-secret", "raw");
            raw.send("<iq type='get' id='pr1' to='nurse@" + DOMAIN + "'><profile xmlns='urn:tongyou:profile:0'/></iq>");
            assertThat(raw.readUntil("</iq>")).contains("type=\"error\"").contains("<service-unavailable")
                    .doesNotContain("Angelica");
        }

        try (RawXmppClient raw = server.raw()) {
            raw.login("nurse", "nurse-secret", "raw");
            raw.send("<iq type='set' id='open'><profile xmlns='urn:tongyou:profile:0'>"
                    + "<visibility>everyone</visibility><gender>female</gender></profile></iq>");
            assertThat(raw.readUntil("id=\"open\"")).contains("type=\"result\""); // an empty <iq/> result
        }
        VCard open = cards.loadVCard(jid("nurse"));
        assertThat(open.getNickName()).isEqualTo("Angelica");
        assertThat(open.getField("BDAY")).isNull();
        assertThat(open.getPhoneHome("VOICE")).isNull();
        try (RawXmppClient raw = server.raw()) {
            raw.login("benvolio", "benvolio-secret", "raw2");
            raw.send("<iq type='get' id='pr2' to='nurse@" + DOMAIN + "'><profile xmlns='urn:tongyou:profile:0'/></iq>");
            assertThat(raw.readUntil("</iq>")).contains("type=\"result\"").contains("<nickname>Angelica</nickname>")
                    .contains("<gender>female</gender>").doesNotContain("1960").doesNotContain("visibility");
        }
    }

    @Test
    void aVCardSetForAnotherUserIsForbidden() throws Exception {
        XMPPTCPConnection juliet = login("juliet");
        VCard mine = new VCard();
        mine.setNickName("Jules");
        VCardManager.getInstanceFor(juliet).saveVCard(mine);

        try (RawXmppClient paris = server.raw()) {
            paris.login("paris", "paris-secret", "raw");
            paris.send("<iq type='set' id='forge' to='juliet@" + DOMAIN + "'><vCard xmlns='vcard-temp'>"
                    + "<NICKNAME>Paris's bride</NICKNAME></vCard></iq>");
            assertThat(paris.readUntil("</iq>")).contains("id=\"forge\"").contains("type=\"error\"")
                    .contains("<forbidden");
        }
        assertThat(VCardManager.getInstanceFor(juliet).loadVCard().getNickName()).isEqualTo("Jules");
    }

    @Test
    void theAvatarHashTravelsInPresenceAfterSettingAPhoto() throws Exception {
        XMPPTCPConnection juliet = login("juliet");
        XMPPTCPConnection romeo = login("romeo");
        RosterUtil.ensureSubscribedTo(romeo, juliet, 10_000);
        VCard card = new VCard();
        card.setNickName("朱丽叶");
        card.setAvatar(AVATAR, "image/png");
        VCardManager.getInstanceFor(juliet).saveVCard(card);
        StanzaCollector presences = romeo.createStanzaCollector(new AndFilter(StanzaTypeFilter.PRESENCE,
                FromMatchesFilter.createFull(juliet.getUser())));

        juliet.sendStanza(PresenceBuilder.buildPresence().setStatus("on the balcony").build());

        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(AVATAR));
        Presence seen;
        do {
            seen = presences.nextResult(10_000);
            assertThat(seen).as("Juliet's presence with her status").isNotNull();
        } while (!"on the balcony".equals(seen.getStatus()));
        StandardExtensionElement update = (StandardExtensionElement) seen.getExtensionElement("x", "vcard-temp:x:update");
        assertThat(update).isNotNull();
        assertThat(update.getFirstElement("photo").getText()).isEqualTo(expected);
        assertThat(seen.toXML().toString()).doesNotContain("BDAY").doesNotContain("birthday");
    }
}
