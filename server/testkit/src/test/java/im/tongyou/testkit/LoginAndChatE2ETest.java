package im.tongyou.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.ConnectionListener;
import org.jivesoftware.smack.SASLAuthentication;
import org.jivesoftware.smack.StanzaCollector;
import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.filter.AndFilter;
import org.jivesoftware.smack.filter.FromMatchesFilter;
import org.jivesoftware.smack.filter.StanzaTypeFilter;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.MessageBuilder;
import org.jivesoftware.smack.packet.StreamError;
import org.jivesoftware.smack.sasl.SASLErrorException;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.disco.ServiceDiscoveryManager;
import org.jivesoftware.smackx.disco.packet.DiscoverInfo;
import org.jivesoftware.smackx.iqversion.VersionManager;
import org.jivesoftware.smackx.iqversion.packet.Version;
import org.jivesoftware.smackx.ping.PingManager;
import org.jivesoftware.smackx.time.EntityTimeManager;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.impl.JidCreate;

/** Romeo and Juliet log in with stock Smack clients and talk: the foundation works end to end. */
class LoginAndChatE2ETest {

    @RegisterExtension
    static TongyouServerExtension server = TongyouServerExtension.create();

    @BeforeAll
    static void users() throws Exception {
        server.createUser("romeo", "montague-secret");
        server.createUser("juliet", "capulet-secret");
    }

    @Test
    void loginOverStartTlsWithScramSha256BindsAResource() throws Exception {
        XMPPTCPConnection romeo = server.login("romeo", "montague-secret");

        assertThat(romeo.isSecureConnection()).isTrue();
        assertThat(romeo.isAuthenticated()).isTrue();
        assertThat(romeo.getUsedSaslMechansism()).isEqualTo("SCRAM-SHA-256");
        assertThat(romeo.getUser().asEntityBareJidString()).isEqualTo("romeo@" + server.domain());
        assertThat(romeo.getUser().getResourceOrEmpty().toString()).isNotEmpty();
    }

    @Test
    void aMessageFromRomeoReachesJuliet() throws Exception {
        XMPPTCPConnection romeo = server.login("romeo", "montague-secret", "balcony");
        XMPPTCPConnection juliet = server.login("juliet", "capulet-secret");
        server.sync(juliet); // her initial presence has reached the server: she is available
        EntityBareJid julietJid = JidCreate.entityBareFrom("juliet@" + server.domain());
        StanzaCollector inbox = juliet.createStanzaCollector(new AndFilter(StanzaTypeFilter.MESSAGE,
                FromMatchesFilter.createFull(romeo.getUser())));

        Message message = MessageBuilder.buildMessage("m1").to(julietJid).ofType(Message.Type.chat)
                .setBody("But soft, what light through yonder window breaks? 东方 🌅").build();
        romeo.sendStanza(message);

        Message received = inbox.nextResultOrThrow(10_000);
        assertThat(received.getBody()).isEqualTo("But soft, what light through yonder window breaks? 东方 🌅");
        assertThat((Object) received.getFrom()).isEqualTo(romeo.getUser());
        assertThat(received.getType()).isEqualTo(Message.Type.chat);
        inbox.cancel();
    }

    @Test
    void theServerAnswersPingVersionTimeAndDisco() throws Exception {
        XMPPTCPConnection romeo = server.login("romeo", "montague-secret");

        assertThat(PingManager.getInstanceFor(romeo).pingMyServer(false, 10_000)).isTrue();

        DiscoverInfo info = ServiceDiscoveryManager.getInstanceFor(romeo).discoverInfo(romeo.getXMPPServiceDomain());
        assertThat(info.hasIdentity("server", "im")).isTrue();
        assertThat(info.containsFeature("urn:xmpp:ping")).isTrue();
        assertThat(info.containsFeature("jabber:iq:version")).isTrue();
        assertThat(info.containsFeature("urn:xmpp:time")).isTrue();
        assertThat(info.containsFeature("http://jabber.org/protocol/disco#info")).isTrue();

        Version version = VersionManager.getInstanceFor(romeo).getVersion(romeo.getXMPPServiceDomain());
        assertThat(version.getName()).isEqualTo("Tongyou Server");
        assertThat(version.getOs()).isNull();

        assertThat(EntityTimeManager.getInstanceFor(romeo).getTime(romeo.getXMPPServiceDomain()).getUtc())
                .isNotBlank();
    }

    @Test
    void loginOverDirectTls() throws Exception {
        XMPPTCPConnection romeo = server.connect(server.directTlsConfig("romeo", "montague-secret").build());

        assertThat(romeo.isAuthenticated()).isTrue();
        assertThat(PingManager.getInstanceFor(romeo).pingMyServer(false, 10_000)).isTrue();
    }

    @Test
    void aWrongPasswordFailsWithNotAuthorized() {
        assertThatThrownBy(() -> server.login("romeo", "rosaline"))
                .isInstanceOfSatisfying(SASLErrorException.class, e ->
                        assertThat(e.getSASLFailure().getSASLErrorString()).isEqualTo("not-authorized"));
    }

    @Test
    void anUnknownUserFailsExactlyLikeAWrongPassword() {
        assertThatThrownBy(() -> server.login("mercutio", "queen-mab"))
                .isInstanceOfSatisfying(SASLErrorException.class, e ->
                        assertThat(e.getSASLFailure().getSASLErrorString()).isEqualTo("not-authorized"));
    }

    @Test
    void aSecondLoginWithTheSameResourceReplacesTheFirstWithConflict() throws Exception {
        XMPPTCPConnection first = server.login("juliet", "capulet-secret", "phone");
        CompletableFuture<Exception> closed = new CompletableFuture<>();
        first.addConnectionListener(new ConnectionListener() {
            @Override
            public void connectionClosedOnError(Exception e) {
                closed.complete(e);
            }
        });

        XMPPTCPConnection second = server.login("juliet", "capulet-secret", "phone");

        Exception error = closed.get(10, TimeUnit.SECONDS);
        assertThat(error).isInstanceOfSatisfying(XMPPException.StreamErrorException.class, e ->
                assertThat(e.getStreamError().getCondition()).isEqualTo(StreamError.Condition.conflict));
        assertThat(second.isAuthenticated()).isTrue();
        assertThat(PingManager.getInstanceFor(second).pingMyServer(false, 10_000)).isTrue();
        assertThat(second.getUser().getResourceOrEmpty().toString()).isEqualTo("phone");
    }

    @Test
    void scramSha1WorksToo() throws Exception {
        XMPPTCPConnection sha1 = server.connect(server.baseConfig("romeo", "montague-secret")
                .addEnabledSaslMechanism("SCRAM-SHA-1").build());

        assertThat(sha1.getUsedSaslMechansism()).isEqualTo("SCRAM-SHA-1");
    }

    @Test
    void plainWorksInsideTls() throws Exception {
        SASLAuthentication.unBlacklistSASLMechanism("PLAIN");
        XMPPTCPConnection plain = server.connect(server.baseConfig("romeo", "montague-secret")
                .addEnabledSaslMechanism("PLAIN").build());

        assertThat(plain.getUsedSaslMechansism()).isEqualTo("PLAIN");
        assertThat(plain.isSecureConnection()).isTrue();
    }
}
