package im.tongyou.server.net.fuzz;

import im.tongyou.server.auth.ScramCredentials;
import im.tongyou.server.auth.ScramHash;
import im.tongyou.server.auth.StoredCredentials;
import im.tongyou.server.auth.UnknownUserDecoys;
import im.tongyou.server.net.C2sHandler;
import im.tongyou.server.net.C2sServices;
import im.tongyou.server.net.C2sSettings;
import im.tongyou.server.net.Namespaces;
import im.tongyou.server.net.TestC2sServices;
import im.tongyou.server.session.SessionRegistry;
import im.tongyou.server.xml.StanzaEncoder;
import im.tongyou.server.xml.XmppStreamDecoder;
import io.netty.buffer.Unpooled;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The server's client-stream pipeline (decoder, encoder, {@link C2sHandler}) on embedded channels,
 * with the core services (sessions, router, SASL, throttle) and no plugins: every step runs on
 * the calling thread, timers run when {@link #settle()} moves the clock, so one fuzz input is one
 * deterministic, bounded run. The listener counts as TLS (as direct TLS does), so that PLAIN is
 * offered; STARTTLS itself is refused.
 */
final class C2sHarness implements AutoCloseable {

    static final String DOMAIN = "tongyou.test";
    static final String HEADER = "<?xml version='1.0'?><stream:stream xmlns='jabber:client'"
            + " xmlns:stream='http://etherx.jabber.org/streams' to='" + DOMAIN + "' version='1.0'>";
    static final int MAX_STANZA_BYTES = 10_000;

    private static final Set<String> USERS = Set.of("romeo", "juliet");
    private static final byte[] SALT = "tongyou-fuzz-salt".getBytes(StandardCharsets.UTF_8);
    /** One iteration: the fuzzer is not here to measure PBKDF2. */
    private static final StoredCredentials CREDENTIALS = new StoredCredentials(
            ScramCredentials.derive(ScramHash.SHA_1, "secret".toCharArray(), SALT, 1),
            ScramCredentials.derive(ScramHash.SHA_256, "secret".toCharArray(), SALT, 1), false);
    private static final UnknownUserDecoys DECOYS = new UnknownUserDecoys(SALT, 1);
    private static final C2sSettings SETTINGS = new C2sSettings(DOMAIN, true, null, 3, 10, 5, 1000, 1000,
            1 << 20, 50, 100, null);

    private final FuzzChannel romeo = new FuzzChannel();
    private final FuzzChannel juliet = new FuzzChannel();
    private final SessionRegistry sessions = new SessionRegistry(DOMAIN);
    private final C2sServices services;

    C2sHarness() {
        services = TestC2sServices.create(DOMAIN, sessions, USERS, CREDENTIALS, DECOYS, romeo.eventLoop(),
                ImmediateEventExecutor.INSTANCE);
        connect(romeo);
        connect(juliet);
    }

    private void connect(FuzzChannel channel) {
        channel.pipeline().addLast("decoder", new XmppStreamDecoder(MAX_STANZA_BYTES, 16));
        channel.pipeline().addLast("encoder", new StanzaEncoder(Namespaces.CLIENT));
        channel.pipeline().addLast("c2s", new C2sHandler(SETTINGS, services));
        channel.pipeline().fireChannelActive();
    }

    FuzzChannel romeo() {
        return romeo;
    }

    FuzzChannel juliet() {
        return juliet;
    }

    /** Sends bytes from a client, as one read, and runs what the event loop has to do now. */
    static void feed(FuzzChannel channel, byte[] bytes) {
        if (!channel.isActive()) {
            return;
        }
        channel.writeInbound(Unpooled.wrappedBuffer(bytes));
        channel.runPendingTasks();
        channel.checkException();
    }

    static void feed(FuzzChannel channel, String text) {
        feed(channel, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Logs a client in with PLAIN and binds a resource; fails unless the server agreed. */
    void login(FuzzChannel channel, String user) {
        feed(channel, HEADER);
        String plain = Base64.getEncoder().encodeToString(("\0" + user + "\0secret").getBytes(StandardCharsets.UTF_8));
        feed(channel, "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>" + plain + "</auth>");
        feed(channel, HEADER);
        feed(channel, "<iq type='set' id='bind'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'>"
                + "<resource>fuzz</resource></bind></iq>");
        String output = channel.takeOutput();
        if (sessions.of(user).isEmpty() || !output.contains("<jid>" + user + "@" + DOMAIN + "/fuzz</jid>")) {
            throw new IllegalStateException("the harness could not log " + user + " in: " + output);
        }
    }

    /** Whether a user has a bound session. */
    boolean bound(String user) {
        return !sessions.of(user).isEmpty();
    }

    /** Lets time pass (SASL failure delays, the negotiation timeout, close grace) until nothing is due. */
    void settle() {
        for (int i = 0; i < 5; i++) {
            for (FuzzChannel channel : new FuzzChannel[] {romeo, juliet}) {
                channel.advanceTimeBy(2, TimeUnit.MINUTES);
                channel.runPendingTasks();
                channel.checkException();
            }
        }
    }

    @Override
    public void close() {
        romeo.finishAndReleaseAll();
        juliet.finishAndReleaseAll();
    }
}
