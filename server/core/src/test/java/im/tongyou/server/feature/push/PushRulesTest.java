package im.tongyou.server.feature.push;

import static org.assertj.core.api.Assertions.assertThat;

import org.dom4j.QName;
import org.junit.jupiter.api.Test;
import org.xmpp.packet.Message;

/** What wakes a device: content a person wants to see, also inside a received carbon; not the rest. */
class PushRulesTest {

    static Message message(Message.Type type, String body) {
        Message m = new Message();
        m.setType(type);
        m.setFrom("juliet@tongyou.example/balcony");
        m.setTo("romeo@tongyou.example");
        if (body != null) {
            m.setBody(body);
        }
        return m;
    }

    static Message carbon(String direction, Message inner) {
        Message c = new Message();
        c.setType(Message.Type.chat);
        c.setFrom("romeo@tongyou.example");
        c.getElement().addElement(QName.get(direction, "urn:xmpp:carbons:2"))
                .addElement(QName.get("forwarded", "urn:xmpp:forward:0")).add(inner.getElement().createCopy());
        return c;
    }

    @Test
    void contentWakesTheDeviceAndTheRestDoesNot() {
        assertThat(PushNotifier.important(message(Message.Type.chat, "hello"))).isTrue();
        assertThat(PushNotifier.important(message(Message.Type.normal, "a letter"))).isTrue();
        Message encrypted = message(Message.Type.chat, null);
        encrypted.getElement().addElement(QName.get("encrypted", "urn:xmpp:omemo:2"));
        assertThat(PushNotifier.important(encrypted)).isTrue();

        Message composing = message(Message.Type.chat, null);
        composing.getElement().addElement(QName.get("composing", "http://jabber.org/protocol/chatstates"));
        assertThat(PushNotifier.important(composing)).isFalse();
        assertThat(PushNotifier.important(message(Message.Type.groupchat, "room chatter"))).isFalse();
        assertThat(PushNotifier.important(message(Message.Type.headline, "news"))).isFalse();
        assertThat(PushNotifier.important(message(Message.Type.error, "bounced"))).isFalse();

        assertThat(PushNotifier.important(carbon("received", message(Message.Type.chat, "to my laptop")))).isTrue();
        assertThat(PushNotifier.important(carbon("received", composing))).isFalse();
        assertThat(PushNotifier.important(carbon("sent", message(Message.Type.chat, "I wrote it")))).isFalse();
        assertThat(PushRules.content(carbon("received", message(Message.Type.chat, "inner"))).getBody()).isEqualTo("inner");
    }
}
