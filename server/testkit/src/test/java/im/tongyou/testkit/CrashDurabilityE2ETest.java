package im.tongyou.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import im.tongyou.server.cli.TongyouCli;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.jivesoftware.smack.ConnectionConfiguration;
import org.jivesoftware.smack.filter.StanzaTypeFilter;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.MessageBuilder;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.jivesoftware.smackx.mam.MamManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.impl.JidCreate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fault test of issue 4: a server in its own JVM, on the embedded H2 file database with the
 * archive on, is killed with SIGKILL while Romeo sends messages with stream management; after a
 * restart on the same data directory, every message the server acknowledged ({@code <a h/>}) is in
 * Juliet's archive (she was offline) and in Romeo's, exactly once.
 */
class CrashDurabilityE2ETest {

    static final String DOMAIN = "tongyou.test";
    private static final Logger log = LoggerFactory.getLogger(CrashDurabilityE2ETest.class);

    @TempDir
    Path dataDir;
    Process process;
    int port;

    @AfterEach
    void stop() throws Exception {
        if (process != null && process.isAlive()) {
            process.destroy();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    List<String> settings() {
        return List.of("--set", "server.domain=" + DOMAIN, "--set", "server.data-dir=" + dataDir,
                "--set", "listeners.c2s.address=127.0.0.1", "--set", "listeners.c2s.port=" + port,
                "--set", "listeners.c2s-direct-tls.enabled=false", "--set", "listeners.https.enabled=false",
                "--set", "auth.scram-iterations=4096");
    }

    /** {@code bin/tongyou user add}, in this JVM, on the database file (no server runs yet). */
    void addUser(String name, String password) {
        InputStream in = System.in;
        try {
            System.setIn(new ByteArrayInputStream((password + "\n").getBytes(StandardCharsets.UTF_8)));
            List<String> args = new ArrayList<>(settings());
            args.addAll(List.of("user", "add", name));
            assertThat(TongyouCli.execute(args.toArray(String[]::new))).isZero();
        } finally {
            System.setIn(in);
        }
    }

    /** {@code bin/tongyou run} in a JVM of its own, with this test's class path; waits until it listens. */
    void startServer(String logName) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), TongyouCli.class.getName()));
        command.addAll(settings());
        command.add("run");
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dataDir.resolve(logName).toFile()).start();
        long deadline = System.currentTimeMillis() + 90_000;
        while (System.currentTimeMillis() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("the server died: " + Files.readString(dataDir.resolve(logName)));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
                return;
            } catch (IOException notYet) {
                Thread.sleep(200);
            }
        }
        throw new AssertionError("the server did not listen: " + Files.readString(dataDir.resolve(logName)));
    }

    XMPPTCPConnection connect(String user, String password, boolean streamManagement) throws Exception {
        X509Certificate certificate;
        try (InputStream in = Files.newInputStream(dataDir.resolve("tls").resolve(DOMAIN + ".crt"))) {
            certificate = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        trusted.setCertificateEntry("server", certificate);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trusted);
        SmackScramSha256.register();
        XMPPTCPConnection connection = new XMPPTCPConnection(XMPPTCPConnectionConfiguration.builder()
                .setXmppDomain(JidCreate.domainBareFrom(DOMAIN)).setHostAddress(InetAddress.getLoopbackAddress())
                .setPort(port).setUsernameAndPassword(user, password)
                .setSecurityMode(ConnectionConfiguration.SecurityMode.required)
                .setCustomX509TrustManager((X509TrustManager) tmf.getTrustManagers()[0])
                .addEnabledSaslMechanism("SCRAM-SHA-256").setConnectTimeout(10_000).build());
        connection.setUseStreamManagement(streamManagement);
        connection.setReplyTimeout(30_000);
        return connection;
    }

    /** Every body in the user's archive with the contact, in order (duplicates kept). */
    List<String> archive(XMPPTCPConnection connection, EntityBareJid with) throws Exception {
        MamManager mam = MamManager.getInstanceFor(connection);
        assertThat(mam.isSupported()).isTrue();
        MamManager.MamQuery query = mam.queryArchive(MamManager.MamQueryArgs.builder()
                .limitResultsToJid(with).setResultPageSize(250).build());
        List<String> bodies = new ArrayList<>();
        query.getMessages().forEach(m -> bodies.add(m.getBody()));
        while (!query.isComplete()) {
            query.pageNext(250).forEach(m -> bodies.add(m.getBody()));
        }
        return bodies;
    }

    @Test
    void everyAcknowledgedMessageSurvivesSigkillExactlyOnce() throws Exception {
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        addUser("romeo", "montague-secret");
        addUser("juliet", "capulet-secret");
        startServer("server-1.log");
        EntityBareJid romeoJid = JidCreate.entityBareFrom("romeo@" + DOMAIN);
        EntityBareJid julietJid = JidCreate.entityBareFrom("juliet@" + DOMAIN);

        XMPPTCPConnection romeo = connect("romeo", "montague-secret", true);
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        romeo.addStanzaAcknowledgedListener(s -> {
            if (s instanceof Message m && m.getBody() != null) {
                acknowledged.add(m.getBody());
            }
        });
        romeo.addRequestAckPredicate(StanzaTypeFilter.MESSAGE); // <r/> after every message
        romeo.connect().login();
        assertThat(romeo.isSmEnabled()).isTrue();

        // Romeo sends until the server is killed: the crash always comes in the middle of sending,
        // however fast or slow this machine is. (Smack does not fail a send while it hopes to resume
        // the stream: it queues and then blocks, so the test tells the sender to stop.)
        AtomicInteger attempted = new AtomicInteger();
        AtomicBoolean killed = new AtomicBoolean();
        Thread sender = new Thread(() -> {
            try {
                for (int i = 0; !killed.get(); i++) {
                    // COMPAT: Smack 4.5 deadlocks with 500 unacknowledged stanzas (its writer waits for
                    // room in the unacknowledged queue while its reader waits for room to answer <r/>),
                    // so Romeo keeps at most 100 in flight, as a real client's user would.
                    while (i - acknowledged.size() > 100 && !killed.get()) {
                        Thread.sleep(1);
                    }
                    if (killed.get()) {
                        break;
                    }
                    attempted.set(i + 1);
                    romeo.sendStanza(MessageBuilder.buildMessage().to(julietJid).ofType(Message.Type.chat)
                            .setBody("line " + i).build());
                }
            } catch (Exception e) {
                // the connection is gone: what was sent and not acknowledged may be lost
            }
        }, "romeo-sender");
        sender.start();
        long deadline = System.currentTimeMillis() + 120_000;
        while (acknowledged.size() < 100 && System.currentTimeMillis() < deadline) {
            Thread.sleep(5);
        }
        assertThat(acknowledged.size()).as("acknowledged before the crash").isGreaterThanOrEqualTo(100);
        process.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no flush
        killed.set(true);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("killed by signal 9").isEqualTo(137);
        romeo.instantShutdown();
        sender.interrupt(); // in case it waits for room in Smack's queue
        sender.join(60_000);
        assertThat(sender.isAlive()).as("Romeo stopped sending when the server died").isFalse();
        Set<String> acked = Set.copyOf(acknowledged);

        startServer("server-2.log");
        XMPPTCPConnection juliet = connect("juliet", "capulet-secret", false);
        juliet.connect().login();
        List<String> received = archive(juliet, romeoJid);
        XMPPTCPConnection romeoAgain = connect("romeo", "montague-secret", false);
        romeoAgain.connect().login();
        List<String> sent = archive(romeoAgain, julietJid);
        juliet.disconnect();
        romeoAgain.disconnect();

        assertThat(received).as("Juliet's archive").containsAll(acked).doesNotHaveDuplicates();
        assertThat(sent).as("Romeo's archive").containsAll(acked).doesNotHaveDuplicates();
        Map<String, Integer> times = new HashMap<>();
        received.forEach(b -> times.merge(b, 1, Integer::sum));
        assertThat(acked).allSatisfy(b -> assertThat(times.get(b)).isEqualTo(1));
        // In order, with nothing the client never sent.
        List<String> sorted = new ArrayList<>(received);
        sorted.sort((a, b) -> Integer.compare(Integer.parseInt(a.substring(5)), Integer.parseInt(b.substring(5))));
        assertThat(received).isEqualTo(sorted);
        log.info("crash test: {} acknowledged, {} archived for the recipient ({} sent but not acknowledged survived)",
                acked.size(), received.size(), received.size() - acked.size());
        assertThat(Collections.max(received.stream().map(b -> Integer.parseInt(b.substring(5))).toList()))
                .isLessThan(attempted.get());
    }
}
