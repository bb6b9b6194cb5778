package im.tongyou.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import org.jivesoftware.smack.ConnectionConfiguration;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The loopback plaintext listener (for benchmarks): SCRAM without TLS works, PLAIN is never offered
 * there, and the STARTTLS listener still requires TLS. Server-generated resources are checked here
 * too, since a raw client can ask for none.
 */
class PlaintextListenerE2ETest {

    @RegisterExtension
    static TongyouServerExtension server = TongyouServerExtension.builder()
            .set("listeners.c2s-plaintext.enabled", "true")
            .set("listeners.c2s-plaintext.port", "0")
            .build();

    @BeforeAll
    static void users() throws Exception {
        server.createUser("romeo", "montague-secret");
    }

    @Test
    void scramWorksWithoutTlsOnTheLoopbackListener() throws Exception {
        XMPPTCPConnection romeo = server.connect(server.baseConfig("romeo", "montague-secret")
                .setPort(server.server().plaintextPort())
                .setSecurityMode(ConnectionConfiguration.SecurityMode.disabled)
                .addEnabledSaslMechanism("SCRAM-SHA-1")
                .build());

        assertThat(romeo.isAuthenticated()).isTrue();
        assertThat(romeo.isSecureConnection()).isFalse();
    }

    @Test
    void plainIsNotOfferedWithoutTls() throws IOException {
        try (RawXmppClient raw = new RawXmppClient(InetAddress.getLoopbackAddress(),
                server.server().plaintextPort(), server.domain(), server.clientTls())) {
            String features = raw.openStream();
            assertThat(features).contains("<mechanism>SCRAM-SHA-256</mechanism>")
                    .doesNotContain("<mechanism>PLAIN</mechanism>").doesNotContain("starttls");
        }
    }

    @Test
    void theServerGeneratesAResourceWhenNoneIsAsked() throws IOException {
        try (RawXmppClient raw = server.raw()) {
            raw.openStream();
            raw.startTls();
            raw.authenticate("romeo", "montague-secret");
            raw.send("<iq type='set' id='b1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></iq>");
            String bound = raw.readUntil("</iq>");
            assertThat(bound).containsPattern("<jid>romeo@tongyou\\.test/ty-[a-z0-9]{12}</jid>");
        }
    }
}
