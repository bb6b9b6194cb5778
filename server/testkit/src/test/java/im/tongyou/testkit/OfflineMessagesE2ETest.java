package im.tongyou.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jivesoftware.smack.StanzaCollector;
import org.jivesoftware.smack.filter.AndFilter;
import org.jivesoftware.smack.filter.MessageTypeFilter;
import org.jivesoftware.smack.filter.StanzaTypeFilter;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.MessageBuilder;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.packet.PresenceBuilder;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.chatstates.ChatState;
import org.jivesoftware.smackx.chatstates.packet.ChatStateExtension;
import org.jivesoftware.smackx.delay.packet.DelayInformation;
import org.jivesoftware.smackx.mam.MamManager;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.impl.JidCreate;

/**
 * Romeo writes while Juliet is away; she gets his words when she comes online, oldest first and
 * marked as delayed by the server (XEP-0160 §2, XEP-0203).
 */
class OfflineMessagesE2ETest {

    @RegisterExtension
    static TongyouServerExtension server = TongyouServerExtension.builder()
            .set("plugins.offline.max-per-user", "3")
            .build();

    @BeforeAll
    static void users() throws Exception {
        for (String user : List.of("romeo", "juliet", "nurse", "rosaline", "tybalt", "mercutio", "balthasar")) {
            server.createUser(user, user + "-secret");
        }
    }

    static EntityBareJid jid(String user) throws Exception {
        return JidCreate.entityBareFrom(user + "@" + TongyouServerExtension.DOMAIN);
    }

    static Message chat(String to, String body) throws Exception {
        return MessageBuilder.buildMessage().to(jid(to)).ofType(Message.Type.chat).setBody(body).build();
    }

    /** Logs in without the automatic initial presence, so the test decides when it goes out. */
    static XMPPTCPConnection loginSilently(String user) throws Exception {
        return server.connect(server.config(user, user + "-secret").setSendPresence(false).build());
    }

    static void available(XMPPTCPConnection connection, int priority) throws Exception {
        connection.sendStanza(PresenceBuilder.buildPresence().ofType(Presence.Type.available).setPriority(priority).build());
    }

    static StanzaCollector chats(XMPPTCPConnection connection) {
        return connection.createStanzaCollector(new AndFilter(StanzaTypeFilter.MESSAGE, MessageTypeFilter.CHAT));
    }

    @Test
    void julietGetsRomeosMessagesOnlineOldestFirstWithTheServersDelay() throws Exception {
        XMPPTCPConnection romeo = server.login("romeo", "romeo-secret", "orchard");
        Instant before = Instant.now().minusSeconds(1);
        romeo.sendStanza(chat("juliet", "Lady, by yonder blessed moon I swear"));
        romeo.sendStanza(chat("juliet", "That tips with silver all these fruit-tree tops"));
        romeo.sendStanza(chat("juliet", "你好，朱丽叶 🌙"));
        server.sync(romeo);
        Instant after = Instant.now().plusSeconds(1);

        XMPPTCPConnection juliet = loginSilently("juliet");
        StanzaCollector inbox = chats(juliet);
        available(juliet, 1);

        List<Message> received = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Message m = inbox.nextResult(10_000);
            assertThat(m).as("offline message %d", i + 1).isNotNull();
            received.add(m);
        }
        assertThat(received).extracting(Message::getBody).containsExactly("Lady, by yonder blessed moon I swear",
                "That tips with silver all these fruit-tree tops", "你好，朱丽叶 🌙");
        for (Message m : received) {
            assertThat((Object) m.getFrom()).isEqualTo(romeo.getUser());
            DelayInformation delay = DelayInformation.from(m);
            assertThat(delay).isNotNull();
            assertThat(delay.getFrom()).isEqualTo(TongyouServerExtension.DOMAIN);
            assertThat(delay.getStamp().toInstant()).isBetween(before, after);
        }
        inbox.cancel();

        // Delivered once: the next session finds the queue empty. Smack runs stream management, and
        // XEP-0198 delivery is at least once: what the client never acknowledged when its session
        // ends is routed again (stored offline here). So Juliet acknowledges before she leaves.
        if (juliet.isSmEnabled()) {
            juliet.sendSmAcknowledgement();
        }
        server.sync(juliet);
        juliet.disconnect();
        XMPPTCPConnection again = loginSilently("juliet");
        StanzaCollector second = chats(again);
        available(again, 1);
        server.sync(again);
        assertThat((Object) second.pollResult()).isNull();
    }

    @Test
    void aResourceWithNegativePriorityGetsNothingUntilItTurnsNonNegative() throws Exception {
        XMPPTCPConnection romeo = server.login("romeo", "romeo-secret");
        romeo.sendStanza(chat("rosaline", "Is she not fair?"));
        server.sync(romeo);

        XMPPTCPConnection rosaline = loginSilently("rosaline");
        StanzaCollector inbox = chats(rosaline);
        available(rosaline, -1);
        server.sync(rosaline);
        assertThat((Object) inbox.pollResult()).isNull();

        available(rosaline, 0);
        assertThat(inbox.<Message>nextResultOrThrow(10_000).getBody()).isEqualTo("Is she not fair?");
    }

    @Test
    void beyondTheLimitTheSenderGetsServiceUnavailable() throws Exception {
        XMPPTCPConnection romeo = server.login("romeo", "romeo-secret");
        StanzaCollector errors = romeo.createStanzaCollector(new AndFilter(StanzaTypeFilter.MESSAGE,
                MessageTypeFilter.ERROR));
        for (int i = 1; i <= 3; i++) {
            romeo.sendStanza(chat("nurse", "message " + i));
        }
        server.sync(romeo);
        assertThat((Object) errors.pollResult()).isNull();

        romeo.sendStanza(chat("nurse", "message 4"));

        Message bounce = errors.nextResult(10_000);
        assertThat(bounce.getError().getCondition()).isEqualTo(StanzaError.Condition.service_unavailable);
        assertThat(bounce.getBody()).isEqualTo("message 4");
    }

    /**
     * XEP-0160 §2: beyond the limit the message is refused and its sender told so; a refused message
     * never reached Balthasar, so it is not in his archive either (XEP-0313 §6.1.1 keeps what a user
     * "sends or receives"). Romeo's archive keeps what he sent, the refused one included.
     */
    @Test
    void aMessageRefusedBeyondTheLimitIsNotInTheRecipientsArchive() throws Exception {
        XMPPTCPConnection romeo = server.login("romeo", "romeo-secret");
        StanzaCollector errors = romeo.createStanzaCollector(new AndFilter(StanzaTypeFilter.MESSAGE,
                MessageTypeFilter.ERROR));
        for (int i = 1; i <= 4; i++) {
            romeo.sendStanza(chat("balthasar", "news " + i));
        }
        Message bounce = errors.nextResult(10_000);
        assertThat(bounce).isNotNull();
        assertThat(bounce.getError().getCondition()).isEqualTo(StanzaError.Condition.service_unavailable);
        assertThat(bounce.getBody()).isEqualTo("news 4");

        XMPPTCPConnection balthasar = loginSilently("balthasar");
        assertThat(archived(balthasar, jid("romeo"))).containsExactly("news 1", "news 2", "news 3");
        assertThat(archived(romeo, jid("balthasar"))).containsExactly("news 1", "news 2", "news 3", "news 4");
    }

    static List<String> archived(XMPPTCPConnection connection, EntityBareJid with) throws Exception {
        MamManager mam = MamManager.getInstanceFor(connection);
        assertThat(mam.isSupported()).isTrue(); // also what Smack needs to know the archive's version
        MamManager.MamQuery query = mam.queryArchive(MamManager.MamQueryArgs.builder()
                .limitResultsToJid(with).setResultPageSize(50).build());
        assertThat(query.isComplete()).isTrue();
        List<String> bodies = new ArrayList<>();
        query.getMessages().forEach(m -> bodies.add(m.getBody()));
        return bodies;
    }

    @Test
    void typingIsDroppedSilentlyAndNoStoreIsBounced() throws Exception {
        XMPPTCPConnection romeo = server.login("romeo", "romeo-secret");
        StanzaCollector errors = romeo.createStanzaCollector(new AndFilter(StanzaTypeFilter.MESSAGE,
                MessageTypeFilter.ERROR));

        romeo.sendStanza(MessageBuilder.buildMessage().to(jid("tybalt")).ofType(Message.Type.chat)
                .addExtension(new ChatStateExtension(ChatState.composing)).build());
        server.sync(romeo);
        assertThat((Object) errors.pollResult()).isNull();

        // Raw, because Smack cannot parse its own <no-store/> when it comes back in the bounce.
        try (RawXmppClient raw = server.raw()) {
            raw.login("romeo", "romeo-secret", "raw");
            raw.send("<message type='chat' id='ns1' to='tybalt@" + TongyouServerExtension.DOMAIN + "'>"
                    + "<body>Tybalt, you rat-catcher</body><no-store xmlns='urn:xmpp:hints'/></message>");
            String bounce = raw.readUntil("</message>");
            assertThat(bounce).contains("type=\"error\"").contains("id=\"ns1\"").contains("<service-unavailable");
        }

        XMPPTCPConnection tybalt = loginSilently("tybalt");
        StanzaCollector inbox = tybalt.createStanzaCollector(StanzaTypeFilter.MESSAGE);
        available(tybalt, 0);
        server.sync(tybalt);
        assertThat((Object) inbox.pollResult()).isNull();
    }

    @Test
    void offlineMessagesHandedToASessionThatDiesUnacknowledgedComeBackWithTheirFirstStamp() throws Exception {
        XMPPTCPConnection romeo = server.login("romeo", "romeo-secret");
        romeo.sendStanza(chat("mercutio", "A plague o' both your houses"));
        romeo.sendStanza(chat("mercutio", "They have made worms' meat of me"));
        server.sync(romeo);

        String firstStamps;
        try (RawXmppClient raw = server.raw()) {
            raw.login("mercutio", "mercutio-secret", "street");
            raw.send("<enable xmlns='urn:xmpp:sm:3'/>"); // stream management, never acknowledging
            raw.readUntil("<enabled");
            raw.send("<presence/>");
            String got = raw.readUntil("worms' meat of me</body>") + raw.readUntil("</message>");
            assertThat(got).contains("A plague o' both your houses");
            Matcher stamps = Pattern.compile("stamp=\"([^\"]+)\"").matcher(got);
            StringBuilder all = new StringBuilder();
            while (stamps.find()) {
                all.append(stamps.group(1)).append(' ');
            }
            firstStamps = all.toString().trim();
            assertThat(firstStamps.split(" ")).hasSize(2);
        } // the connection drops: what it never acknowledged gets a second chance

        XMPPTCPConnection mercutio = loginSilently("mercutio");
        StanzaCollector inbox = chats(mercutio);
        available(mercutio, 0);
        List<Message> again = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Message m = inbox.nextResult(10_000);
            assertThat(m).as("message %d again", i + 1).isNotNull();
            again.add(m);
        }
        assertThat(again).extracting(Message::getBody).containsExactly("A plague o' both your houses",
                "They have made worms' meat of me");
        String stamps = String.join(" ", again.stream()
                .map(m -> DelayInformation.from(m).getStamp().toInstant().toString()).toList());
        assertThat(stamps).isEqualTo(firstStamps);
    }

    @Test
    void aMessageThatComesAfterTheClientClosedItsStreamIsStoredNotLost() throws Exception {
        XMPPTCPConnection nurse = server.login("nurse", "nurse-secret", "garden");
        try (RawXmppClient raw = server.raw()) {
            raw.login("tybalt", "tybalt-secret", "street"); // no stream management
            raw.send("<presence/>");
            raw.send("</stream:stream>");
            raw.readUntil("</stream:stream>");
            // RFC 6120 §4.4: Tybalt's stream is closed though his TCP connection is still open, so the
            // server may write nothing more to it; the message must wait offline instead.
            nurse.sendStanza(chat("tybalt", "Tybalt, my cousin! O my brother's child!"));
            server.sync(nurse);
        }

        XMPPTCPConnection tybalt = loginSilently("tybalt");
        StanzaCollector inbox = chats(tybalt);
        available(tybalt, 0);
        Message kept = inbox.nextResult(10_000);
        assertThat(kept).as("the message, from offline storage").isNotNull();
        assertThat(kept.getBody()).isEqualTo("Tybalt, my cousin! O my brother's child!");
    }
}
