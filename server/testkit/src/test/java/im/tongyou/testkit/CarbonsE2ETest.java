package im.tongyou.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.StanzaCollector;
import org.jivesoftware.smack.filter.StanzaTypeFilter;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.MessageBuilder;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.carbons.CarbonManager;
import org.jivesoftware.smackx.carbons.packet.CarbonExtension;
import org.jivesoftware.smackx.sid.element.StanzaIdElement;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jxmpp.jid.Jid;
import org.jxmpp.jid.impl.JidCreate;

/**
 * Message carbons (XEP-0280) with Smack's CarbonManager: Romeo on his phone and his laptop, Juliet
 * on her balcony. What Juliet sends to the phone reaches the laptop as a received copy; what the
 * phone sends reaches the laptop as a sent copy; private messages and bare-JID deliveries are not
 * copied.
 */
class CarbonsE2ETest {

    @RegisterExtension
    static TongyouServerExtension server = TongyouServerExtension.create();

    @BeforeAll
    static void users() throws Exception {
        server.createUser("romeo", "montague-secret");
        server.createUser("juliet", "capulet-secret");
    }

    record Copy(CarbonExtension.Direction direction, Message original) {
    }

    /** Logs Romeo in on a resource with carbons enabled, collecting the copies it gets. */
    static XMPPTCPConnection romeo(String resource, BlockingQueue<Copy> copies) throws Exception {
        XMPPTCPConnection connection = server.login("romeo", "montague-secret", resource);
        CarbonManager carbons = CarbonManager.getInstanceFor(connection);
        assertThat(carbons.isSupportedByServer()).isTrue();
        carbons.addCarbonCopyReceivedListener((direction, original, wrapper) -> copies.add(new Copy(direction, original)));
        carbons.enableCarbons();
        assertThat(carbons.getCarbonsEnabled()).isTrue();
        server.sync(connection);
        return connection;
    }

    static Message chat(Jid to, String body) {
        return MessageBuilder.buildMessage().to(to).ofType(Message.Type.chat).setBody(body).build();
    }

    @Test
    void copiesGoBothWaysToTheOtherResource() throws Exception {
        BlockingQueue<Copy> phoneCopies = new LinkedBlockingQueue<>();
        BlockingQueue<Copy> laptopCopies = new LinkedBlockingQueue<>();
        XMPPTCPConnection phone = romeo("phone", phoneCopies);
        XMPPTCPConnection laptop = romeo("laptop", laptopCopies);
        XMPPTCPConnection juliet = server.login("juliet", "capulet-secret", "balcony");
        StanzaCollector phoneInbox = phone.createStanzaCollector(StanzaTypeFilter.MESSAGE);
        StanzaCollector julietInbox = juliet.createStanzaCollector(StanzaTypeFilter.MESSAGE);

        // Received: Juliet writes to the phone; the laptop gets a copy.
        juliet.sendStanza(chat(phone.getUser(), "What man art thou?"));
        Message original = phoneInbox.nextResult(10_000);
        assertThat(original.getBody()).isEqualTo("What man art thou?");
        Copy received = laptopCopies.poll(10, TimeUnit.SECONDS);
        assertThat(received).isNotNull();
        assertThat(received.direction()).isEqualTo(CarbonExtension.Direction.received);
        assertThat(received.original().getBody()).isEqualTo("What man art thou?");
        assertThat(received.original().getFrom().toString()).isEqualTo(juliet.getUser().toString());
        // Both carry the id of Romeo's archive (XEP-0313 §3.5), the same one.
        assertThat(StanzaIdElement.getStanzaId(received.original()).getBy().toString()).isEqualTo("romeo@" + server.domain());
        assertThat(StanzaIdElement.getStanzaId(received.original()).getId())
                .isEqualTo(StanzaIdElement.getStanzaId(original).getId());

        // Sent: the phone answers; the laptop gets a copy with the archive id; Juliet gets only hers.
        phone.sendStanza(chat(juliet.getUser(), "By a name I know not how to tell thee who I am"));
        Copy sent = laptopCopies.poll(10, TimeUnit.SECONDS);
        assertThat(sent).isNotNull();
        assertThat(sent.direction()).isEqualTo(CarbonExtension.Direction.sent);
        assertThat(sent.original().getTo().toString()).isEqualTo(juliet.getUser().toString());
        assertThat(StanzaIdElement.getStanzaId(sent.original()).getBy().toString()).isEqualTo("romeo@" + server.domain());
        Message atJuliet = julietInbox.nextResult(10_000);
        assertThat(atJuliet.getBody()).startsWith("By a name");
        assertThat(atJuliet.getExtensions(StanzaIdElement.class)).extracting(e -> e.getBy().toString())
                .containsExactly("juliet@" + server.domain());

        server.sync(phone);
        server.sync(laptop);
        assertThat(phoneCopies).as("no copy of what it got or sent itself").isEmpty();
        phoneInbox.cancel();
        julietInbox.cancel();
    }

    @Test
    void privateMessagesAndMessagesToTheBareJidAreNotCopied() throws Exception {
        BlockingQueue<Copy> phoneCopies = new LinkedBlockingQueue<>();
        BlockingQueue<Copy> laptopCopies = new LinkedBlockingQueue<>();
        XMPPTCPConnection phone = romeo("phone", phoneCopies);
        XMPPTCPConnection laptop = romeo("laptop", laptopCopies);
        XMPPTCPConnection juliet = server.login("juliet", "capulet-secret", "balcony");
        StanzaCollector laptopInbox = laptop.createStanzaCollector(StanzaTypeFilter.MESSAGE);
        StanzaCollector phoneInbox = phone.createStanzaCollector(StanzaTypeFilter.MESSAGE);

        Message secret = chat(phone.getUser(), "for the phone only");
        CarbonManager.disableCarbons(secret);
        juliet.sendStanza(secret);
        Message mine = chat(juliet.getUser(), "a private answer");
        CarbonManager.disableCarbons(mine);
        phone.sendStanza(mine);
        // To Romeo's bare JID: both resources (same priority) get the original, so no copies.
        juliet.sendStanza(chat(JidCreate.entityBareFrom("romeo@" + server.domain()), "to both of you"));

        Message atPhone = phoneInbox.nextResult(10_000);
        assertThat(atPhone.getBody()).isEqualTo("for the phone only");
        assertThat(atPhone.hasExtension(CarbonExtension.Private.ELEMENT, CarbonExtension.NAMESPACE))
                .as("XEP-0280 §8: removed before delivery").isFalse();
        Message bothAtPhone = phoneInbox.nextResult(10_000);
        assertThat(bothAtPhone.getBody()).isEqualTo("to both of you");
        Message atLaptop = laptopInbox.nextResult(10_000);
        assertThat(atLaptop.getBody()).isEqualTo("to both of you");
        server.sync(juliet);
        server.sync(phone);
        server.sync(laptop);
        assertThat(laptopCopies).isEmpty();
        assertThat(phoneCopies).isEmpty();
        assertThat((Object) laptopInbox.pollResult()).as("nothing more").isNull();
        laptopInbox.cancel();
        phoneInbox.cancel();
    }
}
