package im.tongyou.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.dom4j.Element;
import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.sasl.SASLErrorException;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.iqregister.AccountManager;
import org.jivesoftware.smackx.iqregister.packet.Registration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.jid.parts.Localpart;

/**
 * Open in-band registration (XEP-0077 §3.1) for generic deployments and the interop suite: Smack's
 * AccountManager registers as the Smack integration test framework does, then changes the password
 * (§3.3) and cancels the account (§3.2).
 */
class OpenRegistrationE2ETest {

    static final MutableClock clock = new MutableClock(Instant.parse("2026-11-29T08:00:00Z"));

    @RegisterExtension
    static TongyouServerExtension server = TongyouServerExtension.builder()
            .clock(clock)
            .set("plugins.register.mode", "open")
            .set("plugins.register.registrations-per-address", "3")
            .set("listeners.c2s-plaintext.enabled", "true")
            .set("listeners.c2s-plaintext.port", "0")
            .build();

    static {
        RegisterConditions.register();
    }

    @BeforeEach
    void freshWindow() {
        clock.advance(Duration.ofHours(2));
    }

    private static XMPPTCPConnection unauthenticated() throws Exception {
        XMPPTCPConnection connection = new XMPPTCPConnection(server.config("nobody", "nothing").build());
        connection.setReplyTimeout(10_000);
        connection.connect();
        return connection;
    }

    private static StanzaError.Condition conditionOf(ThrowingRunnable action) {
        try {
            action.run();
        } catch (XMPPException.XMPPErrorException e) {
            return e.getStanzaError().getCondition();
        } catch (Exception e) {
            throw new AssertionError("expected a stanza error, got " + e, e);
        }
        throw new AssertionError("expected a stanza error, got a result");
    }

    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void smackRegistersAsTheIntegrationTestFrameworkDoesAndLogsIn() throws Exception {
        XMPPTCPConnection anonymous = unauthenticated();
        try {
            AccountManager accounts = AccountManager.getInstance(anonymous);
            assertThat(accounts.supportsAccountCreation()).isTrue();
            assertThat(accounts.getAccountAttributes()).containsExactlyInAnyOrder("username", "password");
            // The framework adds a name and an e-mail address: accepted, and kept nowhere.
            accounts.createAccount(Localpart.from("sinttest-one"), "s3cret-pass",
                    new HashMap<>(Map.of("name", "Smack Integration Test", "email", "flow@igniterealtime.org")));
        } finally {
            anonymous.disconnect();
        }
        assertThat(server.login("sinttest-one", "s3cret-pass").isAuthenticated()).isTrue();
        assertThat(StoredData.cells(server)).noneMatch(c -> c.contains("flow@igniterealtime.org"));
    }

    @Test
    void theDataFormRegistersToo() throws Exception {
        try (RawRegistration reg = RawRegistration.open(server)) {
            Element fields = reg.iq("get", "<query xmlns='jabber:iq:register'/>").element("query");
            assertThat(fields.element("username")).isNotNull();
            assertThat(fields.element("x")).isNotNull();
            Element done = reg.iq("set", "<query xmlns='jabber:iq:register'><x xmlns='jabber:x:data' type='submit'>"
                    + "<field var='FORM_TYPE'><value>jabber:iq:register</value></field>"
                    + "<field var='username'><value>formfiller</value></field>"
                    + "<field var='password'><value>s3cret-pass</value></field></x></query>");
            assertThat(done.attributeValue("type")).as(done.asXML()).isEqualTo("result");
        }
        assertThat(server.login("formfiller", "s3cret-pass").isAuthenticated()).isTrue();
    }

    @Test
    void formAndLegacyFieldsTogetherAreABadRequest() throws Exception {
        try (RawRegistration reg = RawRegistration.open(server)) {
            Element both = reg.iq("set", "<query xmlns='jabber:iq:register'><username>both</username>"
                    + "<password>s3cret-pass</password><x xmlns='jabber:x:data' type='submit'>"
                    + "<field var='FORM_TYPE'><value>jabber:iq:register</value></field></x></query>");
            assertThat(RawRegistration.condition(both)).isEqualTo("bad-request");
        }
    }

    @Test
    void takenPhoneLikeAndIncompleteRegistrationsAreRefused() throws Exception {
        server.ensureUser("tybalt", "prince-of-cats");
        XMPPTCPConnection anonymous = unauthenticated();
        try {
            AccountManager accounts = AccountManager.getInstance(anonymous);
            assertThat(conditionOf(() -> accounts.createAccount(Localpart.from("tybalt"), "s3cret-pass")))
                    .isEqualTo(StanzaError.Condition.conflict);
            assertThat(conditionOf(() -> accounts.createAccount(Localpart.from("13800138000"), "s3cret-pass")))
                    .isEqualTo(StanzaError.Condition.not_acceptable);
            assertThat(conditionOf(() -> accounts.createAccount(Localpart.from("shorty"), "abc")))
                    .isEqualTo(StanzaError.Condition.not_acceptable);
        } finally {
            anonymous.disconnect();
        }
        try (RawRegistration reg = RawRegistration.open(server)) {
            Element noPassword = reg.iq("set", "<query xmlns='jabber:iq:register'><username>nopass</username>"
                    + "<password/></query>");
            assertThat(RawRegistration.condition(noPassword)).isEqualTo("not-acceptable");
        }
    }

    @Test
    void registrationsAreRateLimitedPerAddress() throws Exception {
        try (RawRegistration reg = RawRegistration.open(server)) {
            for (int i = 0; i < 3; i++) {
                Element ok = reg.iq("set", "<query xmlns='jabber:iq:register'><username>flood" + i
                        + "</username><password>s3cret-pass</password></query>");
                assertThat(ok.attributeValue("type")).isEqualTo("result");
            }
            Element refused = reg.iq("set", "<query xmlns='jabber:iq:register'><username>flood9</username>"
                    + "<password>s3cret-pass</password></query>");
            assertThat(RawRegistration.condition(refused)).isEqualTo("resource-constraint");
            assertThat(RawRegistration.appCondition(refused)).isEqualTo("rate-limited");
            clock.advance(Duration.ofHours(1));
            Element later = reg.iq("set", "<query xmlns='jabber:iq:register'><username>flood9</username>"
                    + "<password>s3cret-pass</password></query>");
            assertThat(later.attributeValue("type")).isEqualTo("result");
        }
    }

    @Test
    void registrationOverAnUnencryptedStreamIsNotAuthorized() throws Exception {
        try (RawXmppClient raw = new RawXmppClient(InetAddress.getLoopbackAddress(), server.server().plaintextPort(),
                server.domain(), server.clientTls())) {
            raw.openStream();
            raw.send("<iq type='set' id='p1'><query xmlns='jabber:iq:register'><username>cleartext</username>"
                    + "<password>s3cret-pass</password></query></iq>");
            assertThat(raw.readUntil("</iq>")).contains("<not-authorized");
        }
        assertThat(server.server().accounts().exists("cleartext")).isFalse();
    }

    @Test
    void theResultOfARemovalComesBeforeTheStreamError() throws Exception {
        server.ensureUser("sampson", "bite-my-thumb");
        try (RawXmppClient raw = server.raw()) {
            raw.login("sampson", "bite-my-thumb", "raw");
            raw.send("<iq type='set' id='unreg1'><query xmlns='jabber:iq:register'><remove/></query></iq>");
            String answer = raw.awaitClose();
            assertThat(answer).contains("id=\"unreg1\"").contains("<not-authorized");
            assertThat(answer.indexOf("id=\"unreg1\"")).isLessThan(answer.indexOf("<not-authorized"));
            assertThat(answer.substring(0, answer.indexOf("<not-authorized"))).contains("type=\"result\"");
        }
        assertThat(StoredData.eventually(() -> !server.server().accounts().exists("sampson"))).isTrue();
    }

    @Test
    void removalBeforeAuthenticationIsAnUnexpectedRequest() throws Exception {
        server.ensureUser("escalus", "prince-of-verona");
        try (RawRegistration reg = RawRegistration.open(server)) {
            Element refused = reg.iq("set", "<query xmlns='jabber:iq:register'><remove/></query>");
            assertThat(RawRegistration.condition(refused)).isEqualTo("unexpected-request");
        }
        assertThat(server.server().accounts().exists("escalus")).isTrue();
    }

    @Test
    void aRegisteredUserSeesRegisteredAndChangesItsOwnPassword() throws Exception {
        server.ensureUser("juliet", "capulet-secret");
        XMPPTCPConnection juliet = server.login("juliet", "capulet-secret");
        AccountManager accounts = AccountManager.getInstance(juliet);
        assertThat(accounts.isSupported()).isTrue();

        accounts.changePassword("wherefore-art-thou");

        assertThat(server.login("juliet", "wherefore-art-thou").isAuthenticated()).isTrue();
        assertThatThrownBy(() -> server.login("juliet", "capulet-secret")).isInstanceOf(SASLErrorException.class);
    }

    @Test
    void nobodyChangesAnotherUsersPasswordAndAnEmptyPasswordChangesNothing() throws Exception {
        server.ensureUser("romeo", "montague-secret");
        server.ensureUser("nurse", "angelica-secret");
        XMPPTCPConnection nurse = server.login("nurse", "angelica-secret");
        Registration other = new Registration(Map.of("username", "romeo", "password", "hijacked-pass"));
        other.setType(IQ.Type.set);
        other.setTo(JidCreate.domainBareFrom(server.domain()));
        assertThat(conditionOf(() -> nurse.sendIqRequestAndWaitForResponse(other)))
                .isEqualTo(StanzaError.Condition.forbidden);

        Registration empty = new Registration(Map.of("username", "nurse", "password", ""));
        empty.setType(IQ.Type.set);
        empty.setTo(JidCreate.domainBareFrom(server.domain()));
        assertThat(conditionOf(() -> nurse.sendIqRequestAndWaitForResponse(empty)))
                .isEqualTo(StanzaError.Condition.bad_request);

        assertThat(server.login("romeo", "montague-secret").isAuthenticated()).isTrue();
        assertThat(server.login("nurse", "angelica-secret").isAuthenticated()).isTrue();
    }

    @Test
    void cancellingTheAccountEndsEverySessionAndRefusesLogin() throws Exception {
        server.ensureUser("mercutio", "queen-mab-secret");
        XMPPTCPConnection first = server.login("mercutio", "queen-mab-secret", "first");
        XMPPTCPConnection second = server.login("mercutio", "queen-mab-secret", "second");

        StoredData.deleteAccount(first);

        assertThat(StoredData.waitUntilDisconnected(second)).isTrue();
        assertThat(StoredData.waitUntilDisconnected(first)).isTrue();
        assertThat(StoredData.eventually(() -> !server.server().accounts().exists("mercutio"))).isTrue();
        assertThatThrownBy(() -> server.login("mercutio", "queen-mab-secret")).isInstanceOf(SASLErrorException.class);
    }
}
