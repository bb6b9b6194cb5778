package im.tongyou.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.jivesoftware.smack.StanzaCollector;
import org.jivesoftware.smack.filter.StanzaTypeFilter;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.MessageBuilder;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.ping.PingManager;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jxmpp.jid.impl.JidCreate;

/**
 * Bad input gets the right stream error (RFC 6120 §4.9.3) and a closed connection, and the server
 * keeps serving everyone else: a Smack session opened before each attack still chats after it.
 */
class BadInputE2ETest {

    @RegisterExtension
    static TongyouServerExtension server = TongyouServerExtension.builder()
            .set("stream.max-stanza-bytes", "10000")
            .set("stream.negotiation-timeout-seconds", "2")
            .build();

    private XMPPTCPConnection bystander;

    @BeforeAll
    static void users() throws Exception {
        server.createUser("romeo", "montague-secret");
        server.createUser("juliet", "capulet-secret");
        server.createUser("tybalt", "prince-of-cats");
    }

    @BeforeEach
    void bystander() throws Exception {
        bystander = server.login("juliet", "capulet-secret", "bystander");
        server.sync(bystander);
    }

    @Test
    void garbageBytesAreNotWellFormed() throws Exception {
        try (RawXmppClient raw = server.raw()) {
            raw.send(new byte[] {(byte) 0xff, (byte) 0xfe, 0x00, 'x', '<', '<', '>'});
            String answer = raw.awaitClose();
            assertThat(answer).contains("<stream:stream").contains("<not-well-formed");
        }
        assertStillServing();
    }

    @Test
    void aDoctypeIsRestrictedXml() throws Exception {
        try (RawXmppClient raw = server.raw()) {
            raw.send("<?xml version='1.0'?><!DOCTYPE stream [<!ENTITY x 'y'>]>" + raw.header());
            assertThat(raw.awaitClose()).contains("<restricted-xml");
        }
        assertStillServing();
    }

    @Test
    void aBillionLaughsPayloadIsRefusedWithoutExpansion() throws Exception {
        StringBuilder dtd = new StringBuilder("<?xml version='1.0'?><!DOCTYPE lolz [<!ENTITY lol 'lol'>");
        for (int i = 1; i <= 9; i++) {
            dtd.append("<!ENTITY lol").append(i).append(" '");
            for (int j = 0; j < 10; j++) {
                dtd.append("&lol").append(i == 1 ? "" : String.valueOf(i - 1)).append(';');
            }
            dtd.append("'>");
        }
        dtd.append("]>");
        try (RawXmppClient raw = server.raw()) {
            raw.send(dtd + raw.header() + "<message to='juliet@tongyou.test'><body>&lol9;</body></message>");
            assertThat(raw.awaitClose()).contains("<restricted-xml");
        }
        assertStillServing();
    }

    @Test
    void anUndeclaredEntityInAStanzaIsRestrictedXml() throws Exception {
        try (RawXmppClient raw = server.raw()) {
            raw.login("tybalt", "prince-of-cats", "entity");
            raw.send("<message to='juliet@tongyou.test'><body>&xxe;</body></message>");
            assertThat(raw.awaitClose()).contains("<restricted-xml");
        }
        assertStillServing();
    }

    @Test
    void anOversizedStanzaIsAPolicyViolation() throws Exception {
        try (RawXmppClient raw = server.raw()) {
            raw.login("tybalt", "prince-of-cats", "big");
            raw.send("<message to='juliet@tongyou.test'><body>" + "x".repeat(20_000) + "</body></message>");
            assertThat(raw.awaitClose()).contains("<policy-violation");
        }
        assertStillServing();
    }

    @Test
    void aForgedFromIsInvalidFrom() throws Exception {
        StanzaCollector inbox = bystander.createStanzaCollector(StanzaTypeFilter.MESSAGE);
        try (RawXmppClient raw = server.raw()) {
            raw.login("tybalt", "prince-of-cats", "forger");
            raw.send("<message from='romeo@tongyou.test/balcony' to='juliet@tongyou.test' type='chat'>"
                    + "<body>I am Romeo</body></message>");
            assertThat(raw.awaitClose()).contains("<invalid-from");
        }
        assertStillServing();
        // The forged message never reached Juliet: only the one from assertStillServing did.
        Message first = inbox.nextResult(5_000);
        assertThat(first).isNotNull();
        assertThat(first.getBody()).isEqualTo("still here");
        inbox.cancel();
    }

    @Test
    void aClientThatNeverFinishesItsHeaderIsTimedOut() throws Exception {
        try (RawXmppClient raw = server.raw()) {
            raw.send("<?xml version='1.0'?><stream:stream to='tongyou.test' xmlns='jabber:client'");
            assertThat(raw.awaitClose()).contains("<connection-timeout");
        }
        assertStillServing();
    }

    @Test
    void stanzasBeforeAuthenticationAreNotAuthorized() throws Exception {
        try (RawXmppClient raw = server.raw()) {
            raw.openStream();
            raw.startTls();
            raw.send("<message to='juliet@tongyou.test'><body>hello</body></message>");
            assertThat(raw.awaitClose()).contains("<not-authorized");
        }
        assertStillServing();
    }

    @Test
    void authenticatingBeforeStartTlsIsRefused() throws Exception {
        try (RawXmppClient raw = server.raw()) {
            String features = raw.openStream();
            assertThat(features).contains("<starttls").contains("<required/>").doesNotContain("<mechanisms");
            raw.send("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>"
                    + java.util.Base64.getEncoder().encodeToString("\0tybalt\0prince-of-cats".getBytes(StandardCharsets.UTF_8))
                    + "</auth>");
            assertThat(raw.awaitClose()).contains("<policy-violation").doesNotContain("<success");
        }
        assertStillServing();
    }

    @Test
    void aStreamToAnotherDomainIsHostUnknown() throws Exception {
        try (RawXmppClient raw = server.raw()) {
            raw.send("<?xml version='1.0'?><stream:stream to='example.org' xmlns='jabber:client' "
                    + "xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>");
            assertThat(raw.awaitClose()).contains("<host-unknown");
        }
        assertStillServing();
    }

    /** The bystander still answers, and a new client can still log in and reach it. */
    private void assertStillServing() throws Exception {
        assertThat(PingManager.getInstanceFor(bystander).pingMyServer(false, 10_000)).isTrue();
        XMPPTCPConnection romeo = server.login("romeo", "montague-secret");
        StanzaCollector inbox = bystander.createStanzaCollector(StanzaTypeFilter.MESSAGE);
        romeo.sendStanza(MessageBuilder.buildMessage().to(JidCreate.entityBareFrom("juliet@tongyou.test"))
                .ofType(Message.Type.chat).setBody("still here").build());
        Message received = inbox.nextResultOrThrow(10_000);
        assertThat(received.getBody()).isEqualTo("still here");
        inbox.cancel();
    }
}
