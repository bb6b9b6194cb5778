package im.tongyou.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.XMPPException.XMPPErrorException;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.bytestreams.BytestreamSession;
import org.jivesoftware.smackx.bytestreams.socks5.Socks5BytestreamManager;
import org.jivesoftware.smackx.bytestreams.socks5.Socks5BytestreamSession;
import org.jivesoftware.smackx.bytestreams.socks5.Socks5Proxy;
import org.jivesoftware.smackx.bytestreams.socks5.packet.Bytestream;
import org.jivesoftware.smackx.disco.ServiceDiscoveryManager;
import org.jivesoftware.smackx.filetransfer.FileTransfer;
import org.jivesoftware.smackx.filetransfer.FileTransferManager;
import org.jivesoftware.smackx.filetransfer.OutgoingFileTransfer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.Jid;
import org.jxmpp.jid.impl.JidCreate;

/**
 * The SOCKS5 bytestreams proxy (XEP-0065 §6, mediated connection): Romeo's client has no proxy of
 * its own, so a transfer to Juliet goes through {@code proxy.<domain>}, and the proxy answers bad
 * IQs and bad SOCKS5 with the errors the XEP and RFC 1928 name.
 */
class Proxy65E2ETest {

    @RegisterExtension
    static TongyouServerExtension server = TongyouServerExtension.create();

    private static final byte[] LETTER = "Wherefore art thou Romeo? ".repeat(3000).getBytes(StandardCharsets.UTF_8);

    @BeforeAll
    static void users() throws Exception {
        server.createUser("romeo", "montague-secret");
        server.createUser("juliet", "capulet-secret");
        // The clients offer no streamhost of their own: only the server's proxy can carry the bytes.
        Socks5Proxy.setLocalSocks5ProxyEnabled(false);
    }

    @AfterAll
    static void restore() {
        Socks5Proxy.setLocalSocks5ProxyEnabled(true);
    }

    private static DomainBareJid proxy() throws Exception {
        return JidCreate.domainBareFrom("proxy." + server.domain());
    }

    @Test
    void theProxyIsFoundAndGivesItsAddress() throws Exception {
        XMPPTCPConnection romeo = server.login("romeo", "montague-secret");
        ServiceDiscoveryManager disco = ServiceDiscoveryManager.getInstanceFor(romeo);
        assertThat(disco.findServices(Bytestream.NAMESPACE, false, false)).contains(proxy());
        assertThat(disco.discoverInfo(proxy()).hasIdentity("proxy", "bytestreams")).isTrue();

        Bytestream.StreamHost host = streamHost(romeo);
        assertThat(host.getJID().toString()).isEqualTo(proxy().toString());
        assertThat(host.getAddress().toString()).isEqualTo("127.0.0.1");
        assertThat(host.getPort()).isPositive();
    }

    @Test
    void aBytestreamThroughTheProxyCarriesEveryByteBothWays() throws Exception {
        XMPPTCPConnection romeo = server.login("romeo", "montague-secret");
        XMPPTCPConnection juliet = server.login("juliet", "capulet-secret");
        CompletableFuture<byte[]> received = new CompletableFuture<>();
        Socks5BytestreamManager.getBytestreamManager(juliet).addIncomingBytestreamListener(request -> {
            try {
                BytestreamSession session = request.accept();
                byte[] bytes = session.getInputStream().readNBytes(LETTER.length);
                session.getOutputStream().write("received".getBytes(StandardCharsets.UTF_8));
                session.getOutputStream().flush();
                received.complete(bytes);
            } catch (Exception e) {
                received.completeExceptionally(e);
            }
        });

        Socks5BytestreamSession session = Socks5BytestreamManager.getBytestreamManager(romeo)
                .establishSession(juliet.getUser());
        assertThat(session.isMediated()).as("relayed by the proxy, not direct").isTrue();
        session.getOutputStream().write(LETTER);
        session.getOutputStream().flush();

        assertThat(received.get(30, TimeUnit.SECONDS)).isEqualTo(LETTER);
        byte[] answer = session.getInputStream().readNBytes(8);
        assertThat(new String(answer, StandardCharsets.UTF_8)).isEqualTo("received");
        session.close();
    }

    @Test
    void aFileOfferedByStreamInitiationGoesThroughTheProxy() throws Exception {
        XMPPTCPConnection romeo = server.login("romeo", "montague-secret");
        XMPPTCPConnection juliet = server.login("juliet", "capulet-secret");
        CompletableFuture<byte[]> received = new CompletableFuture<>();
        FileTransferManager.getInstanceFor(juliet).addFileTransferListener(request -> {
            try (InputStream in = request.accept().receiveFile()) {
                received.complete(in.readAllBytes());
            } catch (Exception e) {
                received.completeExceptionally(e);
            }
        });

        OutgoingFileTransfer transfer = FileTransferManager.getInstanceFor(romeo).createOutgoingFileTransfer(juliet.getUser());
        transfer.sendStream(new ByteArrayInputStream(LETTER), "letter.txt", LETTER.length, "a letter");

        assertThat(received.get(60, TimeUnit.SECONDS)).isEqualTo(LETTER);
        long deadline = System.currentTimeMillis() + 30_000;
        while (!transfer.isDone() && System.currentTimeMillis() < deadline) {
            Thread.sleep(50); // Smack reports the sender's side from its own thread
        }
        assertThat(transfer.getStatus()).isEqualTo(FileTransfer.Status.complete);
    }

    @Test
    void activationsThatCannotBeFulfilledGetTheXepsErrors() throws Exception {
        XMPPTCPConnection romeo = server.login("romeo", "montague-secret");
        XMPPTCPConnection juliet = server.login("juliet", "capulet-secret");
        Bytestream.StreamHost host = streamHost(romeo);

        // §6.3.4: nobody connected with that sid → item-not-found
        assertThat(activationError(romeo, "sid-nobody", juliet.getUser())).isEqualTo(StanzaError.Condition.item_not_found);

        // only one party connected → not-allowed
        String digest = digest("sid-alone", romeo.getUser(), juliet.getUser());
        try (Socket target = socks5Connect(host.getPort(), digest)) {
            assertThat(activationError(romeo, "sid-alone", juliet.getUser())).isEqualTo(StanzaError.Condition.not_allowed);
            // a third connection for a bytestream that already has two parties is refused (§9.1)
            try (Socket initiator = socks5Connect(host.getPort(), digest)) {
                assertThat(connectReply(host.getPort(), digest)).isEqualTo(0x02); // RFC 1928 §6: not allowed by ruleset
                assertThat(initiator.isConnected()).isTrue();
            }
        }

        // an activation naming no sid → bad-request
        Bytestream noSid = new Bytestream();
        noSid.setMode(null);
        noSid.setType(IQ.Type.set);
        noSid.setTo(proxy());
        noSid.setToActivate(juliet.getUser());
        assertThatThrownBy(() -> romeo.sendIqRequestAndWaitForResponse(noSid))
                .isInstanceOfSatisfying(XMPPErrorException.class,
                        e -> assertThat(e.getStanzaError().getCondition()).isEqualTo(StanzaError.Condition.bad_request));
    }

    @Test
    void whatIsNotSocks5IsRefused() throws Exception {
        XMPPTCPConnection romeo = server.login("romeo", "montague-secret");
        int port = streamHost(romeo).getPort();

        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(s.getInputStream().read()).as("closed without an answer").isEqualTo(-1);
        }
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(new byte[] {5, 1, 2}); // only username/password offered
            DataInputStream in = new DataInputStream(s.getInputStream());
            assertThat(new byte[] {in.readByte(), in.readByte()}).containsExactly(5, 0xFF); // RFC 1928 §3
            assertThat(in.read()).isEqualTo(-1);
        }
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(new byte[] {5, 1, 0});
            DataInputStream in = new DataInputStream(s.getInputStream());
            assertThat(new byte[] {in.readByte(), in.readByte()}).containsExactly(5, 0);
            out.write(new byte[] {5, 1, 0, 1, 127, 0, 0, 1, 0, 80}); // CONNECT to an IPv4 address
            assertThat(new byte[] {in.readByte(), in.readByte()}).containsExactly(5, 8); // address type not supported
        }
    }

    private static Bytestream.StreamHost streamHost(XMPPTCPConnection connection) throws Exception {
        Bytestream ask = new Bytestream();
        ask.setMode(null);
        ask.setType(IQ.Type.get);
        ask.setTo(proxy());
        List<Bytestream.StreamHost> hosts = ((Bytestream) connection.sendIqRequestAndWaitForResponse(ask)).getStreamHosts();
        assertThat(hosts).hasSize(1);
        return hosts.get(0);
    }

    private static StanzaError.Condition activationError(XMPPTCPConnection from, String sid, Jid target) throws Exception {
        Bytestream activate = new Bytestream(sid);
        activate.setMode(null);
        activate.setType(IQ.Type.set);
        activate.setTo(proxy());
        activate.setToActivate(target);
        try {
            from.sendIqRequestAndWaitForResponse(activate);
        } catch (XMPPErrorException e) {
            return e.getStanzaError().getCondition();
        }
        throw new AssertionError("the activation of " + sid + " succeeded");
    }

    private static String digest(String sid, Jid initiator, Jid target) throws Exception {
        byte[] hash = MessageDigest.getInstance("SHA-1")
                .digest((sid + initiator + target).getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(hash);
    }

    /** A SOCKS5 CONNECT to the digest that the proxy accepted. */
    private static Socket socks5Connect(int port, String digest) throws IOException {
        Socket s = new Socket("127.0.0.1", port);
        s.setSoTimeout(10_000);
        int status = connect(s, digest);
        assertThat(status).as("SOCKS5 reply status").isZero();
        return s;
    }

    private static int connectReply(int port, String digest) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            return connect(s, digest);
        }
    }

    private static int connect(Socket s, String digest) throws IOException {
        OutputStream out = s.getOutputStream();
        DataInputStream in = new DataInputStream(s.getInputStream());
        out.write(new byte[] {5, 1, 0});
        assertThat(new byte[] {in.readByte(), in.readByte()}).containsExactly(5, 0);
        byte[] addr = digest.getBytes(StandardCharsets.US_ASCII);
        out.write(new byte[] {5, 1, 0, 3, (byte) addr.length});
        out.write(addr);
        out.write(new byte[] {0, 0});
        out.flush();
        assertThat(in.readByte()).isEqualTo((byte) 5);
        return in.readUnsignedByte();
    }
}
