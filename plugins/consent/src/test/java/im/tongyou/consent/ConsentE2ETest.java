package im.tongyou.consent;

import static org.assertj.core.api.Assertions.assertThat;

import im.tongyou.api.AccountState;
import im.tongyou.testkit.MutableClock;
import im.tongyou.testkit.TongyouServerExtension;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.dom4j.Element;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The consent extension ({@code xeps/tongyou-consent.md}) end to end against a real server with
 * phone registration: the policy acceptance recorded at registration, grant and withdrawal per
 * purpose with separate consent, the gate an optional feature asks (withdrawal takes effect on the
 * next request), and core IM with no optional consent at all.
 */
class ConsentE2ETest {

    static final MutableClock clock = new MutableClock(Instant.parse("2026-11-29T08:00:00Z"));

    @RegisterExtension
    static TongyouServerExtension server = TongyouServerExtension.builder()
            .clock(clock)
            .set("plugins.register.mode", "phone")
            .build();

    @BeforeEach
    void freshWindow() {
        clock.advance(Duration.ofHours(2)); // every SMS rate limit's window is over
    }

    static String adultBirthday() {
        return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).minusYears(30).toString();
    }

    static Element purpose(Element purposes, String id) {
        return purposes.elements("purpose").stream().filter(p -> id.equals(p.attributeValue("id"))).findFirst()
                .orElseThrow(() -> new AssertionError("no purpose " + id + " in " + purposes.asXML()));
    }

    static String probe(ConsentClient c, String purpose) throws Exception {
        Element answer = c.iq("get", "<probe xmlns='" + ProbePlugin.NS + "' purpose='" + purpose + "'/>");
        return "result".equals(answer.attributeValue("type")) ? "allowed"
                : ConsentClient.condition(answer) + "/" + ConsentClient.appCondition(answer);
    }

    @Test
    void registrationRecordsThePolicyAcceptanceAndGrantsNoPurpose() throws Exception {
        Element done = ConsentClient.register(server, "romeo", "13912340101", "+8613912340101", adultBirthday());
        assertThat(done.attributeValue("type")).as(done.asXML()).isEqualTo("result");
        assertThat(server.server().accounts().state("romeo")).isEqualTo(AccountState.ACTIVE);

        try (ConsentClient romeo = ConsentClient.login(server, "romeo")) {
            Element history = romeo.result("get", "<history xmlns='urn:tongyou:consent:0'/>");
            List<Element> records = history.elements("record");
            assertThat(records).hasSize(1);
            assertThat(records.get(0).attributeValue("purpose")).isEqualTo("policy");
            assertThat(records.get(0).attributeValue("action")).isEqualTo("grant");
            assertThat(records.get(0).attributeValue("document")).isEqualTo("privacy");
            assertThat(records.get(0).attributeValue("version")).isEqualTo("V4.2.7");
            assertThat(records.get(0).attributeValue("sha256")).hasSize(64);

            Element purposes = romeo.result("get", "<purposes xmlns='urn:tongyou:consent:0'/>");
            assertThat(purposes.attributeValue("policy-version")).isEqualTo("V4.2.7");
            assertThat(purposes.elements("purpose")).isNotEmpty()
                    .allSatisfy(p -> assertThat(p.attributeValue("state")).isIn("not-granted", "not-covered"));
            assertThat(purpose(purposes, "shake").attributeValue("state"))
                    .as("V4.2.7 does not describe shake: nobody can grant it until a version does").isEqualTo("not-covered");
            assertThat(probe(romeo, "ads_personalised")).isEqualTo("forbidden/consent-required");

            Element policy = romeo.result("get", "<policy xmlns='urn:tongyou:consent:0'/>");
            Element privacy = policy.elements("document").stream()
                    .filter(d -> "privacy".equals(d.attributeValue("name"))).findFirst().orElseThrow();
            assertThat(privacy.attributeValue("accepted")).isEqualTo("V4.2.7");
            assertThat(privacy.attributeValue("sha256")).isEqualTo(records.get(0).attributeValue("sha256"));
        }
    }

    @Test
    void aGrantOpensTheGateAndAWithdrawalClosesItOnTheNextRequest() throws Exception {
        ConsentClient.register(server, "juliet", "13912340102", "+8613912340102", adultBirthday());
        try (ConsentClient juliet = ConsentClient.login(server, "juliet")) {
            Element before = purpose(juliet.result("get", "<purposes xmlns='urn:tongyou:consent:0'/>"), "location_timeline");
            assertThat(before.attributeValue("consent")).isEqualTo("separate");
            String notice = before.attributeValue("notice-hash");
            assertThat(notice).hasSize(64);
            assertThat(before.elementText("notice")).isNotBlank();

            String grant = "<grant xmlns='urn:tongyou:consent:0' purpose='location_timeline' policy-version='V4.2.7'"
                    + " notice-hash='" + notice + "' channel='android' app-version='5.1.0' locale='zh-CN' type='";
            Element bundled = juliet.iq("set", grant + "general'/>");
            assertThat(ConsentClient.condition(bundled)).isEqualTo("not-acceptable");
            assertThat(ConsentClient.appCondition(bundled)).isEqualTo("separate-consent-required");
            Element stale = juliet.iq("set", grant.replace(notice, "0".repeat(64)) + "separate'/>");
            assertThat(ConsentClient.appCondition(stale)).isEqualTo("notice-outdated");
            assertThat(probe(juliet, "location_timeline")).isEqualTo("forbidden/consent-required");

            Element granted = juliet.result("set", grant + "separate'/>");
            assertThat(granted.attributeValue("action")).isEqualTo("grant");
            assertThat(granted.attributeValue("type")).isEqualTo("separate");
            assertThat(granted.attributeValue("actor")).isEqualTo("user");
            assertThat(granted.attributeValue("notice-hash")).isEqualTo(notice);
            assertThat(granted.attributeValue("channel")).isEqualTo("android");
            assertThat(probe(juliet, "location_timeline")).isEqualTo("allowed");
            assertThat(probe(juliet, "location_chat")).as("one purpose per act").isEqualTo("forbidden/consent-required");
            assertThat(purpose(juliet.result("get", "<purposes xmlns='urn:tongyou:consent:0'/>"), "location_timeline")
                    .attributeValue("state")).isEqualTo("granted");

            clock.advance(Duration.ofMinutes(5));
            Element withdrawn = juliet.result("set", "<withdraw xmlns='urn:tongyou:consent:0' purpose='location_timeline'"
                    + " channel='android'/>");
            assertThat(withdrawn.attributeValue("action")).isEqualTo("withdraw");
            assertThat(withdrawn.attributeValue("withdraws")).isEqualTo(granted.attributeValue("seq"));
            assertThat(probe(juliet, "location_timeline")).isEqualTo("forbidden/consent-required");
            assertThat(purpose(juliet.result("get", "<purposes xmlns='urn:tongyou:consent:0'/>"), "location_timeline")
                    .attributeValue("state")).isEqualTo("withdrawn");

            Element again = juliet.iq("set", "<withdraw xmlns='urn:tongyou:consent:0' purpose='location_timeline'/>");
            assertThat(again.attributeValue("type")).isEqualTo("result");
            assertThat(again.elements()).as("nothing to withdraw: nothing recorded").isEmpty();
            Element unknown = juliet.iq("set", "<withdraw xmlns='urn:tongyou:consent:0' purpose='mind_reading'/>");
            assertThat(ConsentClient.appCondition(unknown)).isEqualTo("unknown-purpose");

            List<Element> rows = juliet.result("get", "<history xmlns='urn:tongyou:consent:0'/>").elements("record");
            assertThat(rows).extracting(r -> r.attributeValue("purpose") + ":" + r.attributeValue("action"))
                    .containsExactly("policy:grant", "location_timeline:grant", "location_timeline:withdraw");
            assertThat(Instant.parse(rows.get(2).attributeValue("at")))
                    .isEqualTo(Instant.parse(rows.get(1).attributeValue("at")).plus(Duration.ofMinutes(5)));
        }
    }

    @Test
    void withNoOptionalConsentCoreMessagingWorks() throws Exception {
        ConsentClient.register(server, "benvolio", "13912340103", "+8613912340103", adultBirthday());
        ConsentClient.register(server, "mercutio", "13912340104", "+8613912340104", adultBirthday());
        try (ConsentClient benvolio = ConsentClient.login(server, "benvolio");
             ConsentClient mercutio = ConsentClient.login(server, "mercutio")) {
            Element refused = benvolio.result("set", "<refuse xmlns='urn:tongyou:consent:0' purpose='analytics'/>");
            assertThat(refused.attributeValue("action")).isEqualTo("refuse");
            benvolio.send("<message to='mercutio@" + server.domain() + "' type='chat' id='m1'><body>a plague</body></message>");
            Element got = mercutio.awaitStanza(e -> "message".equals(e.getName()) && "m1".equals(e.attributeValue("id")));
            assertThat(got.elementText("body")).isEqualTo("a plague");
            assertThat(got.attributeValue("from")).startsWith("benvolio@");
        }
    }
}
