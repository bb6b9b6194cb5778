package im.tongyou.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jivesoftware.smack.StanzaCollector;
import org.jivesoftware.smack.filter.AndFilter;
import org.jivesoftware.smack.filter.MessageTypeFilter;
import org.jivesoftware.smack.filter.StanzaIdFilter;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.MessageBuilder;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jxmpp.jid.impl.JidCreate;

/**
 * The database goes away under a running server (here: its H2 TCP server stops, as a PostgreSQL
 * server or a full disk would fail the writes): a message that had to be stored is refused with an
 * error to its sender instead of being accepted and lost, and once the database is back the same
 * message is stored and delivered.
 */
class DatabaseUnavailableE2ETest {

    private static final int PORT = freePort();
    private static final Path DIRECTORY = temporaryDirectory();
    private static Process database = startDatabase();

    @RegisterExtension
    static TongyouServerExtension server = TongyouServerExtension.builder()
            .set("database.url", "jdbc:h2:tcp://127.0.0.1:" + PORT + "/tongyou")
            .build();

    @BeforeAll
    static void users() throws Exception {
        server.createUser("romeo", "montague-secret");
        server.createUser("juliet", "capulet-secret");
    }

    @AfterAll
    static void stopDatabase() throws Exception {
        server.stop(); // before its database
        stop(database);
        try (var files = Files.walk(DIRECTORY)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Test
    void aMessageThatCannotBeStoredIsRefusedAndGoesThroughOnceTheDatabaseIsBack() throws Exception {
        XMPPTCPConnection romeo = server.login("romeo", "montague-secret");

        stop(database); // Juliet is offline: her message must go to the database, which is gone
        Message first = MessageBuilder.buildMessage("while-down").to(JidCreate.entityBareFrom("juliet@" + server.domain()))
                .ofType(Message.Type.chat).setBody("are you there?").build();
        Message error = sendAndAwaitError(romeo, first);
        assertThat(error).as("Romeo is told the message was not taken").isNotNull();
        assertThat(error.getError().getCondition()).isEqualTo(StanzaError.Condition.internal_server_error);
        assertThat(error.getError().getType()).as("a transient failure: try again later").isEqualTo(StanzaError.Type.WAIT);

        database = startDatabase();
        // The pool finds out its old connections are broken only by using them: as the error's type
        // 'wait' asks, Romeo tries again until the server takes the message (the server handles a
        // session's stanzas in order, so after a ping round trip any refusal has arrived).
        boolean taken = false;
        for (int attempt = 0; attempt < 20 && !taken; attempt++) {
            Message again = MessageBuilder.buildMessage("when-back-" + attempt)
                    .to(JidCreate.entityBareFrom("juliet@" + server.domain()))
                    .ofType(Message.Type.chat).setBody("are you there now?").build();
            StanzaCollector errors = romeo.createStanzaCollector(new AndFilter(MessageTypeFilter.ERROR,
                    new StanzaIdFilter(again.getStanzaId())));
            romeo.sendStanza(again);
            server.sync(romeo);
            Message refused = errors.pollResult();
            errors.cancel();
            taken = refused == null;
            if (!taken) {
                assertThat(refused.getError().getType()).isEqualTo(StanzaError.Type.WAIT);
                Thread.sleep(250);
            }
        }
        assertThat(taken).as("the server takes messages again once its database is back").isTrue();

        XMPPTCPConnection juliet = loginRetrying("juliet", "capulet-secret");
        StanzaCollector inbox = juliet.createStanzaCollector(MessageTypeFilter.CHAT);
        Message delivered = inbox.nextResult(20_000);
        assertThat(delivered).as("the message taken after the database came back reaches Juliet").isNotNull();
        assertThat(delivered.getBody()).isEqualTo("are you there now?");
        Message more = inbox.nextResult(1_000);
        assertThat(more).as("nothing else was stored: the refused messages were not taken").isNull();
    }

    /** A login can meet a broken pooled connection first (temporary-auth-failure): try again. */
    private static XMPPTCPConnection loginRetrying(String user, String password) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                return server.connect(server.config(user, password).build());
            } catch (org.jivesoftware.smack.sasl.SASLErrorException e) {
                assertThat(e.getSASLFailure().getSASLErrorString()).isEqualTo("temporary-auth-failure");
                if (attempt == 10) {
                    throw e;
                }
                Thread.sleep(250);
            }
        }
    }

    /** The error can take the pool's connection timeout to come: wait for it generously. */
    private static Message sendAndAwaitError(XMPPTCPConnection connection, Message message) throws Exception {
        StanzaCollector collector = connection.createStanzaCollector(new AndFilter(MessageTypeFilter.ERROR,
                new StanzaIdFilter(message.getStanzaId())));
        connection.sendStanza(message);
        try {
            return collector.nextResult(60_000);
        } finally {
            collector.cancel();
        }
    }

    /**
     * The database server in its own JVM, as a real one would run: stopping it in this JVM would
     * leave H2's engine here holding the database as closed.
     */
    private static Process startDatabase() {
        try {
            String javaCommand = ProcessHandle.current().info().command().orElse("java");
            // This JVM's class path: H2 and the server's trigger classes (the audit log's append-only guard).
            String classPath = System.getProperty("java.class.path");
            Process process = new ProcessBuilder(javaCommand, "-Dh2.bindAddress=127.0.0.1", "-cp", classPath,
                    "org.h2.tools.Server",
                    "-tcp", "-tcpPort", String.valueOf(PORT), "-ifNotExists", "-baseDir", DIRECTORY.toString())
                    .redirectErrorStream(true).redirectOutput(DIRECTORY.resolve("h2.log").toFile()).start();
            long deadline = System.currentTimeMillis() + 60_000;
            while (System.currentTimeMillis() < deadline) {
                try (var probe = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), PORT)) {
                    return process;
                } catch (java.io.IOException notYet) {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("the H2 server exited: " + Files.readString(DIRECTORY.resolve("h2.log")));
                    }
                    Thread.sleep(50);
                }
            }
            process.destroyForcibly();
            throw new IllegalStateException("the H2 server did not listen on port " + PORT + " within 60 s");
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the H2 server on port " + PORT, e);
        }
    }

    /** Kills the database server, as a crash or a lost host would. */
    private static void stop(Process process) throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** A database in files, so that it outlives its TCP server as a real database server's data would. */
    private static Path temporaryDirectory() {
        try {
            Path directory = Files.createTempDirectory("tongyou-h2-tcp-");
            directory.toFile().deleteOnExit();
            return directory;
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
