package im.tongyou.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.util.UUID;
import org.h2.tools.Server;
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
    private static final String NAME = "tongyou-" + UUID.randomUUID();
    private static Server database = startDatabase();

    @RegisterExtension
    static TongyouServerExtension server = TongyouServerExtension.builder()
            .set("database.url", "jdbc:h2:tcp://127.0.0.1:" + PORT + "/mem:" + NAME + ";DB_CLOSE_DELAY=-1")
            .build();

    @BeforeAll
    static void users() throws Exception {
        server.createUser("romeo", "montague-secret");
        server.createUser("juliet", "capulet-secret");
    }

    @AfterAll
    static void stopDatabase() {
        database.stop();
    }

    @Test
    void aMessageThatCannotBeStoredIsRefusedAndGoesThroughOnceTheDatabaseIsBack() throws Exception {
        XMPPTCPConnection romeo = server.login("romeo", "montague-secret");

        database.stop(); // Juliet is offline: her message must go to the database, which is gone
        Message first = MessageBuilder.buildMessage("while-down").to(JidCreate.entityBareFrom("juliet@" + server.domain()))
                .ofType(Message.Type.chat).setBody("are you there?").build();
        Message error = sendAndAwaitError(romeo, first);
        assertThat(error).as("Romeo is told the message was not taken").isNotNull();
        assertThat(error.getError().getCondition()).isEqualTo(StanzaError.Condition.internal_server_error);
        assertThat(error.getError().getType()).as("a transient failure: try again later").isEqualTo(StanzaError.Type.WAIT);

        database = startDatabase();
        Message again = MessageBuilder.buildMessage("when-back").to(JidCreate.entityBareFrom("juliet@" + server.domain()))
                .ofType(Message.Type.chat).setBody("are you there now?").build();
        StanzaCollector errors = romeo.createStanzaCollector(new AndFilter(MessageTypeFilter.ERROR,
                new StanzaIdFilter(again.getStanzaId())));
        romeo.sendStanza(again);
        server.sync(romeo);

        XMPPTCPConnection juliet = server.connect(server.config("juliet", "capulet-secret").build());
        StanzaCollector inbox = juliet.createStanzaCollector(MessageTypeFilter.CHAT);
        Message delivered = inbox.nextResult(20_000);
        assertThat(delivered).as("the message sent after the database came back reaches Juliet").isNotNull();
        assertThat(delivered.getBody()).isEqualTo("are you there now?");
        Message more = inbox.nextResult(1_000);
        assertThat(more).as("nothing else was stored").isNull();
        Message refused = errors.pollResult();
        assertThat(refused).as("the second message was taken").isNull();
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

    private static Server startDatabase() {
        System.setProperty("h2.bindAddress", "127.0.0.1"); // loopback only
        try {
            return Server.createTcpServer("-tcpPort", String.valueOf(PORT), "-ifNotExists").start();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot start the H2 TCP server on port " + PORT, e);
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
