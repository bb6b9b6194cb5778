package im.tongyou.testkit;

import static im.tongyou.testkit.ImClients.bare;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jivesoftware.smack.StanzaCollector;
import org.jivesoftware.smack.filter.AndFilter;
import org.jivesoftware.smack.filter.StanzaTypeFilter;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.MessageBuilder;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.roster.Roster;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.blocking.BlockingCommandManager;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jxmpp.jid.Jid;

/** Blocking Command (XEP-0191) with Smack's BlockingCommandManager: Juliet blocks Romeo, then forgives him. */
class BlockingE2ETest {

    @RegisterExtension
    static TongyouServerExtension server = TongyouServerExtension.create();

    @BeforeAll
    static void users() throws Exception {
        Roster.setDefaultSubscriptionMode(Roster.SubscriptionMode.manual);
        server.createUser("romeo", "romeo-secret");
        server.createUser("juliet", "juliet-secret");
    }

    static StanzaCollector errors(XMPPTCPConnection c) {
        return c.createStanzaCollector(new AndFilter(StanzaTypeFilter.MESSAGE,
                s -> ((Message) s).getType() == Message.Type.error));
    }

    static Message chat(String to, String body) {
        return MessageBuilder.buildMessage().to(bare(to)).ofType(Message.Type.chat).setBody(body).build();
    }

    @Test
    void blockingWorksInBothDirectionsUntilUnblocked() throws Exception {
        XMPPTCPConnection romeo = server.login("romeo", "romeo-secret");
        XMPPTCPConnection juliet = server.login("juliet", "juliet-secret", "balcony");
        XMPPTCPConnection laptop = server.login("juliet", "juliet-secret", "laptop");
        ImClients.befriend(romeo, juliet);
        Await.until("Romeo sees Juliet", () -> ImClients.sees(romeo, bare("juliet")));
        BlockingCommandManager blocking = BlockingCommandManager.getInstanceFor(juliet);
        assertThat(blocking.isSupportedByServer()).isTrue();
        List<Jid> pushed = new CopyOnWriteArrayList<>();
        BlockingCommandManager laptopBlocking = BlockingCommandManager.getInstanceFor(laptop);
        laptopBlocking.getBlockList();
        laptopBlocking.addJidsBlockedListener(pushed::addAll);

        blocking.blockContacts(List.of(bare("romeo")));

        assertThat(blocking.getBlockList()).containsExactly(bare("romeo"));
        Await.until("the block pushed to Juliet's laptop", () -> pushed.contains(bare("romeo")));
        Await.until("Juliet looks offline to Romeo", () -> !ImClients.sees(romeo, bare("juliet")));

        StanzaCollector romeoErrors = errors(romeo);
        romeo.sendStanza(chat("juliet", "Wilt thou leave me so unsatisfied?"));
        Message refused = romeoErrors.nextResult(10_000);
        assertThat(refused.getError().getCondition()).isEqualTo(StanzaError.Condition.service_unavailable);

        StanzaCollector julietErrors = errors(juliet);
        juliet.sendStanza(chat("romeo", "What satisfaction canst thou have tonight?"));
        Message blocked = julietErrors.nextResult(10_000);
        assertThat(blocked.getError().getCondition()).isEqualTo(StanzaError.Condition.not_acceptable);
        assertThat((Object) blocked.getError().getExtension("blocked", "urn:xmpp:blocking:errors")).isNotNull();

        blocking.unblockContacts(List.of(bare("romeo")));

        Await.until("Juliet online again for Romeo", () -> ImClients.sees(romeo, bare("juliet")));
        Await.until("Romeo online again for Juliet", () -> ImClients.sees(juliet, bare("romeo")));
        StanzaCollector inbox = juliet.createStanzaCollector(new AndFilter(StanzaTypeFilter.MESSAGE,
                s -> ((Message) s).getType() == Message.Type.chat));
        romeo.sendStanza(chat("juliet", "Th' exchange of thy love's faithful vow for mine."));
        assertThat(inbox.<Message>nextResultOrThrow(10_000).getBody()).startsWith("Th' exchange");
        assertThat(blocking.getBlockList()).isEmpty();
    }
}
