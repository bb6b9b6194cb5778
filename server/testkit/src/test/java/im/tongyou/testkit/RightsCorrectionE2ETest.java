package im.tongyou.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import im.tongyou.api.privacy.AuditLog;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dom4j.Element;
import org.dom4j.QName;
import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.commands.AdHocCommand;
import org.jivesoftware.smackx.commands.AdHocCommandManager;
import org.jivesoftware.smackx.commands.AdHocCommandNote;
import org.jivesoftware.smackx.commands.AdHocCommandResult;
import org.jivesoftware.smackx.vcardtemp.VCardManager;
import org.jivesoftware.smackx.xdata.form.FillableForm;
import org.jivesoftware.smackx.xdata.packet.DataForm;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jxmpp.jid.impl.JidCreate;

/**
 * Correction requests of {@code xeps/tongyou-rights.md} §3.5-3.7 (PIPL art. 46, R-DSR-2, AC-26),
 * with real Smack clients: Romeo corrects his nickname, region and a mistyped birthday and sees the
 * corrected values at once; Mercutio's bad corrections get the profile spec's errors and change
 * nothing; Benvolio's birthday across the under-14 line and his description of other data wait for
 * the Prince, who lists them, applies the first (Benvolio's session ends so the age check runs
 * again at login) and refuses the second with a reason that Benvolio sees with the complaint channel.
 */
class RightsCorrectionE2ETest {

    static final String NS = "urn:tongyou:rights:0";
    static final String PROFILE = "urn:tongyou:profile:0";
    static final MutableClock clock = new MutableClock(Instant.parse("2026-11-29T08:00:00Z"));

    @RegisterExtension
    static TongyouServerExtension server = TongyouServerExtension.builder()
            .clock(clock)
            .set("server.domain", "localhost")
            .set("server.admin-jids", "prince@localhost")
            .set("plugins.register.mode", "phone")
            .build();

    @BeforeAll
    static void users() throws Exception {
        server.createUser("prince", "escalus-secret");
        server.createUser("mercutio", "queen-mab-secret");
        register("romeo", "13800000001", "2001-05-17");
        register("benvolio", "13800000003", "2000-03-01");
    }

    private static void register(String name, String phone, String birthday) throws Exception {
        try (RawRegistration reg = RawRegistration.open(server)) {
            assertThat(reg.requestCode(phone).attributeValue("type")).isEqualTo("result");
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("username", name);
            fields.put("password", name + "-secret");
            fields.put("phone", phone);
            fields.put("sms-code", RawRegistration.lastCode(server.dataDir(), "+86" + phone));
            fields.put("birthday", birthday);
            fields.put("accept-policy", "1");
            fields.put("policy-version", "V4.2.7");
            Element done = reg.submit(fields);
            assertThat(done.attributeValue("type")).as(done.asXML()).isEqualTo("result");
        }
    }

    private static Element correct(XMPPTCPConnection c, String content) throws Exception {
        Element reply = XmlIq.request(c, new XmlIq(IQ.Type.set, null, "correction", NS, "", content));
        return reply.element(QName.get("request", NS));
    }

    private static List<Element> requests(XMPPTCPConnection c) throws Exception {
        return XmlIq.request(c, new XmlIq(IQ.Type.get, null, "requests", NS, "", "")).elements(QName.get("request", NS));
    }

    private static Element profile(XMPPTCPConnection c) throws Exception {
        return XmlIq.request(c, new XmlIq(IQ.Type.get, null, "profile", PROFILE, "", ""));
    }

    @SuppressWarnings("unchecked")
    private static String registeredBirthday(String user) {
        return (String) ((Map<String, Object>) server.server().subjectData().exportAll(user).get("register")).get("birthday");
    }

    @Test
    void romeoCorrectsHisProfileAndSeesTheCorrectedValuesAtOnce() throws Exception {
        XMPPTCPConnection romeo = server.login("romeo", "romeo-secret");
        Element request = correct(romeo, "<nickname>罗密欧</nickname><region>Verona</region>"
                + "<birthday>2001-05-19</birthday>");
        assertThat(request.attributeValue("kind")).isEqualTo("correction");
        assertThat(request.attributeValue("received")).isEqualTo(clock.instant().toString());
        assertThat(request.attributeValue("verified")).isEqualTo(clock.instant().toString());
        assertThat(request.attributeValue("responded")).isEqualTo(clock.instant().toString());
        // 5 PRC working days, at most 7 days (WorkingCalendarTest has the cases).
        assertThat(request.attributeValue("deadline")).isEqualTo(
                im.tongyou.server.privacy.WorkingCalendar.official().replyDeadline(clock.instant()).toString());
        assertThat(request.attributeValue("outcome")).isEqualTo("done");

        Element own = profile(romeo);
        assertThat(own.elementText(QName.get("nickname", PROFILE))).isEqualTo("罗密欧");
        assertThat(own.elementText(QName.get("region", PROFILE))).isEqualTo("Verona");
        assertThat(VCardManager.getInstanceFor(romeo).loadVCard().getNickName()).isEqualTo("罗密欧");
        // The birthday stays on the same side of every age line: the registered one (the age gate) is corrected.
        assertThat(registeredBirthday("romeo")).isEqualTo("2001-05-19");
        assertThat(requests(romeo)).extracting(e -> e.attributeValue("id")).contains(request.attributeValue("id"));
        assertThat(server.server().audit().forSubject("romeo")).extracting(AuditLog.Entry::action)
                .contains("rights.correction.done");
    }

    @Test
    void badCorrectionsGetTheProfileErrorsAndChangeNothing() throws Exception {
        XMPPTCPConnection mercutio = server.login("mercutio", "queen-mab-secret");
        correct(mercutio, "<nickname>Mercutio</nickname>");
        int before = requests(mercutio).size();

        assertError(mercutio, "<birthday>2001-02-30</birthday>", StanzaError.Condition.bad_request, "invalid-birthday");
        assertError(mercutio, "<birthday>2999-01-01</birthday>", StanzaError.Condition.bad_request, "invalid-birthday");
        assertError(mercutio, "<gender>unknown</gender>", StanzaError.Condition.bad_request, "invalid-gender");
        assertError(mercutio, "<nickname>" + "m".repeat(65) + "</nickname>", StanzaError.Condition.not_acceptable, null);
        assertError(mercutio, "<email>mab@example.com</email>", StanzaError.Condition.bad_request, null);
        assertError(mercutio, "<nickname/>", StanzaError.Condition.bad_request, null);
        assertError(mercutio, "", StanzaError.Condition.bad_request, null);
        assertError(mercutio, "<nickname>Queen Mab</nickname><gender>fairy</gender>", StanzaError.Condition.bad_request,
                "invalid-gender");
        assertThatThrownBy(() -> XmlIq.request(mercutio, new XmlIq(IQ.Type.get, null, "correction", NS, "", "")))
                .isInstanceOfSatisfying(XMPPException.XMPPErrorException.class, e -> assertThat(
                        e.getStanzaError().getCondition()).isEqualTo(StanzaError.Condition.service_unavailable));

        assertThat(requests(mercutio)).as("no request was recorded").hasSize(before);
        assertThat(profile(mercutio).elementText(QName.get("nickname", PROFILE))).as("nothing changed")
                .isEqualTo("Mercutio");
    }

    private static void assertError(XMPPTCPConnection c, String content, StanzaError.Condition condition,
                                    String profileCondition) {
        assertThatThrownBy(() -> correct(c, content)).as(content)
                .isInstanceOfSatisfying(XMPPException.XMPPErrorException.class, e -> {
                    assertThat(e.getStanzaError().getCondition()).isEqualTo(condition);
                    if (profileCondition != null) {
                        assertThat((Object) e.getStanzaError().getExtension(profileCondition, PROFILE)).as(profileCondition).isNotNull();
                    }
                });
    }

    @Test
    void aBirthdayAcrossTheAgeLineAndOtherDataWaitForStaff() throws Exception {
        XMPPTCPConnection benvolio = server.login("benvolio", "benvolio-secret");
        Element child = correct(benvolio, "<birthday>2015-03-01</birthday>");
        Element other = correct(benvolio, "<other>The phone number on my account is my old one.</other>");
        for (Element open : List.of(child, other)) {
            assertThat(open.attributeValue("received")).isEqualTo("2026-11-29T08:00:00Z");
            assertThat(open.attributeValue("verified")).isEqualTo("2026-11-29T08:00:00Z");
            assertThat(open.attributeValue("deadline")).isEqualTo("2026-12-04T16:00:00Z");
            assertThat(open.attributeValue("responded")).as("open until staff answer").isNull();
            assertThat(open.attributeValue("outcome")).isNull();
        }
        assertThat(registeredBirthday("benvolio")).as("not applied before review").isEqualTo("2000-03-01");

        // Benvolio is no administrator: the staff commands are not his.
        AdHocCommand notHis = AdHocCommandManager.getInstance(benvolio)
                .getRemoteCommand(JidCreate.domainBareFrom("localhost"), NS + "#respond");
        assertThatThrownBy(notHis::execute).isInstanceOfSatisfying(XMPPException.XMPPErrorException.class,
                e -> assertThat(e.getStanzaError().getCondition()).isEqualTo(StanzaError.Condition.forbidden));

        XMPPTCPConnection prince = server.login("prince", "escalus-secret");
        AdHocCommandManager commands = AdHocCommandManager.getInstance(prince);
        AdHocCommandResult listed = commands.getRemoteCommand(JidCreate.domainBareFrom("localhost"), NS + "#open")
                .execute();
        DataForm open = listed.getResponse().getForm();
        assertThat(open.getItems()).anySatisfy(item -> {
            assertThat(field(item, "request")).isEqualTo(child.attributeValue("id"));
            assertThat(field(item, "account")).isEqualTo("benvolio@localhost");
            assertThat(field(item, "asked")).isEqualTo("birthday: 2015-03-01;");
        });
        assertThat(open.getItems()).anySatisfy(item ->
                assertThat(field(item, "request")).isEqualTo(other.attributeValue("id")));

        clock.advance(Duration.ofDays(2));
        assertThat(respond(prince, child.attributeValue("id"), "apply", null).getNotes())
                .extracting(AdHocCommandNote::getType).containsOnly(AdHocCommandNote.Type.info);
        assertThat(StoredData.waitUntilDisconnected(benvolio)).as("the age check runs again at the next login").isTrue();
        assertThat(registeredBirthday("benvolio")).isEqualTo("2015-03-01");
        respond(prince, other.attributeValue("id"), "refuse", "identity-unverified");
        assertThat(respond(prince, other.attributeValue("id"), "apply", null).getNotes())
                .as("an answered request cannot be answered again")
                .extracting(AdHocCommandNote::getType).containsExactly(AdHocCommandNote.Type.error);

        XMPPTCPConnection again = server.login("benvolio", "benvolio-secret");
        Map<String, Element> mine = new LinkedHashMap<>();
        requests(again).forEach(r -> mine.put(r.attributeValue("id"), r));
        Element applied = mine.get(child.attributeValue("id"));
        assertThat(applied.attributeValue("responded")).isEqualTo("2026-12-01T08:00:00Z");
        assertThat(applied.attributeValue("outcome")).isEqualTo("done");
        Element refused = mine.get(other.attributeValue("id"));
        assertThat(refused.attributeValue("outcome")).isEqualTo("refused");
        assertThat(refused.attributeValue("reason")).isEqualTo("identity-unverified");
        assertThat(refused.elementText(QName.get("complaint", NS))).contains("12377");
        // AC-26: every request was answered within its deadline.
        for (Element r : mine.values()) {
            assertThat(Instant.parse(r.attributeValue("responded")))
                    .isBeforeOrEqualTo(Instant.parse(r.attributeValue("deadline")));
        }
        assertThat(server.server().audit().forSubject("benvolio")).filteredOn(e -> e.action().startsWith("rights."))
                .extracting(AuditLog.Entry::action, AuditLog.Entry::actor)
                .contains(org.assertj.core.groups.Tuple.tuple("rights.correction.requested", AuditLog.SELF),
                        org.assertj.core.groups.Tuple.tuple("rights.request.read", "admin:prince@localhost"),
                        org.assertj.core.groups.Tuple.tuple("rights.correction.responded", "admin:prince@localhost"));
        assertThat(server.server().audit().verify().intact()).isTrue();
    }

    private static String field(DataForm.Item item, String var) {
        return item.getFields().stream().filter(f -> var.equals(f.getFieldName())).findFirst()
                .map(f -> f.getFirstValue()).orElse(null);
    }

    private static org.jivesoftware.smackx.commands.packet.AdHocCommandData respond(XMPPTCPConnection prince, String id, String decision,
                                                              String reason) throws Exception {
        AdHocCommand respond = AdHocCommandManager.getInstance(prince)
                .getRemoteCommand(JidCreate.domainBareFrom("localhost"), NS + "#respond");
        FillableForm form = respond.execute().asExecutingOrThrow().getFillableForm();
        form.setAnswer("request", id);
        form.setAnswer("decision", decision);
        if (reason != null) {
            form.setAnswer("reason", reason);
        }
        AdHocCommandResult result = respond.execute(form);
        assertThat(result.isCompleted()).isTrue();
        return result.getResponse();
    }
}
