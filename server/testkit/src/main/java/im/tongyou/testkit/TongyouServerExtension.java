package im.tongyou.testkit;

import im.tongyou.server.TongyouServer;
import im.tongyou.server.config.ConfigLoader;
import im.tongyou.server.config.ServerConfig;
import im.tongyou.server.plugin.PluginManager;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.jivesoftware.smack.AbstractXMPPConnection;
import org.jivesoftware.smack.ConnectionConfiguration;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.jid.parts.Resourcepart;

/**
 * A JUnit 5 extension that starts a real Tongyou Server in-process, once per test class, on free
 * loopback ports with an in-memory H2 database, and opens real Smack connections to it. Register it
 * with {@code @RegisterExtension static TongyouServerExtension server = TongyouServerExtension.create();}.
 */
public final class TongyouServerExtension implements BeforeAllCallback, AfterAllCallback, AfterEachCallback {

    /** The domain test servers serve, unless a test sets {@code server.domain} (say to {@code localhost}). */
    public static final String DOMAIN = "tongyou.test";

    private final Map<String, String> settings;
    private final Clock clock;
    private final boolean fileDatabase;
    private final List<AbstractXMPPConnection> connections = new CopyOnWriteArrayList<>();
    private TongyouServer server;
    private Path dataDir;
    private String databaseUrl;
    private SSLContext clientTls;
    private X509TrustManager trustManager;

    static {
        SmackScramSha256.register();
    }

    private TongyouServerExtension(Map<String, String> settings, Clock clock, boolean fileDatabase) {
        this.settings = settings;
        this.clock = clock;
        this.fileDatabase = fileDatabase;
    }

    /** A server with the test defaults. */
    public static TongyouServerExtension create() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Configures the test server. */
    public static final class Builder {
        private final Map<String, String> settings = new LinkedHashMap<>();
        private Clock clock = Clock.systemUTC();
        private boolean fileDatabase;

        /** Sets a configuration key, as {@code --set key=value} would. */
        public Builder set(String key, String value) {
            settings.put(key, value);
            return this;
        }

        /** The server clock. */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /**
         * Keeps the database in H2 files in the data directory, as a real installation does, instead
         * of in memory: for tests that look at the bytes the server leaves on disk.
         */
        public Builder fileDatabase() {
            this.fileDatabase = true;
            return this;
        }

        public TongyouServerExtension build() {
            return new TongyouServerExtension(Map.copyOf(settings), clock, fileDatabase);
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        start();
    }

    /** Starts the server (done by JUnit before the class's tests). */
    public void start() throws Exception {
        dataDir = Files.createTempDirectory("tongyou-test-");
        Map<String, String> sets = new LinkedHashMap<>();
        sets.put("server.domain", DOMAIN);
        sets.put("server.data-dir", dataDir.toString());
        databaseUrl = fileDatabase ? "jdbc:h2:file:" + dataDir.resolve("tongyou") + ";DB_CLOSE_ON_EXIT=FALSE"
                : "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        sets.put("database.url", databaseUrl);
        sets.put("listeners.c2s.address", "127.0.0.1");
        sets.put("listeners.c2s.port", "0");
        sets.put("listeners.c2s-direct-tls.address", "127.0.0.1");
        sets.put("listeners.c2s-direct-tls.port", "0");
        sets.put("listeners.https.address", "127.0.0.1");
        sets.put("listeners.https.port", "0");
        sets.put("auth.scram-iterations", "4096");
        // The bytestreams proxy on a free loopback port, as the client listeners.
        sets.put("plugins.proxy65.address", "127.0.0.1");
        sets.put("plugins.proxy65.host", "127.0.0.1");
        sets.put("plugins.proxy65.port", "0");
        sets.putAll(settings);
        keepEveryPluginEnabled(sets);
        Path file = dataDir.resolve("tongyou.yml");
        Files.writeString(file, "# written by the test kit; settings come as overrides\n");
        ServerConfig config = ConfigLoader.load(file, sets, Map.of());
        server = TongyouServer.start(config, file, clock);
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        trusted.setCertificateEntry("server", server.certificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trusted);
        trustManager = (X509TrustManager) tmf.getTrustManagers()[0];
        clientTls = SSLContext.getInstance("TLS");
        clientTls.init(null, tmf.getTrustManagers(), null);
    }

    /**
     * Setting one plugin's option names that plugin under {@code plugins:}, which would enable it
     * alone: list every plugin found as enabled too, so a test sets an option without turning the
     * other features off ({@code plugins.<id>.enabled=false} still turns one off).
     */
    private static void keepEveryPluginEnabled(Map<String, String> sets) {
        if (sets.keySet().stream().noneMatch(k -> k.startsWith("plugins."))) {
            return;
        }
        for (String id : PluginManager.discover(TongyouServerExtension.class.getClassLoader()).keySet()) {
            if (sets.keySet().stream().noneMatch(k -> k.startsWith("plugins." + id + "."))) {
                sets.put("plugins." + id + ".enabled", "true");
            }
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        disconnectAll();
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        stop();
    }

    /**
     * Stops the server but keeps its data directory, for a test that looks at what it left behind
     * (the database files are closed, everything written); {@link #stop()} still deletes it.
     */
    public void shutdown() {
        disconnectAll();
        if (server != null) {
            server.close();
            server = null;
        }
    }

    /** Stops the server and deletes its data (done by JUnit after the class's tests; again: nothing). */
    public void stop() throws IOException {
        shutdown();
        if (dataDir != null) {
            try (Stream<Path> files = Files.walk(dataDir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
            dataDir = null;
        }
    }

    /** Disconnects every connection the kit opened. */
    public void disconnectAll() {
        List<AbstractXMPPConnection> open = new ArrayList<>(connections);
        connections.clear();
        open.forEach(c -> {
            if (c.isConnected()) {
                c.disconnect();
            }
        });
    }

    /** The running server. */
    public TongyouServer server() {
        return server;
    }

    /** The server's data directory (a temporary directory deleted after the class). */
    public Path dataDir() {
        return dataDir;
    }

    /**
     * The JDBC URL of the server's in-memory H2 database, for tests that look at what is stored
     * (the database lives as long as the server).
     */
    public String databaseUrl() {
        return databaseUrl;
    }

    /** The domain. */
    public String domain() {
        return settings.getOrDefault("server.domain", DOMAIN);
    }

    /** Creates an account. */
    public void createUser(String username, String password) throws Exception {
        server.accounts().create(username, password.toCharArray());
    }

    /** Creates an account if it does not exist yet. */
    public void ensureUser(String username, String password) throws Exception {
        if (!server.accounts().exists(username)) {
            createUser(username, password);
        }
    }

    /** A TLS context that trusts exactly the test server's certificate. */
    public SSLContext clientTls() {
        return clientTls;
    }

    /**
     * A Smack configuration for the STARTTLS port: TLS required, the server's certificate trusted,
     * SCRAM-SHA-256 only.
     */
    public XMPPTCPConnectionConfiguration.Builder config(String username, String password) throws Exception {
        return baseConfig(username, password).addEnabledSaslMechanism("SCRAM-SHA-256");
    }

    /** Like {@link #config} but with no SASL mechanism chosen: add the ones to try. */
    public XMPPTCPConnectionConfiguration.Builder baseConfig(String username, String password) throws Exception {
        return XMPPTCPConnectionConfiguration.builder()
                .setXmppDomain(JidCreate.domainBareFrom(domain()))
                .setHostAddress(InetAddress.getLoopbackAddress())
                .setPort(server.c2sPort())
                .setUsernameAndPassword(username, password)
                .setSecurityMode(ConnectionConfiguration.SecurityMode.required)
                .setCustomX509TrustManager(trustManager)
                .setConnectTimeout(10_000);
    }

    /** A Smack configuration for the direct TLS port (XEP-0368): the socket is TLS from the start. */
    public XMPPTCPConnectionConfiguration.Builder directTlsConfig(String username, String password) throws Exception {
        return config(username, password)
                .setPort(server.directTlsPort())
                .setSocketFactory(clientTls.getSocketFactory())
                .setSecurityMode(ConnectionConfiguration.SecurityMode.disabled);
    }

    /** Connects and logs in with STARTTLS and SCRAM-SHA-256; the server generates the resource. */
    public XMPPTCPConnection login(String username, String password) throws Exception {
        return connect(config(username, password).build());
    }

    /** Connects and logs in with a chosen resource. */
    public XMPPTCPConnection login(String username, String password, String resource) throws Exception {
        return connect(config(username, password).setResource(Resourcepart.from(resource)).build());
    }

    /** Tracks a connection made by the test itself, so that it is closed after the test. */
    public XMPPTCPConnection track(XMPPTCPConnection connection) {
        connections.add(connection);
        return connection;
    }

    /** Connects and logs in with a configuration; the connection is closed after the test. */
    public XMPPTCPConnection connect(XMPPTCPConnectionConfiguration configuration) throws Exception {
        return connect(configuration, connection -> { });
    }

    /**
     * Connects and logs in, letting the test set the connection up first (listeners, collectors,
     * roster options) so that nothing the server sends at login is missed.
     */
    public XMPPTCPConnection connect(XMPPTCPConnectionConfiguration configuration,
                                     java.util.function.Consumer<XMPPTCPConnection> beforeLogin) throws Exception {
        XMPPTCPConnection connection = new XMPPTCPConnection(configuration);
        beforeLogin.accept(connection);
        connections.add(connection);
        connection.setReplyTimeout(10_000);
        connection.connect().login();
        return connection;
    }

    /**
     * Waits until the server has processed everything the connection sent so far: a ping round
     * trip, since the server handles one session's stanzas in order. After {@link #login} this
     * means the initial presence has been seen.
     */
    public void sync(XMPPTCPConnection connection) throws Exception {
        if (!org.jivesoftware.smackx.ping.PingManager.getInstanceFor(connection).pingMyServer(false, 10_000)) {
            throw new IllegalStateException("the server did not answer a ping from " + connection.getUser());
        }
    }

    /**
     * Waits until the server holds no session at the connection's full JID: after a client's
     * {@code disconnect()}, the server may still be reading its unavailable presence and closing
     * tag, and a message sent meanwhile goes to the closing stream rather than to offline storage.
     */
    public void awaitGone(XMPPTCPConnection connection) throws InterruptedException {
        org.xmpp.packet.JID jid = new org.xmpp.packet.JID(String.valueOf(connection.getUser()));
        long deadline = System.currentTimeMillis() + 10_000;
        while (server.sessions().get(jid).isPresent()) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException(jid + " still has a session after 10 s");
            }
            Thread.sleep(10);
        }
    }

    /**
     * A raw client from a chosen local address (127.0.0.x), with a small receive buffer when
     * {@code receiveBuffer} is positive (for a client that stops reading).
     */
    public RawXmppClient raw(InetAddress localAddress, int receiveBuffer) throws IOException {
        return new RawXmppClient(InetAddress.getLoopbackAddress(), server.c2sPort(), domain(), clientTls, localAddress,
                receiveBuffer);
    }

    /** A raw client on the STARTTLS port, for tests of what stock clients never send. */
    public RawXmppClient raw() throws IOException {
        return new RawXmppClient(InetAddress.getLoopbackAddress(), server.c2sPort(), domain(), clientTls);
    }
}
