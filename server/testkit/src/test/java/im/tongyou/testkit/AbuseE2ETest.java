package im.tongyou.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.MessageBuilder;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.ping.PingManager;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jxmpp.jid.impl.JidCreate;

/**
 * Limits under abuse (RFC 6120 §13.12): a client that never reads is disconnected instead of being
 * buffered for without bound, a connection flood from one address is cut at the limit while other
 * addresses connect, and a stanza flood ends the flooder's stream with policy-violation. Everyone
 * else keeps being served.
 */
class AbuseE2ETest {

    @RegisterExtension
    static TongyouServerExtension server = TongyouServerExtension.builder()
            .set("stream.max-outbound-bytes", "65536")
            .set("stream.max-connections-per-address", "5")
            .set("stream.max-stanzas-per-second", "1000")
            .set("stream.stanza-burst", "1000")
            .build();

    @BeforeAll
    static void users() throws Exception {
        server.createUser("romeo", "montague-secret");
        server.createUser("juliet", "capulet-secret");
        server.createUser("slow", "never-reads-1");
        server.createUser("flood", "floods-a-lot");
    }

    @Test
    void aClientThatNeverReadsIsDisconnectedAndOthersCarryOn() throws Exception {
        try (RawXmppClient slow = server.raw(InetAddress.getByName("127.0.0.3"), 4096)) {
            slow.login("slow", "never-reads-1", "deaf");
            slow.send("<presence/>");
            XMPPTCPConnection romeo = server.login("romeo", "montague-secret");
            String page = "x".repeat(8_000);
            // Far more than the server may queue (64 KiB here) plus what the kernel buffers hold.
            int sent = 0;
            while (sent < 2_000 && !server.server().sessions().of("slow").isEmpty()) {
                long began = System.nanoTime();
                for (int i = 0; i < 10; i++) {
                    romeo.sendStanza(MessageBuilder.buildMessage().to(JidCreate.entityFullFrom("slow@" + server.domain() + "/deaf"))
                            .ofType(Message.Type.chat).setBody(page).build());
                }
                sent += 10;
                server.sync(romeo); // lets the server write
                // Keeps romeo under his own stanza rate (1,000 a second here): 11 stanzas in at least
                // 12 ms. A ping's round trip alone was not enough on a fast run, which ended his
                // stream with policy-violation before the deaf client's was cut.
                long left = TimeUnit.MILLISECONDS.toNanos(12) - (System.nanoTime() - began);
                if (left > 0) {
                    TimeUnit.NANOSECONDS.sleep(left);
                }
            }

            long deadline = System.currentTimeMillis() + 10_000;
            while (!server.server().sessions().of("slow").isEmpty() && System.currentTimeMillis() < deadline) {
                Thread.sleep(20); // the session ends on the event loop after the close
            }
            assertThat(server.server().sessions().of("slow")).as("the deaf client was disconnected").isEmpty();
            assertThat(PingManager.getInstanceFor(romeo).pingMyServer(false, 10_000)).isTrue();
        }
    }

    @Test
    void aConnectionFloodFromOneAddressIsCutAtTheLimit() throws Exception {
        InetAddress flooder = InetAddress.getByName("127.0.0.4");
        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < 6; i++) {
                held.add(connect(flooder));
            }
            // The server counts connections on several event loops, so which of the six it refuses is
            // not fixed: exactly one is closed, the other five stay open.
            Socket refused = awaitOneClosed(held);
            assertThat(refused).as("one connection over the limit is closed").isNotNull();
            held.remove(refused);
            for (Socket s : held) {
                assertThat(isOpen(s)).as("the five within the limit stay open").isTrue();
            }
            refused.close();

            try (RawXmppClient other = server.raw(InetAddress.getByName("127.0.0.5"), 0)) {
                assertThat(other.openStream()).contains("<starttls");
            }
            held.remove(0).close();
            assertThat(acceptedWithin(flooder, 10_000)).as("a slot freed by a close is given again").isTrue();
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }

    @Test
    void aStanzaFloodEndsTheFloodersStreamWithPolicyViolation() throws Exception {
        XMPPTCPConnection juliet = server.login("juliet", "capulet-secret");
        try (RawXmppClient flood = server.raw()) {
            flood.login("flood", "floods-a-lot", "flood");
            StringBuilder burst = new StringBuilder();
            for (int i = 0; i < 3000; i++) {
                burst.append("<iq type='get' id='p").append(i).append("' to='").append(server.domain())
                        .append("'><ping xmlns='urn:xmpp:ping'/></iq>");
            }
            flood.send(burst.toString());
            assertThat(flood.awaitClose()).contains("<policy-violation");
        }
        assertThat(PingManager.getInstanceFor(juliet).pingMyServer(false, 10_000)).isTrue();
    }

    /** The server notices a close asynchronously: try again until a connection is kept open. */
    private static boolean acceptedWithin(InetAddress local, long millis) throws Exception {
        long deadline = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < deadline) {
            try (RawXmppClient again = server.raw(local, 0)) {
                if (again.openStream().contains("<starttls")) {
                    return true;
                }
            } catch (java.io.IOException closed) {
                Thread.sleep(50);
            }
        }
        return false;
    }

    private static Socket awaitOneClosed(List<Socket> sockets) throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            for (Socket s : sockets) {
                if (!isOpen(s)) {
                    return s;
                }
            }
        }
        return null;
    }

    /** Open: a short read times out; closed by the server: the read ends the stream. */
    private static boolean isOpen(Socket socket) throws Exception {
        socket.setSoTimeout(100);
        try {
            return socket.getInputStream().read() != -1;
        } catch (java.net.SocketTimeoutException stillOpen) {
            return true;
        }
    }

    private static Socket connect(InetAddress local) throws Exception {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(local, 0));
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.server().c2sPort()), 5000);
        return socket;
    }
}
