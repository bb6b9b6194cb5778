package im.tongyou.testkit;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A socket-level XMPP client for tests of bad input: it writes exactly the bytes a test gives and
 * reads whatever the server answers, so a test can send what no stock client would.
 */
public final class RawXmppClient implements Closeable {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final InetAddress host;
    private final int port;
    private final String domain;
    private final SSLContext tls;
    private Socket socket;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private int consumed;
    private boolean closedByServer;

    RawXmppClient(InetAddress host, int port, String domain, SSLContext tls) throws IOException {
        this(host, port, domain, tls, null, 0);
    }

    /**
     * @param localAddress the local address to connect from (127.0.0.x), or {@code null}
     * @param receiveBuffer a small socket receive buffer in bytes (for clients that stop reading), or 0
     */
    RawXmppClient(InetAddress host, int port, String domain, SSLContext tls, InetAddress localAddress,
                  int receiveBuffer) throws IOException {
        this.host = host;
        this.port = port;
        this.domain = domain;
        this.tls = tls;
        this.socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        if (localAddress != null) {
            socket.bind(new InetSocketAddress(localAddress, 0));
        }
        socket.connect(new InetSocketAddress(host, port), 5000);
        socket.setSoTimeout(50);
    }

    /** The stream header a client sends (RFC 6120 §4.7). */
    public String header() {
        return "<?xml version='1.0'?><stream:stream to='" + domain + "' xmlns='jabber:client' "
                + "xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>";
    }

    /** Writes text as UTF-8. */
    public void send(String xml) throws IOException {
        send(xml.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes bytes as they are. */
    public void send(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
    }

    /** Opens a stream and returns what the server answered up to the end of its features. */
    public String openStream() throws IOException {
        send(header());
        return readUntil("</stream:features>");
    }

    /** STARTTLS (RFC 6120 §5), trusting the test server's certificate, and a new stream. */
    public void startTls() throws IOException {
        send("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
        readUntil("<proceed");
        socket.setSoTimeout((int) TIMEOUT.toMillis()); // the handshake blocks; a busy machine is slow
        SSLSocket ssl = (SSLSocket) tls.getSocketFactory().createSocket(socket, host.getHostAddress(), port, true);
        ssl.setUseClientMode(true);
        ssl.setSoTimeout((int) TIMEOUT.toMillis()); // the handshake reads whole records: give it time
        ssl.startHandshake();
        ssl.setSoTimeout(50);
        socket = ssl;
        openStream();
    }

    /** SASL PLAIN inside TLS (RFC 4616) and the stream restart; returns the features offered after it. */
    public String authenticate(String username, String password) throws IOException {
        String token = Base64.getEncoder().encodeToString(("\0" + username + "\0" + password)
                .getBytes(StandardCharsets.UTF_8));
        send("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>" + token + "</auth>");
        String answer = readUntilAny("<success", "</failure>");
        if (!answer.contains("<success")) {
            throw new IOException("authentication failed: " + answer);
        }
        return openStream();
    }

    /** Binds a resource and returns the server's answer. */
    public String bind(String resource) throws IOException {
        send("<iq type='set' id='bind-1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>"
                + resource + "</resource></bind></iq>");
        return readUntil("</iq>");
    }

    /** STARTTLS, authentication and binding: a session ready for stanzas. */
    public void login(String username, String password, String resource) throws IOException {
        openStream();
        startTls();
        authenticate(username, password);
        bind(resource);
    }

    /** Reads until the text received since the last read contains the marker; returns that text. */
    public String readUntil(String marker) throws IOException {
        return readUntilAny(marker);
    }

    /** Reads until the text received since the last read contains one of the markers. */
    public String readUntilAny(String... markers) throws IOException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            String fresh = fresh();
            for (String m : markers) {
                int at = fresh.indexOf(m);
                if (at >= 0) {
                    int end = fresh.indexOf('>', at + m.length() - 1);
                    int cut = end < 0 ? fresh.length() : end + 1;
                    consumed += fresh.substring(0, cut).getBytes(StandardCharsets.UTF_8).length;
                    return fresh.substring(0, cut);
                }
            }
            if (closedByServer || System.nanoTime() > deadline) {
                throw new IOException("expected " + String.join(" or ", markers) + " but got: " + fresh
                        + (closedByServer ? " (connection closed)" : " (timed out)"));
            }
            poll();
        }
    }

    /**
     * Waits until the server closes the connection and returns everything received since the last
     * read; fails when the connection stays open past the timeout.
     */
    public String awaitClose() throws IOException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!closedByServer) {
            if (System.nanoTime() > deadline) {
                throw new IOException("the server did not close the connection; received: " + fresh());
            }
            poll();
        }
        return fresh();
    }

    /** Whether the server closed the connection, as far as reading so far has seen. */
    public boolean isClosedByServer() throws IOException {
        poll();
        return closedByServer;
    }

    /** Everything received so far, as text. */
    public String received() {
        return received.toString(StandardCharsets.UTF_8);
    }

    private String fresh() {
        byte[] all = received.toByteArray();
        return new String(all, consumed, all.length - consumed, StandardCharsets.UTF_8);
    }

    private void poll() throws IOException {
        byte[] buffer = new byte[8192];
        try {
            InputStream in = socket.getInputStream();
            int n = in.read(buffer);
            if (n < 0) {
                closedByServer = true;
            } else {
                received.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException e) {
            // nothing yet
        } catch (IOException e) {
            closedByServer = true; // reset by the server
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
