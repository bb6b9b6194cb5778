package im.tongyou.server.feature.vcard;

import static org.assertj.core.api.Assertions.assertThat;

import im.tongyou.api.StanzaErrorException;
import im.tongyou.api.Verdict;
import im.tongyou.server.feature.FeatureDatabase;
import im.tongyou.server.feature.StoredXml;
import im.tongyou.server.feature.TestClock;
import im.tongyou.server.storage.TestDatabases;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import org.dom4j.Element;
import org.dom4j.QName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.xmpp.packet.IQ;
import org.xmpp.packet.PacketError;
import org.xmpp.packet.Presence;

/** vCards, profiles and avatar hashes on real databases, with Romeo as Juliet's only contact. */
class VCardTest {

    static final byte[] IMAGE = "\u0089PNG a very small rose".getBytes(StandardCharsets.ISO_8859_1);
    static final String IMAGE_SHA1;

    static {
        try {
            IMAGE_SHA1 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(IMAGE));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @TempDir
    Path dir;
    FeatureDatabase db;
    VCardStore store;
    VCardIqHandler vcards;
    ProfileIqHandler profiles;
    AvatarInterceptor avatars;

    void open(TestDatabases.Kind kind) {
        TestClock clock = new TestClock(Instant.parse("2026-11-29T08:00:00Z"));
        db = FeatureDatabase.open(kind, dir, clock, "im/tongyou/server/feature/vcard/changelog.xml");
        store = new VCardStore(db.dataSource(), db.crypto(), clock);
        ProfileAccess access = new ProfileAccess(new ProfileSpecTest.OneContact(), "tongyou.example");
        vcards = new VCardIqHandler(store, access, 4096);
        profiles = new ProfileIqHandler(store, access, clock);
        avatars = new AvatarInterceptor(store, "tongyou.example");
    }

    @AfterEach
    void close() {
        if (db != null) {
            db.close();
        }
    }

    static IQ iq(String from, String to, String type, String payload) {
        return new IQ(StoredXml.parse("<iq xmlns='jabber:client' id='t1' type='" + type + "' from='" + from + "'"
                + (to == null ? "" : " to='" + to + "'") + ">" + payload + "</iq>"), true);
    }

    static final String JULIET = "juliet@tongyou.example/balcony";
    static final String ROMEO = "romeo@tongyou.example/orchard";
    static final String BENVOLIO = "benvolio@tongyou.example/square";

    static final String FULL_VCARD = "<vCard xmlns='vcard-temp'><FN>Juliet Capulet</FN><NICKNAME>Jules</NICKNAME>"
            + "<BDAY>2000-07-31</BDAY><TEL><HOME/><VOICE/><NUMBER>+86 138 0000 0000</NUMBER></TEL>"
            + "<EMAIL><INTERNET/><USERID>juliet@capulet.example</USERID></EMAIL>"
            + "<ADR><HOME/><STREET>Via Cappello 23</STREET><LOCALITY>Verona</LOCALITY><REGION>Veneto</REGION>"
            + "<CTRY>Italy</CTRY></ADR><PHOTO><TYPE>image/png</TYPE><BINVAL>"
            + Base64.getMimeEncoder().encodeToString(IMAGE) + "</BINVAL></PHOTO></vCard>";

    static PacketError.Condition condition(Call call) {
        try {
            call.run();
        } catch (StanzaErrorException e) {
            return e.condition();
        }
        return null;
    }

    interface Call {
        void run() throws StanzaErrorException;
    }

    Element vcardAs(String viewer) throws StanzaErrorException {
        return vcards.getOther(iq(viewer, "juliet@tongyou.example", "get", "<vCard xmlns='vcard-temp'/>")).getChildElement();
    }

    @ParameterizedTest
    @MethodSource("im.tongyou.server.storage.TestDatabases#available")
    void eachViewerSeesWhatTheRulesAllowAndTheCardIsEncryptedAtRest(TestDatabases.Kind kind) throws Exception {
        open(kind);
        vcards.setOwn(iq(JULIET, null, "set", FULL_VCARD));

        Element own = vcards.getOwn(iq(JULIET, null, "get", "<vCard xmlns='vcard-temp'/>")).getChildElement();
        assertThat(VCardElement.field(own, "BDAY")).isEqualTo("2000-07-31");
        Element contact = vcardAs(ROMEO);
        assertThat(VCardElement.field(contact, "BDAY")).isNull();
        assertThat(VCardElement.field(contact, "NICKNAME")).isEqualTo("Jules");
        assertThat(contact.element("TEL")).isNotNull();
        assertThat(condition(() -> vcardAs(BENVOLIO))).isEqualTo(PacketError.Condition.service_unavailable);

        profiles.setOwn(iq(JULIET, null, "set", "<profile xmlns='urn:tongyou:profile:0'><visibility>everyone</visibility></profile>"));
        Element stranger = vcardAs(BENVOLIO);
        assertThat(stranger.elements()).extracting(Element::getName).containsExactly("FN", "NICKNAME", "ADR", "PHOTO");
        assertThat(stranger.element("ADR").elements()).extracting(Element::getName).containsExactly("HOME", "REGION", "CTRY");
        assertThat(stranger.asXML()).doesNotContain("2000-07-31").doesNotContain("138").doesNotContain("Cappello")
                .doesNotContain("capulet.example");

        assertThat(db.cells("vcard_user")).noneMatch(c -> c.contains("2000-07-31") || c.contains("Jules")
                || c.contains("Cappello"));
    }

    @ParameterizedTest
    @MethodSource("im.tongyou.server.storage.TestDatabases#available")
    void noVCardIsEmptyForTheOwnerAndServiceUnavailableForOthers(TestDatabases.Kind kind) throws Exception {
        open(kind);
        assertThat(vcards.getOwn(iq(JULIET, null, "get", "<vCard xmlns='vcard-temp'/>")).getChildElement().elements()).isEmpty();
        assertThat(condition(() -> vcardAs(ROMEO))).isEqualTo(PacketError.Condition.service_unavailable);
        assertThat(condition(() -> profiles.getOther(iq(ROMEO, "juliet@tongyou.example", "get",
                "<profile xmlns='urn:tongyou:profile:0'/>")))).isEqualTo(PacketError.Condition.service_unavailable);
    }

    @ParameterizedTest
    @MethodSource("im.tongyou.server.storage.TestDatabases#available")
    void badSetsAreRefused(TestDatabases.Kind kind) {
        open(kind);
        assertThat(condition(() -> vcards.setOther(iq(ROMEO, "juliet@tongyou.example", "set", FULL_VCARD))))
                .isEqualTo(PacketError.Condition.forbidden);
        assertThat(condition(() -> vcards.setOwn(iq(JULIET, null, "set", "<vCard xmlns='vcard-temp'><DESC>"
                + "x".repeat(5000) + "</DESC></vCard>")))).isEqualTo(PacketError.Condition.not_acceptable);
        assertThat(condition(() -> vcards.setOwn(iq(JULIET, null, "set", "<vCard xmlns='vcard-temp'><PHOTO>"
                + "<BINVAL>not base64!</BINVAL></PHOTO></vCard>")))).isEqualTo(PacketError.Condition.bad_request);
        String p = "<profile xmlns='urn:tongyou:profile:0'>%s</profile>";
        for (String bad : new String[] {"<birthday>2027-01-01</birthday>", "<birthday>1899-12-31</birthday>",
                "<birthday>31/07/2000</birthday>", "<gender>f</gender>", "<visibility>friends</visibility>"}) {
            assertThat(condition(() -> profiles.setOwn(iq(JULIET, null, "set", p.formatted(bad))))).as(bad)
                    .isEqualTo(PacketError.Condition.bad_request);
        }
        assertThat(condition(() -> profiles.setOwn(iq(JULIET, null, "set", p.formatted("<nickname>" + "名".repeat(65)
                + "</nickname>"))))).isEqualTo(PacketError.Condition.not_acceptable);
        assertThat(store.get("juliet")).isEqualTo(VCardStore.Entry.NONE);
    }

    @ParameterizedTest
    @MethodSource("im.tongyou.server.storage.TestDatabases#available")
    void theProfileEditsTheVCardAndKeepsTheRestOfIt(TestDatabases.Kind kind) throws Exception {
        open(kind);
        vcards.setOwn(iq(JULIET, null, "set", FULL_VCARD));
        profiles.setOwn(iq(JULIET, null, "set", "<profile xmlns='urn:tongyou:profile:0'><nickname>朱丽叶</nickname>"
                + "<birthday/><region>浙江</region><gender>female</gender></profile>"));

        Element own = vcards.getOwn(iq(JULIET, null, "get", "<vCard xmlns='vcard-temp'/>")).getChildElement();
        assertThat(VCardElement.field(own, "NICKNAME")).isEqualTo("朱丽叶");
        assertThat(VCardElement.field(own, "BDAY")).isNull();
        assertThat(VCardElement.region(own)).isEqualTo("浙江");
        assertThat(own.element("ADR").elementText("STREET")).isEqualTo("Via Cappello 23");
        assertThat(own.element("PHOTO")).isNotNull();
        assertThat(store.photoHash("juliet")).hasValue(IMAGE_SHA1);
        ProfileElement mine = ProfileElement.from(profiles.getOwn(iq(JULIET, null, "get",
                "<profile xmlns='urn:tongyou:profile:0'/>")).getChildElement());
        assertThat(mine).isEqualTo(new ProfileElement("朱丽叶", "female", null, "浙江", "contacts"));

        // A vCard set replaces the card: the profile follows, gender and visibility stay.
        vcards.setOwn(iq(JULIET, null, "set", "<vCard xmlns='vcard-temp'><NICKNAME>J</NICKNAME></vCard>"));
        assertThat(ProfileElement.from(profiles.getOwn(iq(JULIET, null, "get",
                "<profile xmlns='urn:tongyou:profile:0'/>")).getChildElement()))
                .isEqualTo(new ProfileElement("J", "female", null, null, "contacts"));
        assertThat(store.photoHash("juliet")).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("im.tongyou.server.storage.TestDatabases#available")
    void exportHasTheBirthdayAndEraseIsIdempotent(TestDatabases.Kind kind) throws Exception {
        open(kind);
        vcards.setOwn(iq(JULIET, null, "set", FULL_VCARD));
        profiles.setOwn(iq(JULIET, null, "set", "<profile xmlns='urn:tongyou:profile:0'><gender>female</gender></profile>"));

        Map<String, Object> export = new VCardSubjectData(store).export("juliet");
        assertThat((String) export.get("vcard")).contains("<BDAY>2000-07-31</BDAY>");
        assertThat(export).containsEntry("gender", "female").containsEntry("visibility", "contacts");
        new VCardSubjectData(store).erase("juliet");
        new VCardSubjectData(store).erase("juliet");
        assertThat(store.get("juliet")).isEqualTo(VCardStore.Entry.NONE);
        assertThat(store.photoHash("juliet")).isEmpty();
    }

    static Presence presence(String xml) {
        return new Presence(StoredXml.parse(xml), true);
    }

    static String photo(Presence p) {
        Element x = p.getElement().element(QName.get("x", AvatarInterceptor.NS));
        return x == null || x.element("photo") == null ? null : x.elementText("photo");
    }

    @ParameterizedTest
    @MethodSource("im.tongyou.server.storage.TestDatabases#available")
    void theAvatarHashGoesIntoAvailablePresence(TestDatabases.Kind kind) throws Exception {
        open(kind);
        Presence before = presence("<presence xmlns='jabber:client' from='" + JULIET + "'/>");
        avatars.intercept(before);
        assertThat(photo(before)).isEmpty(); // no vCard: an empty <photo/>

        vcards.setOwn(iq(JULIET, null, "set", FULL_VCARD));
        Presence plain = presence("<presence xmlns='jabber:client' from='" + JULIET + "'><show>away</show></presence>");
        assertThat(avatars.intercept(plain)).isEqualTo(Verdict.CONTINUE);
        assertThat(photo(plain)).isEqualTo(IMAGE_SHA1);

        Presence notReady = presence("<presence xmlns='jabber:client' from='" + JULIET + "'>"
                + "<x xmlns='vcard-temp:x:update'/></presence>");
        avatars.intercept(notReady);
        assertThat(photo(notReady)).isEqualTo(IMAGE_SHA1);

        Presence stale = presence("<presence xmlns='jabber:client' from='" + JULIET + "'>"
                + "<x xmlns='vcard-temp:x:update'><photo>0123</photo></x></presence>");
        avatars.intercept(stale);
        assertThat(photo(stale)).isEqualTo(IMAGE_SHA1);
        assertThat(stale.getElement().elements(QName.get("x", AvatarInterceptor.NS))).hasSize(1);

        Presence noAvatar = presence("<presence xmlns='jabber:client' from='" + JULIET + "'>"
                + "<x xmlns='vcard-temp:x:update'><photo/></x></presence>");
        avatars.intercept(noAvatar);
        assertThat(photo(noAvatar)).isEmpty(); // the client's choice (XEP-0398 §5)

        for (String other : new String[] {"<presence xmlns='jabber:client' type='unavailable' from='" + JULIET + "'/>",
                "<presence xmlns='jabber:client' type='subscribe' from='" + JULIET + "' to='romeo@tongyou.example'/>",
                "<presence xmlns='jabber:client' from='juliet@elsewhere.example/x'/>"}) {
            Presence p = presence(other);
            avatars.intercept(p);
            assertThat(photo(p)).as(other).isNull();
        }
        Presence fromRomeo = presence("<presence xmlns='jabber:client' from='" + ROMEO + "'/>");
        avatars.intercept(fromRomeo);
        assertThat(photo(fromRomeo)).isEmpty();
    }
}
