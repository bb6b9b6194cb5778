package im.tongyou.consent;

import static org.assertj.core.api.Assertions.assertThat;

import im.tongyou.api.AccountState;
import im.tongyou.testkit.MutableClock;
import im.tongyou.testkit.TongyouServerExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HexFormat;
import org.dom4j.Element;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Children under 14 ({@code xeps/tongyou-consent.md} §5; AC-07, AC-08): a birthday under 14 at
 * registration gives an account that waits for a guardian and can do nothing but the consent flow;
 * the guardian, verified by an SMS code to their own phone, consents to the children's rules with
 * a separate consent recorded with actor GUARDIAN, and the account becomes a minor's; purposes
 * forbidden to minors stay off; a guardian's refusal deletes the account. The policy documents are
 * served over HTTPS without login.
 */
class MinorsE2ETest {

    static final MutableClock clock = new MutableClock(Instant.parse("2026-11-29T08:00:00Z"));

    @RegisterExtension
    static TongyouServerExtension server = TongyouServerExtension.builder()
            .clock(clock)
            .set("plugins.register.mode", "phone")
            .set("server.domain", "localhost") // the policy URLs resolve and match the certificate
            .set("server.admin-jids", "warden@localhost")
            .build();

    @BeforeEach
    void freshWindow() {
        clock.advance(Duration.ofHours(2)); // every SMS rate limit's window is over
    }

    static String birthday(int years) {
        return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).minusYears(years).toString();
    }

    static Element children(ConsentClient c) throws Exception {
        return c.result("get", "<policy xmlns='urn:tongyou:consent:0'/>").elements("document").stream()
                .filter(d -> "children".equals(d.attributeValue("name"))).findFirst().orElseThrow();
    }

    static String guardianConsent(String code, Element rules) {
        return "<guardian-consent xmlns='urn:tongyou:consent:0' code='" + code + "' relationship='parent' document='children'"
                + " version='" + rules.attributeValue("version") + "' sha256='" + rules.attributeValue("sha256") + "'/>";
    }

    @Test
    void aChildWaitsForAGuardianWhoConsentsBySmsCode() throws Exception {
        assertThat(ConsentClient.register(server, "nurse", "13912340201", "+8613912340201", birthday(40))
                .attributeValue("type")).isEqualTo("result");
        Element registered = ConsentClient.register(server, "kid", "13912340202", "+8613912340202", birthday(10));
        assertThat(registered.attributeValue("type")).as(registered.asXML()).isEqualTo("result");
        assertThat(server.server().accounts().state("kid")).isEqualTo(AccountState.PENDING_GUARDIAN);

        try (ConsentClient nurse = ConsentClient.login(server, "nurse");
             ConsentClient kid = ConsentClient.login(server, "kid")) {
            Element notice = kid.awaitStanza(e -> "message".equals(e.getName())
                    && e.element(org.dom4j.QName.get("guardian-required", ConsentClient.NS)) != null);
            assertThat(notice.element(org.dom4j.QName.get("guardian-required", ConsentClient.NS))
                    .attributeValue("deadline")).isNotNull();

            // Nothing but the consent flow (AC-07).
            kid.send("<message to='nurse@" + server.domain() + "' type='chat' id='m1'><body>hello</body></message>");
            Element bounced = kid.awaitStanza(e -> "message".equals(e.getName()) && "m1".equals(e.attributeValue("id")));
            assertThat(bounced.attributeValue("type")).isEqualTo("error");
            assertThat(ConsentClient.appCondition(bounced)).isEqualTo("guardian-required");
            Element rosterAdd = kid.iq("set", "<query xmlns='jabber:iq:roster'><item jid='nurse@" + server.domain()
                    + "'/></query>");
            assertThat(ConsentClient.condition(rosterAdd)).isEqualTo("forbidden");
            assertThat(ConsentClient.appCondition(rosterAdd)).isEqualTo("guardian-required");
            Element probe = kid.iq("get", "<probe xmlns='" + ProbePlugin.NS + "' purpose='calls'/>");
            assertThat(ConsentClient.appCondition(probe)).isEqualTo("guardian-required");

            // The guardian gets a code on their own phone; a wrong code does not consent.
            Element sent = kid.result("set", "<guardian xmlns='urn:tongyou:consent:0'><phone>13912340203</phone></guardian>");
            assertThat(sent.getName()).isEqualTo("code-sent");
            assertThat(sent.attributeValue("valid-seconds")).isEqualTo("300");
            String code = ConsentClient.lastCode(server.dataDir(), "+8613912340203");
            Element rules = children(kid);
            String wrong = code.equals("000000") ? "111111" : "000000";
            Element mismatch = kid.iq("set", guardianConsent(wrong, rules));
            assertThat(ConsentClient.appCondition(mismatch)).isEqualTo("code-mismatch");
            assertThat(server.server().accounts().state("kid")).isEqualTo(AccountState.PENDING_GUARDIAN);

            Element consent = kid.result("set", guardianConsent(code, rules));
            assertThat(consent.attributeValue("purpose")).isEqualTo("guardian");
            assertThat(consent.attributeValue("actor")).isEqualTo("guardian");
            assertThat(consent.attributeValue("type")).isEqualTo("separate");
            assertThat(consent.attributeValue("document")).isEqualTo("children");
            assertThat(server.server().accounts().state("kid")).isEqualTo(AccountState.ACTIVE_MINOR);
            Element reused = kid.iq("set", guardianConsent(code, rules));
            assertThat(reused.attributeValue("type")).as("a code is single-use").isEqualTo("error");

            // Core IM now works; the message sent while pending never arrived.
            kid.send("<message to='nurse@" + server.domain() + "' type='chat' id='m2'><body>hello again</body></message>");
            Element first = nurse.awaitStanza(e -> "message".equals(e.getName()) && e.attributeValue("from") != null
                    && e.attributeValue("from").startsWith("kid@"));
            assertThat(first.attributeValue("id")).isEqualTo("m2");

            // Forced off for minors whatever anyone says (AC-08).
            Element purposes = kid.result("get", "<purposes xmlns='urn:tongyou:consent:0'/>");
            Element ads = purposes.elements("purpose").stream()
                    .filter(p -> "ads_personalised".equals(p.attributeValue("id"))).findFirst().orElseThrow();
            assertThat(ads.attributeValue("state")).isEqualTo("forbidden");
            Element refusedAds = kid.iq("set", "<grant xmlns='urn:tongyou:consent:0' purpose='ads_personalised'"
                    + " type='general' policy-version='V4.2.7' notice-hash='" + ads.attributeValue("notice-hash") + "'/>");
            assertThat(ConsentClient.appCondition(refusedAds)).isEqualTo("not-for-minors");
            Element refusedCode = kid.iq("set", "<guardian xmlns='urn:tongyou:consent:0' for='marketing_push'/>");
            assertThat(ConsentClient.appCondition(refusedCode)).isEqualTo("not-for-minors");

            // A purpose minors may have needs the guardian again, by a code bound to that purpose.
            Element calls = purposes.elements("purpose").stream()
                    .filter(p -> "calls".equals(p.attributeValue("id"))).findFirst().orElseThrow();
            String grantCalls = "<grant xmlns='urn:tongyou:consent:0' purpose='calls' type='separate' policy-version='V4.2.7'"
                    + " notice-hash='" + calls.attributeValue("notice-hash") + "'";
            assertThat(ConsentClient.appCondition(kid.iq("set", grantCalls + "/>"))).isEqualTo("guardian-required");
            clock.advance(Duration.ofMinutes(2)); // past the interval between two codes
            kid.result("set", "<guardian xmlns='urn:tongyou:consent:0' for='calls'/>");
            String callsCode = ConsentClient.lastCode(server.dataDir(), "+8613912340203");
            Element granted = kid.result("set", grantCalls + " guardian-code='" + callsCode + "'/>");
            assertThat(granted.attributeValue("actor")).isEqualTo("guardian");
            assertThat(granted.attributeValue("type")).isEqualTo("separate");
            assertThat(kid.iq("get", "<probe xmlns='" + ProbePlugin.NS + "' purpose='calls'/>").attributeValue("type"))
                    .isEqualTo("result");
        }
        assertThat(ConsentClient.smsTo(server.dataDir(), "+8613912340203"))
                .allSatisfy(text -> assertThat(text).doesNotContain("13912340202"));
    }

    @Test
    void aGuardiansRefusalDeletesTheChildsAccount() throws Exception {
        ConsentClient.register(server, "tiny", "13912340211", "+8613912340211", birthday(9));
        assertThat(server.server().accounts().state("tiny")).isEqualTo(AccountState.PENDING_GUARDIAN);
        try (ConsentClient tiny = ConsentClient.login(server, "tiny")) {
            Element guardianIsChild = tiny.iq("set", "<guardian xmlns='urn:tongyou:consent:0'><phone>13912340211</phone></guardian>");
            assertThat(ConsentClient.appCondition(guardianIsChild)).isEqualTo("guardian-is-child");
            tiny.result("set", "<guardian xmlns='urn:tongyou:consent:0'><phone>13912340212</phone></guardian>");
            String code = ConsentClient.lastCode(server.dataDir(), "+8613912340212");
            Element refused = tiny.iq("set", "<guardian-refusal xmlns='urn:tongyou:consent:0' code='" + code + "'/>");
            assertThat(refused.attributeValue("type")).isEqualTo("result");
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos(); // deleted after the answer went out
        while (server.server().accounts().exists("tiny") && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(server.server().accounts().exists("tiny")).isFalse();
    }

    @Test
    void aChildWaitingForAGuardianMayCancelTheAccount() throws Exception {
        ConsentClient.register(server, "wee", "13912340221", "+8613912340221", birthday(8));
        assertThat(server.server().accounts().state("wee")).isEqualTo(AccountState.PENDING_GUARDIAN);
        try (ConsentClient wee = ConsentClient.login(server, "wee")) {
            Element cancelled = wee.iq("set", "<cancel xmlns='urn:tongyou:rights:0'/>");
            assertThat(cancelled.attributeValue("type")).as(cancelled.asXML()).isEqualTo("result");
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos(); // cancelled after the answer went out
        while (server.server().accounts().exists("wee") && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(server.server().accounts().exists("wee")).isFalse();
    }

    @Test
    void thePolicyDocumentsAreServedWithoutLoginAndMatchTheirHashes() throws Exception {
        ConsentClient.register(server, "reader", "13912340221", "+8613912340221", birthday(25));
        Element privacy;
        try (ConsentClient reader = ConsentClient.login(server, "reader")) {
            privacy = reader.result("get", "<policy xmlns='urn:tongyou:consent:0'/>").elements("document").stream()
                    .filter(d -> "privacy".equals(d.attributeValue("name"))).findFirst().orElseThrow();
        }
        HttpClient http = HttpClient.newBuilder().sslContext(server.clientTls()).build();
        HttpResponse<byte[]> page = http.send(HttpRequest.newBuilder(URI.create(server.server().httpsUrl()
                + "/policy/privacy/V4.2.7")).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(new String(page.body(), StandardCharsets.UTF_8)).contains("隐私政策");
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(page.body()));
        assertThat(sha).isEqualTo(privacy.attributeValue("sha256"));
        HttpResponse<String> registry = http.send(HttpRequest.newBuilder(URI.create(server.server().httpsUrl()
                + "/policy/")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(registry.statusCode()).isEqualTo(200);
        assertThat(registry.body()).contains("\"document\":\"children\"").contains(sha);
    }

    @Test
    void aChildsAccountWithNoGuardianConsentInTimeIsDeleted() throws Exception {
        server.ensureUser("warden", "s3cret-pass");
        ConsentClient.register(server, "late", "13912340231", "+8613912340231", birthday(8));
        assertThat(server.server().accounts().state("late")).isEqualTo(AccountState.PENDING_GUARDIAN);
        try (ConsentClient warden = ConsentClient.login(server, "warden")) {
            clock.advance(Duration.ofDays(6));
            runJobs(warden);
            assertThat(server.server().accounts().exists("late")).as("within pending-guardian-days").isTrue();
            clock.advance(Duration.ofDays(2));
            Element done = runJobs(warden);
            Element expired = done.element("command").element("x").elements("field").stream()
                    .filter(f -> "expired".equals(f.attributeValue("var"))).findFirst().orElseThrow();
            assertThat(Integer.parseInt(expired.elementText("value"))).isGreaterThanOrEqualTo(1);
            assertThat(server.server().accounts().exists("late")).isFalse();
        }
    }

    @Test
    void aBirthdayCorrectedAcrossTheUnder14LineMovesTheAccountIntoTheGuardianWaitAndOut() throws Exception {
        server.ensureUser("warden", "s3cret-pass");
        ConsentClient.register(server, "ada", "13912340241", "+8613912340241", birthday(30));
        assertThat(server.server().accounts().state("ada")).isEqualTo(AccountState.ACTIVE);
        String toChild;
        try (ConsentClient ada = ConsentClient.login(server, "ada")) {
            Element request = correction(ada, birthday(10));
            assertThat(request.attributeValue("responded")).as("across the line: staff decide").isNull();
            toChild = request.attributeValue("id");
        }
        assertThat(server.server().accounts().state("ada")).as("nothing changes before staff answer")
                .isEqualTo(AccountState.ACTIVE);
        try (ConsentClient warden = ConsentClient.login(server, "warden")) {
            respond(warden, toChild);
        }
        String toAdult;
        try (ConsentClient ada = ConsentClient.login(server, "ada")) {
            awaitState("ada", AccountState.PENDING_GUARDIAN); // the age check of the login: not silently bypassed
            Element refused = ada.iq("set", "<query xmlns='jabber:iq:roster'><item jid='juliet@localhost'/></query>");
            assertThat(ConsentClient.appCondition(refused)).isEqualTo("guardian-required");
            Element request = correction(ada, birthday(30)); // the one request the gate lets through
            assertThat(request.attributeValue("responded")).as("a pending account's corrections wait").isNull();
            toAdult = request.attributeValue("id");
        }
        try (ConsentClient warden = ConsentClient.login(server, "warden")) {
            respond(warden, toAdult);
        }
        try (ConsentClient ada = ConsentClient.login(server, "ada")) {
            awaitState("ada", AccountState.ACTIVE);
            assertThat(ada.iq("get", "<query xmlns='jabber:iq:roster'/>").attributeValue("type")).isEqualTo("result");
        }
    }

    private static Element correction(ConsentClient c, String birthday) throws Exception {
        Element answer = c.iq("set", "<correction xmlns='urn:tongyou:rights:0'><birthday>" + birthday
                + "</birthday></correction>");
        assertThat(answer.attributeValue("type")).as(answer.asXML()).isEqualTo("result");
        return answer.elements().get(0).elements().get(0);
    }

    /** The staff's answer with the rights plugin's ad-hoc command: apply. */
    private static void respond(ConsentClient warden, String request) throws Exception {
        String node = "urn:tongyou:rights:0#respond";
        Element form = warden.iqTo(server.domain(), "set", "<command xmlns='http://jabber.org/protocol/commands' node='"
                + node + "' action='execute'/>");
        String session = form.element("command").attributeValue("sessionid");
        Element done = warden.iqTo(server.domain(), "set", "<command xmlns='http://jabber.org/protocol/commands' node='"
                + node + "' sessionid='" + session + "' action='complete'><x xmlns='jabber:x:data' type='submit'>"
                + "<field var='request'><value>" + request + "</value></field>"
                + "<field var='decision'><value>apply</value></field></x></command>");
        assertThat(done.element("command").attributeValue("status")).as(done.asXML()).isEqualTo("completed");
        assertThat(done.asXML()).doesNotContain("type=\"error\"");
    }

    private static void awaitState(String user, AccountState state) throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (server.server().accounts().state(user) != state && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(server.server().accounts().state(user)).isEqualTo(state);
    }

    private static Element runJobs(ConsentClient admin) throws Exception {
        Element answer = admin.iqTo(server.domain(), "set", "<command xmlns='http://jabber.org/protocol/commands'"
                + " node='urn:tongyou:consent:0#run-jobs' action='execute'/>");
        assertThat(answer.attributeValue("type")).as(answer.asXML()).isEqualTo("result");
        assertThat(answer.element("command").attributeValue("status")).isEqualTo("completed");
        return answer;
    }
}
