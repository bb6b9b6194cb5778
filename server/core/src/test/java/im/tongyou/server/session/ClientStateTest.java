package im.tongyou.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.xmpp.packet.IQ;
import org.xmpp.packet.Message;
import org.xmpp.packet.Packet;
import org.xmpp.packet.Presence;

/** XEP-0352: what an inactive client gets at once, what is held, and in which order it comes out. */
class ClientStateTest {

    static Presence presence(String from, String status) {
        Presence p = new Presence();
        p.setFrom(from);
        p.setStatus(status);
        return p;
    }

    static Message chatState(String from) {
        Message m = new Message();
        m.setFrom(from);
        m.getElement().addElement("composing", "http://jabber.org/protocol/chatstates");
        return m;
    }

    static Message body(String from, String text) {
        Message m = new Message();
        m.setFrom(from);
        m.setBody(text);
        return m;
    }

    @Test
    void anActiveClientGetsEverythingAtOnce() {
        ClientState state = new ClientState();

        assertThat(state.offer(presence("a@x/1", "hi"))).hasSize(1);
    }

    @Test
    void presenceIsHeldAndTheNewestOfEachContactWins() {
        ClientState state = new ClientState();
        state.inactive();

        assertThat(state.offer(presence("a@x/1", "one"))).isEmpty();
        assertThat(state.offer(presence("b@x/1", "b"))).isEmpty();
        assertThat(state.offer(presence("a@x/1", "two"))).isEmpty();
        assertThat(state.offer(chatState("a@x/1"))).isEmpty();

        var released = state.offer(body("a@x/1", "hello"));
        assertThat(released).hasSize(4);
        assertThat(((Presence) released.get(0)).getStatus()).isEqualTo("b");
        assertThat(((Presence) released.get(1)).getStatus()).isEqualTo("two");
        assertThat(released.get(2)).isInstanceOf(Message.class);
        assertThat(((Message) released.get(3)).getBody()).isEqualTo("hello");
    }

    @Test
    void iqsAndSubscriptionsPassWithoutReleasingTheRest() {
        ClientState state = new ClientState();
        state.inactive();
        state.offer(presence("a@x/1", "held"));
        Presence subscribe = presence("b@x", null);
        subscribe.setType(Presence.Type.subscribe);

        assertThat(state.offer(new IQ(IQ.Type.get, "1"))).hasSize(1);
        assertThat(state.offer(subscribe)).hasSize(1);
        assertThat(state.active()).extracting(Packet::getFrom).extracting(Object::toString).containsExactly("a@x/1");
    }

    @Test
    void aCarbonIsAsUrgentAsTheMessageItCarries() {
        Message ofChatState = new Message();
        ofChatState.setFrom("a@x");
        ofChatState.getElement().addElement("received", "urn:xmpp:carbons:2")
                .addElement("forwarded", "urn:xmpp:forward:0").add(chatState("b@x/1").getElement().createCopy());
        Message ofBody = new Message();
        ofBody.setFrom("a@x");
        ofBody.getElement().addElement("sent", "urn:xmpp:carbons:2")
                .addElement("forwarded", "urn:xmpp:forward:0").add(body("a@x/2", "hello").getElement().createCopy());

        assertThat(ClientState.isUrgent(ofChatState)).isFalse();
        assertThat(ClientState.isUrgent(ofBody)).isTrue();
    }

    @Test
    void anEncryptedPayloadIsUrgent() {
        Message encrypted = new Message();
        encrypted.getElement().addElement("encrypted", "eu.siacs.conversations.axolotl");

        assertThat(ClientState.isUrgent(encrypted)).isTrue();
        assertThat(ClientState.isUrgent(chatState("a@x/1"))).isFalse();
    }
}
