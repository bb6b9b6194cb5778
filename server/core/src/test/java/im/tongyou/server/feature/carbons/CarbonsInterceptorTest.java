package im.tongyou.server.feature.carbons;

import static org.assertj.core.api.Assertions.assertThat;

import im.tongyou.server.feature.RecordingSessions;
import java.util.List;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.QName;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xmpp.packet.IQ;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;
import org.xmpp.packet.Packet;

/** Carbons (XEP-0280): who gets which copy, eligibility (§6), private (§8) and no-copy (XEP-0334). */
class CarbonsInterceptorTest {

    static final String DOMAIN = "tongyou.example";
    final RecordingSessions sessions = new RecordingSessions();
    final CarbonsInterceptor carbons = new CarbonsInterceptor(DOMAIN, sessions);
    RecordingSessions.Session phone;
    RecordingSessions.Session laptop;
    RecordingSessions.Session tablet;

    @BeforeEach
    void romeoHasThreeResources() throws Exception {
        phone = sessions.bind("romeo@tongyou.example/phone");
        laptop = sessions.bind("romeo@tongyou.example/laptop");
        tablet = sessions.bind("romeo@tongyou.example/tablet");
        enable(phone);
        enable(laptop);
        sessions.bind("juliet@tongyou.example/balcony");
    }

    void enable(RecordingSessions.Session s) throws Exception {
        IQ request = new IQ(IQ.Type.set);
        request.setFrom(s.jid());
        request.setChildElement("enable", CarbonsInterceptor.NS);
        assertThat(carbons.enable(request).getType()).isEqualTo(IQ.Type.result);
    }

    static Message chat(String from, String to, String body) {
        Message m = new Message();
        m.setType(Message.Type.chat);
        m.setFrom(new JID(from));
        m.setTo(new JID(to));
        if (body != null) {
            m.setBody(body);
        }
        return m;
    }

    static Element forwarded(Packet carbon, String direction) {
        Element wrapper = carbon.getElement().element(QName.get(direction, CarbonsInterceptor.NS));
        assertThat(wrapper).as(carbon.toXML()).isNotNull();
        return wrapper.element(QName.get("forwarded", CarbonsInterceptor.FORWARD)).element("message");
    }

    @Test
    void whatAResourceSendsIsCopiedToTheOtherEnabledResourcesOnly() {
        carbons.sent(chat("romeo@tongyou.example/phone", "juliet@tongyou.example", "Shall I hear more?"));

        assertThat(phone.sent).as("not to the sender").isEmpty();
        assertThat(tablet.sent).as("carbons not enabled").isEmpty();
        assertThat(laptop.sent).singleElement().satisfies(copy -> {
            assertThat(copy.getFrom().toString()).isEqualTo("romeo@tongyou.example");
            assertThat(copy.getTo()).isEqualTo(laptop.jid());
            assertThat(((Message) copy).getType()).isEqualTo(Message.Type.chat);
            Element original = forwarded(copy, "sent");
            assertThat(original.elementText("body")).isEqualTo("Shall I hear more?");
            assertThat(original.getNamespaceURI()).isEqualTo("jabber:client");
        });
    }

    @Test
    void whatArrivesForOneResourceIsCopiedToTheOthersAndABareJidMessageIsNotCopiedToItsRecipients() {
        carbons.received(chat("juliet@tongyou.example/balcony", "romeo@tongyou.example/phone", "to the phone"));
        assertThat(phone.sent).as("it gets the original").isEmpty();
        assertThat(laptop.sent).singleElement().satisfies(c -> assertThat(forwarded(c, "received").elementText("body"))
                .isEqualTo("to the phone"));
        laptop.sent.clear();

        // To the bare JID: the original goes to every resource of the highest priority (all 0 here).
        carbons.received(chat("juliet@tongyou.example/balcony", "romeo@tongyou.example", "to all"));
        assertThat(phone.sent).isEmpty();
        assertThat(laptop.sent).isEmpty();

        // The laptop says priority 5: it alone gets the original; the phone gets a copy.
        laptop.priority = 5;
        carbons.received(chat("juliet@tongyou.example/balcony", "romeo@tongyou.example", "to the most available"));
        assertThat(laptop.sent).isEmpty();
        assertThat(phone.sent).hasSize(1);
        // A full JID without a session is delivered as to the bare JID (RFC 6121 §8.5.3.2.1).
        carbons.received(chat("juliet@tongyou.example/balcony", "romeo@tongyou.example/gone", "to a gone resource"));
        assertThat(laptop.sent).isEmpty();
        assertThat(phone.sent).hasSize(2);
    }

    @Test
    void onlyEligibleMessagesAreCopied() {
        Message normalWithoutBody = chat("romeo@tongyou.example/phone", "juliet@tongyou.example", null);
        normalWithoutBody.setType(Message.Type.normal);
        Message headline = chat("romeo@tongyou.example/phone", "juliet@tongyou.example", "news");
        headline.setType(Message.Type.headline);
        Message privateMessage = chat("romeo@tongyou.example/phone", "juliet@tongyou.example", "just for her");
        privateMessage.getElement().addElement(QName.get("private", CarbonsInterceptor.NS));
        Message noCopy = chat("romeo@tongyou.example/phone", "juliet@tongyou.example", "once");
        noCopy.getElement().addElement(QName.get("no-copy", CarbonsRules.HINTS));
        for (Message m : List.of(normalWithoutBody, headline, privateMessage, noCopy)) {
            carbons.sent(m);
        }
        assertThat(laptop.sent).isEmpty();

        Message chatState = chat("romeo@tongyou.example/phone", "juliet@tongyou.example", null);
        chatState.getElement().addElement(QName.get("composing", "http://jabber.org/protocol/chatstates"));
        carbons.sent(chatState);
        assertThat(laptop.sent).as("XEP-0280 §9.2: chat states are copied on purpose").hasSize(1);

        Message fromRoom = chat("room@conference.tongyou.example/nurse", "romeo@tongyou.example/phone", "a private word");
        fromRoom.getElement().addElement(QName.get("x", CarbonsRules.MUC_USER));
        carbons.received(fromRoom);
        Message again = chat("juliet@tongyou.example/balcony", "romeo@tongyou.example/phone", "delivered again");
        again.getElement().addElement(QName.get("delay", "urn:xmpp:delay")).addAttribute("from", DOMAIN);
        carbons.received(again);
        assertThat(laptop.sent).hasSize(1);
    }

    @Test
    void thePrivateElementIsRemovedBeforeDeliveryAndDisablingStopsCopies() throws Exception {
        Message m = chat("juliet@tongyou.example/balcony", "romeo@tongyou.example/phone", "between us");
        m.getElement().addElement(QName.get("private", CarbonsInterceptor.NS));
        carbons.received(m);
        assertThat(m.getElement().element(QName.get("private", CarbonsInterceptor.NS))).isNull();
        assertThat(laptop.sent).isEmpty();

        IQ disable = new IQ(IQ.Type.set);
        disable.setFrom(laptop.jid());
        disable.setChildElement(DocumentHelper.createElement(QName.get("disable", CarbonsInterceptor.NS)));
        carbons.disable(disable);
        carbons.disable(disable); // twice is fine (§9.1)
        carbons.received(chat("juliet@tongyou.example/balcony", "romeo@tongyou.example/phone", "after disable"));
        assertThat(laptop.sent).isEmpty();
    }

    @Test
    void aMessageBetweenTwoResourcesOfTheUserIsCopiedOnceToTheThird() throws Exception {
        enable(tablet);
        Message m = chat("romeo@tongyou.example/phone", "romeo@tongyou.example/laptop", "note to self");
        carbons.sent(m);
        carbons.received(m);
        assertThat(laptop.sent).as("it gets the original").isEmpty();
        assertThat(phone.sent).as("the sender").isEmpty();
        assertThat(tablet.sent).singleElement().satisfies(c -> forwarded(c, "sent"));
    }
}
