package im.tongyou.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.jivesoftware.smack.sasl.SASLErrorException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Stream-level protections: failed logins (RFC 6120 §6.4.5 and the account and address limits), the
 * idle timeout with whitespace keepalives (§4.6.1), and header checks (§4.7, §4.9.3).
 */
class StreamLimitsE2ETest {

    @RegisterExtension
    static TongyouServerExtension server = TongyouServerExtension.builder()
            .set("stream.idle-timeout-seconds", "2")
            .set("auth.max-failures-per-account", "4")
            .build();

    @BeforeAll
    static void users() throws Exception {
        server.createUser("romeo", "montague-secret");
        server.createUser("paris", "county-paris-1");
        server.createUser("juliet", "capulet-secret");
    }

    private static String plain(String user, String password) {
        return "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>"
                + Base64.getEncoder().encodeToString(("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8))
                + "</auth>";
    }

    @Test
    void threeFailuresOnOneStreamCloseItWithPolicyViolation() throws IOException {
        try (RawXmppClient raw = server.raw()) {
            raw.openStream();
            raw.startTls();
            for (int i = 0; i < 2; i++) {
                raw.send(plain("romeo", "wrong-" + i));
                assertThat(raw.readUntil("</failure>")).contains("<not-authorized/>");
            }
            raw.send(plain("romeo", "wrong-2"));
            String end = raw.awaitClose();
            assertThat(end).contains("<not-authorized/>").contains("<policy-violation");
        }
    }

    @Test
    void anAccountUnderAttackIsLockedEvenForTheRightPasswordWhileOthersStillLogIn() throws Exception {
        for (int i = 0; i < 4; i++) {
            int attempt = i;
            assertThatThrownBy(() -> server.login("paris", "guess-" + attempt)).isInstanceOf(SASLErrorException.class);
        }

        assertThatThrownBy(() -> server.login("paris", "county-paris-1"))
                .isInstanceOfSatisfying(SASLErrorException.class, e ->
                        assertThat(e.getSASLFailure().getSASLErrorString()).isEqualTo("temporary-auth-failure"));
        assertThat(server.login("juliet", "capulet-secret").isAuthenticated()).isTrue();
    }

    @Test
    void anIdleStreamIsClosedButKeepalivesKeepItOpen() throws Exception {
        try (RawXmppClient raw = server.raw()) {
            raw.login("romeo", "montague-secret", "idle");
            for (int i = 0; i < 4; i++) {
                Thread.sleep(1000);
                raw.send(" "); // RFC 6120 §4.6.1: whitespace keepalive
            }
            raw.send("<iq type='get' id='p1' to='tongyou.test'><ping xmlns='urn:xmpp:ping'/></iq>");
            assertThat(raw.readUntil("id=\"p1\"")).contains("type=\"result\"");
            assertThat(raw.awaitClose()).contains("<connection-timeout");
        }
    }

    @Test
    void anOldStreamVersionIsUnsupported() throws IOException {
        try (RawXmppClient raw = server.raw()) {
            raw.send("<?xml version='1.0'?><stream:stream to='tongyou.test' xmlns='jabber:client' "
                    + "xmlns:stream='http://etherx.jabber.org/streams'>");
            assertThat(raw.awaitClose()).contains("<unsupported-version");
        }
    }

    @Test
    void aWrongContentNamespaceIsInvalidNamespace() throws IOException {
        try (RawXmppClient raw = server.raw()) {
            raw.send("<?xml version='1.0'?><stream:stream to='tongyou.test' xmlns='jabber:server' "
                    + "xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>");
            assertThat(raw.awaitClose()).contains("<invalid-namespace");
        }
    }

    @Test
    void aStanzaOfAnUnknownKindIsUnsupportedStanzaType() throws IOException {
        try (RawXmppClient raw = server.raw()) {
            raw.login("romeo", "montague-secret", "odd");
            raw.send("<note xmlns='urn:example:notes'>hello</note>");
            assertThat(raw.awaitClose()).contains("<unsupported-stanza-type");
        }
    }

    @Test
    void anIqWithTwoPayloadsIsABadRequestAndTheStreamStaysOpen() throws IOException {
        try (RawXmppClient raw = server.raw()) {
            raw.login("romeo", "montague-secret", "iq");
            raw.send("<iq type='get' id='two' to='tongyou.test'><ping xmlns='urn:xmpp:ping'/>"
                    + "<query xmlns='jabber:iq:version'/></iq>");
            assertThat(raw.readUntil("</iq>")).contains("type=\"error\"").contains("<bad-request");
            raw.send("<iq type='get' id='p2' to='tongyou.test'><ping xmlns='urn:xmpp:ping'/></iq>");
            assertThat(raw.readUntil("id=\"p2\"")).contains("type=\"result\"");
        }
    }
}
