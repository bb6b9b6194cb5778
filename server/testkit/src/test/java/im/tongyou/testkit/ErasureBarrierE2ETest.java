package im.tongyou.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jivesoftware.smack.StanzaCollector;
import org.jivesoftware.smack.filter.AndFilter;
import org.jivesoftware.smack.filter.StanzaTypeFilter;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.MessageBuilder;
import org.jivesoftware.smack.packet.PresenceBuilder;
import org.jivesoftware.smack.packet.Stanza;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jxmpp.jid.Jid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.jid.parts.Resourcepart;

/**
 * No write after erasure (privacy requirements AC-13, R-DSR-4; {@code ErasureFence}): Rosaline's
 * phone holds a resumable session (XEP-0198) when its connection is cut, with a message from Juliet
 * it never acknowledged; she cancels from her tablet. Her sessions, the detached one included, end
 * before her stores are erased, and nothing is delivered, stored offline or archived for her from
 * the cancellation on: the unacknowledged message comes back to Juliet as an error instead of
 * waiting in Rosaline's offline queue, a message to the phone's old full JID bounces, and when the
 * erasure ended no table holds her name (offline queue, archive, roster, last activity).
 */
class ErasureBarrierE2ETest {

    @RegisterExtension
    static TongyouServerExtension server = TongyouServerExtension.builder()
            .set("server.domain", "localhost")
            .set("stream.resumption-seconds", "300") // the phone's session waits for it, unless ended
            .build();

    static final String NAME = "rosaline";

    @Test
    void aDetachedSessionOfACancelledAccountStoresNothingForIt() throws Exception {
        server.ensureUser(NAME, "s3cret-pass");
        server.ensureUser("juliet", "capulet-secret");
        XMPPTCPConnection phone = new XMPPTCPConnection(server.config(NAME, "s3cret-pass")
                .setResource(Resourcepart.from("phone")).build());
        phone.setUseStreamManagement(true);
        phone.setUseStreamManagementResumption(true);
        server.track(phone);
        phone.connect().login();
        assertThat(phone.isSmResumptionPossible()).isTrue();
        phone.sendStanza(PresenceBuilder.buildPresence().setPriority(5).build());
        server.sync(phone);
        Jid phoneJid = phone.getUser();

        XMPPTCPConnection juliet = server.login("juliet", "capulet-secret");
        List<Message> bounced = new java.util.concurrent.CopyOnWriteArrayList<>();
        juliet.addAsyncStanzaListener(s -> bounced.add((Message) s), new AndFilter(StanzaTypeFilter.MESSAGE,
                s -> s.getError() != null));

        phone.instantShutdown(); // the TCP connection is cut: the session is detached, not ended
        juliet.sendStanza(chat(phoneJid, "are you there?"));
        server.sync(juliet);

        // She cancels from her tablet (no presence: nothing would be delivered to it).
        XMPPTCPConnection tablet = server.connect(server.config(NAME, "s3cret-pass").setResource("tablet")
                .setSendPresence(false).build());
        StoredData.deleteAccount(tablet);
        assertThat(StoredData.waitUntilDisconnected(tablet)).isTrue();
        assertThat(StoredData.eventually(() -> StoredData.rows(server,
                "SELECT COUNT(*) FROM privacy_erasure WHERE completed_at IS NOT NULL") == 1)).as("the erasure ended")
                .isTrue();

        // The message the detached session never acknowledged came back to Juliet as an error
        // instead of waiting in the offline queue of an erased account.
        assertThat(StoredData.eventually(() -> bounced.stream().anyMatch(m -> "are you there?".equals(m.getBody()))))
                .as("Juliet is told her message was not delivered").isTrue();
        assertThat(bounced).allSatisfy(m -> assertThat(m.getError().getCondition())
                .isEqualTo(StanzaError.Condition.service_unavailable));

        // A message to the old session's full JID is refused, and recreates nothing.
        StanzaCollector answer = juliet.createStanzaCollector(new AndFilter(StanzaTypeFilter.MESSAGE,
                (Stanza s) -> s.getError() != null && "still there?".equals(((Message) s).getBody())));
        juliet.sendStanza(chat(phoneJid, "still there?"));
        assertThat((Stanza) answer.nextResult(10_000)).as("bounced").isNotNull();
        answer.cancel();
        server.sync(juliet);

        assertThat(StoredData.rows(server, "SELECT COUNT(*) FROM offline_message WHERE username = '" + NAME + "'"))
                .isZero();
        assertThat(StoredData.rows(server, "SELECT COALESCE(SUM(messages), 0) FROM mam_bucket WHERE owner = '" + NAME + "'")).isZero();
        assertThat(StoredData.rows(server, "SELECT COUNT(*) FROM roster_item WHERE username = '" + NAME + "'")).isZero();
        assertThat(tablesHolding(NAME)).as("tables holding her name after the erasure").isEmpty();
        assertThat(server.server().sessions().of(NAME)).as("no session of hers is left").isEmpty();
    }

    private static Message chat(Jid to, String body) {
        return MessageBuilder.buildMessage().to(to).ofType(Message.Type.chat).setBody(body).build();
    }

    /** The tables with a cell containing the text (any case). */
    private static List<String> tablesHolding(String text) throws Exception {
        List<String> found = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(server.databaseUrl())) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = c.getMetaData().getTables(null, c.getSchema(), "%", new String[] {"TABLE"})) {
                while (rs.next()) {
                    tables.add(rs.getString("TABLE_NAME"));
                }
            }
            assertThat(tables).hasSizeGreaterThan(10);
            for (String table : tables) {
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT * FROM \"" + table + "\"")) {
                    rows:
                    while (rs.next()) {
                        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                            Object v = rs.getObject(i);
                            String s = v instanceof byte[] b ? new String(b, java.nio.charset.StandardCharsets.ISO_8859_1)
                                    : String.valueOf(v);
                            if (v != null && s.toLowerCase(Locale.ROOT).contains(text)) {
                                found.add(table.toLowerCase(Locale.ROOT));
                                break rows;
                            }
                        }
                    }
                }
            }
        }
        return found;
    }
}
