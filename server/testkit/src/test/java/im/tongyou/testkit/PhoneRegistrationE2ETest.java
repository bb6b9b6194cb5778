package im.tongyou.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dom4j.Element;
import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.sasl.SASLErrorException;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.iqregister.AccountManager;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jxmpp.jid.parts.Localpart;

/**
 * The Tongyou phone registration flow ({@code xeps/tongyou-register.md}) end to end: a code is
 * requested for a number, read from the development SMS outbox, and submitted with the form; then
 * the new account logs in with Smack. Each error case of the spec, and that no number or code
 * reaches a log line or a database cell in clear text. The clock is moved, never waited for.
 */
class PhoneRegistrationE2ETest {

    static final MutableClock clock = new MutableClock(Instant.parse("2026-11-29T08:00:00Z"));

    @RegisterExtension
    static TongyouServerExtension server = TongyouServerExtension.builder()
            .clock(clock)
            .set("plugins.register.mode", "phone")
            .set("plugins.register.codes-per-number", "3")
            .set("plugins.register.codes-per-address", "6")
            .set("plugins.register.registrations-per-address", "3")
            .build();

    static {
        RegisterConditions.register();
    }

    @BeforeEach
    void freshWindow() {
        clock.advance(Duration.ofHours(2)); // every limit's window and every earlier code is over
    }

    private static Map<String, String> form(String username, String phone, String code) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("username", username);
        fields.put("password", "s3cret-pass");
        fields.put("phone", phone);
        fields.put("sms-code", code);
        fields.put("birthday", "2001-05-17");
        fields.put("accept-policy", "1");
        fields.put("policy-version", "V4.2.7");
        return fields;
    }

    private static String codeFor(RawRegistration reg, String typed, String e164) throws Exception {
        Element sent = reg.requestCode(typed);
        assertThat(sent.attributeValue("type")).as(sent.asXML()).isEqualTo("result");
        return RawRegistration.lastCode(server.dataDir(), e164);
    }

    private static void assertError(Element iq, String condition, String appCondition) {
        assertThat(iq.attributeValue("type")).as(iq.asXML()).isEqualTo("error");
        assertThat(RawRegistration.condition(iq)).as(iq.asXML()).isEqualTo(condition);
        assertThat(RawRegistration.appCondition(iq)).as(iq.asXML()).isEqualTo(appCondition);
    }

    @Test
    void theFormIsOfferedWithAnUntickedPolicyBox() throws Exception {
        try (RawRegistration reg = RawRegistration.open(server)) {
            assertThat(reg.features()).contains("<register xmlns=\"http://jabber.org/features/iq-register\"");
            Element result = reg.iq("get", "<query xmlns='jabber:iq:register'/>");
            Element query = result.element("query");
            assertThat(query.element("username")).as("no legacy fields: they cannot carry the phone").isNull();
            Element x = query.element("x");
            assertThat(field(x, "FORM_TYPE")).isEqualTo("urn:tongyou:register:0");
            assertThat(field(x, "accept-policy")).isEqualTo("0");
            assertThat(field(x, "policy-version")).isEqualTo("V4.2.7");
            assertThat(x.elements("field")).extracting(f -> f.attributeValue("var"))
                    .contains("username", "password", "phone", "sms-code", "birthday");
        }
    }

    private static String field(Element x, String var) {
        return x.elements("field").stream().filter(f -> var.equals(f.attributeValue("var"))).findFirst()
                .map(f -> f.elementText("value")).orElse(null);
    }

    @Test
    void aVerifiedNumberRegistersAnAccountThatLogsIn() throws Exception {
        try (RawRegistration reg = RawRegistration.open(server)) {
            Element sent = reg.requestCode("139 1234 0001");
            Element codeSent = sent.element("code-sent");
            assertThat(codeSent.attributeValue("valid-seconds")).isEqualTo("300");
            assertThat(codeSent.attributeValue("max-attempts")).isEqualTo("5");
            String code = RawRegistration.lastCode(server.dataDir(), "+8613912340001");
            Element done = reg.submit(form("mercutio", "13912340001", code));
            assertThat(done.attributeValue("type")).as(done.asXML()).isEqualTo("result");
        }
        XMPPTCPConnection mercutio = server.login("mercutio", "s3cret-pass");
        assertThat(mercutio.isAuthenticated()).isTrue();
    }

    @Test
    void aWrongCodeIsNotAuthorizedAndTheRightOneStillWorks() throws Exception {
        try (RawRegistration reg = RawRegistration.open(server)) {
            String code = codeFor(reg, "13912340002", "+8613912340002");
            String wrong = code.equals("000000") ? "111111" : "000000";
            assertError(reg.submit(form("benvolio", "13912340002", wrong)), "not-authorized", "code-mismatch");
            assertThat(reg.submit(form("benvolio", "13912340002", code)).attributeValue("type")).isEqualTo("result");
        }
    }

    @Test
    void fiveWrongCodesBurnTheCode() throws Exception {
        try (RawRegistration reg = RawRegistration.open(server)) {
            String code = codeFor(reg, "13912340003", "+8613912340003");
            String wrong = code.equals("000000") ? "111111" : "000000";
            for (int i = 0; i < 5; i++) {
                assertError(reg.submit(form("paris", "13912340003", wrong)), "not-authorized", "code-mismatch");
            }
            assertError(reg.submit(form("paris", "13912340003", code)), "not-allowed", "too-many-attempts");
        }
    }

    @Test
    void anExpiredCodeIsRefused() throws Exception {
        try (RawRegistration reg = RawRegistration.open(server)) {
            String code = codeFor(reg, "13912340004", "+8613912340004");
            clock.advance(Duration.ofSeconds(301));
            assertError(reg.submit(form("balthasar", "13912340004", code)), "not-authorized", "code-expired");
        }
    }

    @Test
    void aCodeIsUsedOnce() throws Exception {
        try (RawRegistration reg = RawRegistration.open(server)) {
            String code = codeFor(reg, "13912340005", "+8613912340005");
            assertThat(reg.submit(form("abram", "13912340005", code)).attributeValue("type")).isEqualTo("result");
            assertError(reg.submit(form("sampson", "13912340005", code)), "not-authorized", "code-used");
        }
    }

    @Test
    void aTakenUsernameIsAConflictAndLeavesTheCodeUnused() throws Exception {
        server.ensureUser("tybalt", "prince-of-cats");
        try (RawRegistration reg = RawRegistration.open(server)) {
            String code = codeFor(reg, "13912340006", "+8613912340006");
            Element taken = reg.submit(form("Tybalt", "13912340006", code));
            assertThat(RawRegistration.condition(taken)).isEqualTo("conflict");
            assertThat(reg.submit(form("gregory", "13912340006", code)).attributeValue("type")).isEqualTo("result");
        }
    }

    @Test
    void aTakenNumberIsRefusedWithoutNamingItsAccount() throws Exception {
        try (RawRegistration reg = RawRegistration.open(server)) {
            String code = codeFor(reg, "13912340007", "+8613912340007");
            assertThat(reg.submit(form("rosaline", "13912340007", code)).attributeValue("type")).isEqualTo("result");
            clock.advance(Duration.ofSeconds(61));
            String second = codeFor(reg, "+86 139-1234-0007", "+8613912340007");
            Element refused = reg.submit(form("peter", "139 1234 0007", second));
            assertError(refused, "conflict", "phone-taken");
            assertThat(refused.asXML()).doesNotContain("rosaline");
        }
    }

    @Test
    void thePolicyMustBeAcceptedExplicitlyInItsCurrentVersion() throws Exception {
        try (RawRegistration reg = RawRegistration.open(server)) {
            String code = codeFor(reg, "13912340008", "+8613912340008");
            Map<String, String> absent = form("friar", "13912340008", code);
            absent.remove("accept-policy");
            assertError(reg.submit(absent), "not-acceptable", "policy-not-accepted");
            Map<String, String> unticked = form("friar", "13912340008", code);
            unticked.put("accept-policy", "0");
            assertError(reg.submit(unticked), "not-acceptable", "policy-not-accepted");
            Map<String, String> old = form("friar", "13912340008", code);
            old.put("policy-version", "V4.2.6");
            assertError(reg.submit(old), "not-acceptable", "policy-outdated");
            // None of these used the code up.
            assertThat(reg.submit(form("friar", "13912340008", code)).attributeValue("type")).isEqualTo("result");
        }
    }

    @Test
    void codesAreRateLimitedPerNumber() throws Exception {
        try (RawRegistration reg = RawRegistration.open(server)) {
            codeFor(reg, "13912340009", "+8613912340009");
            assertError(reg.requestCode("13912340009"), "resource-constraint", "rate-limited"); // within 60 s
            clock.advance(Duration.ofSeconds(61));
            codeFor(reg, "13912340009", "+8613912340009");
            clock.advance(Duration.ofSeconds(61));
            codeFor(reg, "13912340009", "+8613912340009");
            clock.advance(Duration.ofSeconds(61));
            assertError(reg.requestCode("13912340009"), "resource-constraint", "rate-limited"); // 3 per hour
        }
    }

    @Test
    void codesAreRateLimitedPerAddress() throws Exception {
        try (RawRegistration reg = RawRegistration.open(server)) {
            for (int i = 0; i < 6; i++) {
                codeFor(reg, "1391234011" + i, "+861391234011" + i);
            }
            assertError(reg.requestCode("13912340119"), "resource-constraint", "rate-limited");
        }
    }

    @Test
    void registrationsAreRateLimitedPerAddress() throws Exception {
        try (RawRegistration reg = RawRegistration.open(server)) {
            for (int i = 0; i < 3; i++) {
                String code = codeFor(reg, "1391234012" + i, "+861391234012" + i);
                assertThat(reg.submit(form("watch" + i, "1391234012" + i, code)).attributeValue("type")).isEqualTo("result");
            }
            String code = codeFor(reg, "13912340129", "+8613912340129");
            assertError(reg.submit(form("watch9", "13912340129", code)), "resource-constraint", "rate-limited");
        }
    }

    @Test
    void aUsernameThatIsAPhoneNumberIsRefused() throws Exception {
        try (RawRegistration reg = RawRegistration.open(server)) {
            String code = codeFor(reg, "13912340013", "+8613912340013");
            assertError(reg.submit(form("13912340013", "13912340013", code)), "not-acceptable", "username-is-phone");
            assertError(reg.submit(form("nurse.138-0013-8000", "13912340013", code)), "not-acceptable",
                    "username-is-phone");
            assertError(reg.submit(form("+14155552671", "13912340013", code)), "not-acceptable", "username-is-phone");
        }
    }

    @Test
    void invalidNumbersAndMissingFieldsAreNotAcceptable() throws Exception {
        try (RawRegistration reg = RawRegistration.open(server)) {
            assertError(reg.requestCode("12345"), "not-acceptable", "invalid-phone");
            String code = codeFor(reg, "13912340014", "+8613912340014");
            Map<String, String> noBirthday = form("lawrence", "13912340014", code);
            noBirthday.remove("birthday");
            assertError(reg.submit(noBirthday), "not-acceptable", "missing-field");
            Map<String, String> future = form("lawrence", "13912340014", code);
            future.put("birthday", "2999-01-01");
            assertError(reg.submit(future), "not-acceptable", "invalid-birthday");
            Element legacy = reg.iq("set", "<query xmlns='jabber:iq:register'><username>lawrence</username>"
                    + "<password>s3cret-pass</password></query>");
            assertError(legacy, "not-acceptable", "missing-field");
        }
    }

    @Test
    void smacksUsernameAndPasswordRegistrationIsNotAcceptable() throws Exception {
        XMPPTCPConnection anonymous = new XMPPTCPConnection(server.config("nobody", "nothing").build());
        anonymous.connect();
        try {
            AccountManager accounts = AccountManager.getInstance(anonymous);
            assertThat(accounts.supportsAccountCreation()).isTrue();
            assertThatThrownBy(() -> accounts.createAccount(Localpart.from("potpan"), "s3cret-pass"))
                    .isInstanceOfSatisfying(XMPPException.XMPPErrorException.class, e -> assertThat(
                            e.getStanzaError().getCondition()).isEqualTo(StanzaError.Condition.not_acceptable));
        } finally {
            anonymous.disconnect();
        }
    }

    @Test
    void aFormWithDeviceIdentifiersIsRefusedAndNothingOfItIsStored() throws Exception {
        try (RawRegistration reg = RawRegistration.open(server)) {
            String code = codeFor(reg, "13912340015", "+8613912340015");
            Map<String, String> fields = form("apothecary", "13912340015", code);
            fields.put("imei", "356938035643809");
            Element refused = reg.submit(fields);
            assertError(refused, "not-acceptable", null);
            assertThat(refused.element("error").elementText("text")).contains("IMEI", "'imei'")
                    .doesNotContain("356938035643809");
            fields.remove("imei");
            fields.put("wifi_bssid", "3c:5a:b4:01:02:03");
            assertError(reg.submit(fields), "not-acceptable", null);
            fields.remove("wifi_bssid");
            assertThat(reg.submit(fields).attributeValue("type")).as("the code was not burnt by the refusals")
                    .isEqualTo("result");
        }
        assertThat(server.server().accounts().exists("apothecary")).isTrue();
        assertThat(StoredData.cells(server)).noneMatch(cell -> cell.contains("356938035643809"))
                .noneMatch(cell -> cell.contains("3c:5a:b4:01:02:03"));
    }

    @Test
    void noNumberCodeOrBirthdayIsLoggedOrStoredInClearText() throws Exception {
        String code;
        List<String> log;
        try (LogCapture capture = LogCapture.start()) {
            try (RawRegistration reg = RawRegistration.open(server)) {
                code = codeFor(reg, "138 0013 8000", "+8613800138000");
                String wrong = code.equals("000000") ? "111111" : "000000";
                reg.submit(form("montague", "13800138000", wrong));
                assertThat(reg.submit(form("montague", "13800138000", code)).attributeValue("type")).isEqualTo("result");
            }
            XMPPTCPConnection montague = server.login("montague", "s3cret-pass");
            server.sync(montague);
            log = capture.lines();
        }
        assertThat(log).as("the registration was logged").anyMatch(l -> l.contains("montague"));
        List<String> secrets = List.of("13800138000", "138 0013 8000", "8000138000", code, "2001-05-17", "s3cret-pass");
        for (String secret : secrets) {
            assertThat(log).as("log lines containing a secret").noneMatch(l -> l.contains(secret));
        }
        List<String> cells = StoredData.cells(server);
        assertThat(cells).as("the database holds the account").anyMatch(c -> c.equals("montague"));
        for (String secret : secrets) {
            assertThat(cells).as("cells containing a secret").noneMatch(c -> c.contains(secret));
        }
    }

    @Test
    void removingTheAccountEndsItsSessionsRefusesLoginAndErasesItsData() throws Exception {
        try (RawRegistration reg = RawRegistration.open(server)) {
            String code = codeFor(reg, "13912340016", "+8613912340016");
            assertThat(reg.submit(form("capulet", "13912340016", code)).attributeValue("type")).isEqualTo("result");
        }
        assertThat(rows("register_user")).isEqualTo(1);
        assertThat(rows("register_policy_acceptance")).isEqualTo(1);
        long codes = StoredData.rows(server, "SELECT COUNT(*) FROM register_sms_code");
        XMPPTCPConnection phone = server.login("capulet", "s3cret-pass", "phone");
        XMPPTCPConnection desktop = server.login("capulet", "s3cret-pass", "desktop");

        StoredData.deleteAccount(phone);

        assertThat(StoredData.waitUntilDisconnected(desktop)).isTrue();
        assertThat(StoredData.waitUntilDisconnected(phone)).isTrue();
        assertThatThrownBy(() -> server.login("capulet", "s3cret-pass")).isInstanceOf(SASLErrorException.class);
        assertThat(StoredData.eventually(() -> rows("account") == 0)).as("the account's own rows go last").isTrue();
        assertThat(rows("register_user")).isZero();
        assertThat(rows("register_policy_acceptance")).isZero();
        assertThat(StoredData.rows(server, "SELECT COUNT(*) FROM register_sms_code")).as("the code of that number")
                .isEqualTo(codes - 1);
        assertThat(StoredData.rows(server, "SELECT COUNT(*) FROM crypto_user_key WHERE username = 'capulet' AND wrapped_key IS NOT NULL"))
                .as("the data key is destroyed").isZero();
    }

    private static long rows(String table) throws Exception {
        return StoredData.rows(server, "SELECT COUNT(*) FROM " + table + " WHERE username = 'capulet'");
    }
}
