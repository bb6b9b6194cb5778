package im.tongyou.server.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import im.tongyou.server.auth.ScramCredentials;
import im.tongyou.server.auth.ScramHash;
import im.tongyou.server.auth.StoredCredentials;
import im.tongyou.server.auth.UnknownUserDecoys;
import im.tongyou.server.session.SessionRegistry;
import im.tongyou.server.tls.ServerTlsContext;
import im.tongyou.server.tls.TestTrust;
import im.tongyou.server.tls.TlsContextFactory;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client listeners are bound while the server's TLS context is still loading: a connection
 * that needs TLS in those first moments waits for it (reading nothing), then goes on; if the
 * context fails to load, STARTTLS fails as RFC 6120 §5.4.2.2 says and direct TLS is closed.
 * Real sockets on loopback, a real BoringSSL or JDK context, the JDK's TLS as the client.
 */
class TlsLoadingListenerTest {

    private static final String DOMAIN = "tls.test";
    private static final byte[] SALT = "tongyou-tls-loading".getBytes(StandardCharsets.UTF_8);
    private static final String HEADER = "<?xml version='1.0'?><stream:stream xmlns='jabber:client'"
            + " xmlns:stream='http://etherx.jabber.org/streams' to='" + DOMAIN + "' version='1.0'>";
    /** How long a waiting connection is watched for anything it should not get yet. */
    private static final int QUIET_MILLIS = 300;

    @TempDir
    Path dir;

    private final CompletableFuture<SslContext> loading = new CompletableFuture<>();
    private EventLoopGroup loops;
    private ExecutorService workers;
    private C2sListener listener;
    private ServerTlsContext tls;

    @BeforeEach
    void setUp() throws Exception {
        tls = TlsContextFactory.create(null, null, List.of("TLSv1.3", "TLSv1.2"), dir, DOMAIN);
        loops = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        workers = Executors.newSingleThreadExecutor();
    }

    @AfterEach
    void tearDown() {
        if (listener != null) {
            listener.close();
        }
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownNow();
    }

    @Test
    void startTlsBeforeTheContextHasLoadedWaitsForItThenProceeds() throws Exception {
        bind(false);
        try (Socket socket = connect()) {
            socket.getOutputStream().write(HEADER.getBytes(StandardCharsets.UTF_8));
            // RFC 6120 §5.3.1: STARTTLS is offered, and required, though the context is not ready yet.
            assertThat(readUntil(socket, "</stream:features>")).contains("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'");
            socket.getOutputStream().write("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>".getBytes(StandardCharsets.UTF_8));

            assertThat(readFor(socket, QUIET_MILLIS)).as("nothing before the context is ready").isEmpty();
            loading.complete(tls.sslContext());
            assertThat(readUntil(socket, "/>")).contains("<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");

            SSLSocket secured = (SSLSocket) TestTrust.trusting(tls.certificate()).getSocketFactory()
                    .createSocket(socket, "127.0.0.1", socket.getPort(), true);
            secured.setUseClientMode(true);
            secured.setSoTimeout(10_000);
            secured.startHandshake();
            secured.getOutputStream().write(HEADER.getBytes(StandardCharsets.UTF_8));
            // §5.3.1 and §13.8.3: inside TLS the new stream offers SASL (PLAIN among it), no STARTTLS.
            String features = readUntil(secured, "</stream:features>");
            assertThat(features).contains("<mechanism>PLAIN</mechanism>").doesNotContain("starttls");
        }
    }

    @Test
    void directTlsBeforeTheContextHasLoadedWaitsForItThenHandshakes() throws Exception {
        bind(true);
        try (Socket socket = connect()) {
            SSLSocket secured = (SSLSocket) TestTrust.trusting(tls.certificate()).getSocketFactory()
                    .createSocket(socket, "127.0.0.1", socket.getPort(), true);
            secured.setUseClientMode(true);
            secured.setSoTimeout(10_000);
            CompletableFuture<Void> handshake = CompletableFuture.runAsync(() -> {
                try {
                    secured.startHandshake();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            Thread.sleep(QUIET_MILLIS);
            assertThat(handshake).as("no handshake before the context is ready").isNotDone();

            loading.complete(tls.sslContext());
            handshake.get(10, TimeUnit.SECONDS);
            secured.getOutputStream().write(HEADER.getBytes(StandardCharsets.UTF_8));
            assertThat(readUntil(secured, "</stream:features>")).contains("<mechanism>PLAIN</mechanism>");
        }
    }

    @Test
    void startTlsFailsAndTheConnectionClosesWhenTheContextCannotLoad() throws Exception {
        bind(false);
        try (Socket socket = connect()) {
            socket.getOutputStream().write(HEADER.getBytes(StandardCharsets.UTF_8));
            readUntil(socket, "</stream:features>");
            socket.getOutputStream().write("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>".getBytes(StandardCharsets.UTF_8));
            assertThat(readFor(socket, QUIET_MILLIS)).isEmpty();

            loading.completeExceptionally(new IOException("the key does not belong to the certificate"));
            // §5.4.2.2: <failure/>, then the stream and the connection are closed.
            String rest = readToEnd(socket);
            assertThat(rest).contains("<failure xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>").contains("</stream:stream>");
        }
    }

    @Test
    void directTlsIsClosedWhenTheContextCannotLoad() throws Exception {
        bind(true);
        try (Socket socket = connect()) {
            socket.getOutputStream().write(new byte[] {0x16, 0x03, 0x01}); // the start of a ClientHello
            assertThat(readFor(socket, QUIET_MILLIS)).isEmpty();
            loading.completeExceptionally(new IOException("no certificate"));
            assertThat(readToEnd(socket)).isEmpty();
        }
    }

    @Test
    void aListenerWhoseContextHasLoadedHandsOutHandlersAtOnce() throws Exception {
        loading.complete(tls.sslContext());
        bind(false);
        try (Socket socket = connect()) {
            socket.getOutputStream().write(HEADER.getBytes(StandardCharsets.UTF_8));
            readUntil(socket, "</stream:features>");
            socket.getOutputStream().write("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>".getBytes(StandardCharsets.UTF_8));
            assertThat(readUntil(socket, "/>")).contains("<proceed");
        }
        assertThatThrownBy(() -> new C2sSettings(DOMAIN, false, new CompletableFuture<>(), 3, 10, 5, 1000, 1000,
                1 << 20, 50, 100, null).newTlsHandler(io.netty.buffer.ByteBufAllocator.DEFAULT, true))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not ready");
    }

    private void bind(boolean directTls) throws InterruptedException {
        StoredCredentials credentials = new StoredCredentials(
                ScramCredentials.derive(ScramHash.SHA_1, "secret".toCharArray(), SALT, 1),
                ScramCredentials.derive(ScramHash.SHA_256, "secret".toCharArray(), SALT, 1), false);
        C2sServices services = TestC2sServices.create(DOMAIN, new SessionRegistry(DOMAIN), Set.of("romeo"),
                credentials, new UnknownUserDecoys(SALT, 1), loops.next(), workers);
        C2sSettings settings = new C2sSettings(DOMAIN, directTls, loading, 3, 10, 5, 1000, 1000, 1 << 20, 50, 100,
                null);
        listener = new C2sListener(new InetSocketAddress("127.0.0.1", 0), loops, loops, NioServerSocketChannel.class,
                settings, services, new C2sListener.StreamLimits(1 << 16, 16, 60), new ConnectionLimiter(10));
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket();
        socket.connect(listener.address(), 5000);
        return socket;
    }

    /** Reads until the text read contains the marker (10 s at most), and returns it. */
    private static String readUntil(Socket socket, String marker) throws IOException {
        socket.setSoTimeout(10_000);
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        while (!text.toString(StandardCharsets.UTF_8).contains(marker)) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed before " + marker + ": " + text.toString(StandardCharsets.UTF_8));
            }
            text.write(b);
        }
        return text.toString(StandardCharsets.UTF_8);
    }

    /** What arrives within the time given (the connection staying open). */
    private static String readFor(Socket socket, int millis) throws IOException {
        socket.setSoTimeout(millis);
        byte[] buffer = new byte[4096];
        try {
            int n = socket.getInputStream().read(buffer);
            return n < 0 ? "(closed)" : new String(buffer, 0, n, StandardCharsets.UTF_8);
        } catch (SocketTimeoutException e) {
            return "";
        }
    }

    /** Everything until the server closes the connection (10 s at most). */
    private static String readToEnd(Socket socket) throws IOException {
        socket.setSoTimeout(10_000);
        return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
}
