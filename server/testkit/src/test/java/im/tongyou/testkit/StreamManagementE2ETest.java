package im.tongyou.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.jivesoftware.smack.StanzaCollector;
import org.jivesoftware.smack.filter.AndFilter;
import org.jivesoftware.smack.filter.FromMatchesFilter;
import org.jivesoftware.smack.filter.StanzaTypeFilter;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.MessageBuilder;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.packet.PresenceBuilder;
import org.jivesoftware.smack.packet.Stanza;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.chatstates.ChatState;
import org.jivesoftware.smackx.chatstates.packet.ChatStateExtension;
import org.jivesoftware.smackx.csi.ClientStateIndicationManager;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jxmpp.jid.Jid;
import org.jxmpp.jid.impl.JidCreate;

/**
 * Stream management (XEP-0198) and client state indication (XEP-0352) with Smack: resumption after
 * the TCP connection is cut with every message delivered once, re-routing of what a dead session
 * never acknowledged, and holding and flushing while a client is inactive.
 */
class StreamManagementE2ETest {

    @RegisterExtension
    static TongyouServerExtension server = TongyouServerExtension.builder()
            .set("stream.resumption-seconds", "2")
            .build();

    @BeforeAll
    static void users() throws Exception {
        server.createUser("romeo", "montague-secret");
        server.createUser("juliet", "capulet-secret");
    }

    private XMPPTCPConnection withStreamManagement(String user, String password, String resource) throws Exception {
        XMPPTCPConnection connection = new XMPPTCPConnection(server.config(user, password)
                .setResource(org.jxmpp.jid.parts.Resourcepart.from(resource)).build());
        connection.setUseStreamManagement(true);
        connection.setUseStreamManagementResumption(true);
        connection.setReplyTimeout(10_000);
        return server.track(connection);
    }

    private static Message chat(Jid to, String body) {
        return MessageBuilder.buildMessage().to(to).ofType(Message.Type.chat).setBody(body).build();
    }

    @Test
    void aResumedSessionGetsEveryMessageOnce() throws Exception {
        XMPPTCPConnection romeo = withStreamManagement("romeo", "montague-secret", "phone");
        romeo.connect().login();
        assertThat(romeo.isSmEnabled()).isTrue();
        assertThat(romeo.isSmResumptionPossible()).isTrue();
        server.sync(romeo);
        XMPPTCPConnection juliet = server.login("juliet", "capulet-secret");
        List<String> received = new ArrayList<>();
        romeo.addSyncStanzaListener(s -> {
            synchronized (received) {
                received.add(((Message) s).getBody());
                received.notifyAll();
            }
        }, StanzaTypeFilter.MESSAGE);

        juliet.sendStanza(chat(romeo.getUser(), "before"));
        awaitCount(received, 1);
        romeo.instantShutdown(); // the TCP connection is cut; no stream close, no unavailable
        for (int i = 1; i <= 3; i++) {
            juliet.sendStanza(chat(romeo.getUser(), "while away " + i));
        }
        server.sync(juliet);
        romeo.connect().login(); // Smack resumes when the server allows it

        assertThat(romeo.streamWasResumed()).isTrue();
        awaitCount(received, 4);
        server.sync(romeo);
        synchronized (received) {
            assertThat(received).containsExactly("before", "while away 1", "while away 2", "while away 3");
        }
    }

    @Test
    void whatADeadSessionNeverAcknowledgedGoesToTheOtherResource() throws Exception {
        XMPPTCPConnection phone = withStreamManagement("romeo", "montague-secret", "lost-phone");
        phone.connect().login();
        // The phone says it is the most available resource, so bare-JID chat goes to it alone.
        phone.sendStanza(PresenceBuilder.buildPresence().setPriority(5).build());
        server.sync(phone);
        XMPPTCPConnection laptop = server.login("romeo", "montague-secret", "laptop");
        server.sync(laptop);
        XMPPTCPConnection juliet = server.login("juliet", "capulet-secret");
        StanzaCollector laptopInbox = laptop.createStanzaCollector(new AndFilter(StanzaTypeFilter.MESSAGE,
                FromMatchesFilter.createFull(juliet.getUser())));

        phone.instantShutdown();
        juliet.sendStanza(chat(JidCreate.entityBareFrom("romeo@" + server.domain()), "did you get this?"));
        server.sync(juliet);

        // After the resumption time (2 s here) the phone's session ends; the unacknowledged
        // message is delivered again, to the laptop, marked as delayed.
        Message second = laptopInbox.nextResult(15_000);
        assertThat(second).isNotNull();
        assertThat(second.getBody()).isEqualTo("did you get this?");
        assertThat(second.hasExtension("delay", "urn:xmpp:delay")).isTrue();
        laptopInbox.cancel();
    }

    @Test
    void anInactiveClientGetsPresenceAndChatStatesOnlyWithTheNextRealMessage() throws Exception {
        XMPPTCPConnection romeo = server.login("romeo", "montague-secret", "csi");
        XMPPTCPConnection juliet = server.login("juliet", "capulet-secret", "csi");
        List<Stanza> received = new ArrayList<>();
        romeo.addSyncStanzaListener(s -> {
            synchronized (received) {
                received.add(s);
                received.notifyAll();
            }
        }, s -> s.getFrom() != null && s.getFrom().equals(juliet.getUser()));
        assertThat(ClientStateIndicationManager.isSupported(romeo)).isTrue();
        ClientStateIndicationManager.inactive(romeo);
        server.sync(romeo);

        juliet.sendStanza(PresenceBuilder.buildPresence().to(romeo.getUser()).setStatus("away a while")
                .setMode(Presence.Mode.away).build());
        juliet.sendStanza(PresenceBuilder.buildPresence().to(romeo.getUser()).setStatus("back").build());
        juliet.sendStanza(MessageBuilder.buildMessage().to(romeo.getUser()).ofType(Message.Type.chat)
                .addExtension(new ChatStateExtension(ChatState.composing)).build());
        server.sync(juliet);
        server.sync(romeo);
        synchronized (received) {
            assertThat(received).isEmpty(); // held while inactive
        }

        juliet.sendStanza(chat(romeo.getUser(), "wake up"));
        awaitCount(received, 3);
        synchronized (received) {
            // The older presence was replaced by the newer; order kept; the real message last.
            assertThat(received).hasSize(3);
            assertThat(((Presence) received.get(0)).getStatus()).isEqualTo("back");
            assertThat(received.get(1)).isInstanceOf(Message.class);
            assertThat(((Message) received.get(1)).getBody()).isNull();
            assertThat(((Message) received.get(2)).getBody()).isEqualTo("wake up");
        }

        ClientStateIndicationManager.active(romeo);
        juliet.sendStanza(PresenceBuilder.buildPresence().to(romeo.getUser()).setStatus("at once").build());
        awaitCount(received, 4);
    }

    private static void awaitCount(List<?> list, int count) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        synchronized (list) {
            while (list.size() < count && System.currentTimeMillis() < deadline) {
                list.wait(200);
            }
            assertThat(list).hasSizeGreaterThanOrEqualTo(count);
        }
    }
}
