package im.tongyou.server.feature.offline;

import static org.assertj.core.api.Assertions.assertThat;

import im.tongyou.server.feature.StoredXml;
import im.tongyou.server.feature.offline.OfflinePolicy.Decision;
import org.junit.jupiter.api.Test;
import org.xmpp.packet.Message;

/** Which messages are kept for an offline user: XEP-0160 §3 and XEP-0334 hints. */
class OfflinePolicyTest {

    static Message message(String xml) {
        return new Message(StoredXml.parse(xml), true);
    }

    static Decision decide(String xml) {
        return OfflinePolicy.decide(message(xml));
    }

    @Test
    void chatAndNormalMessagesWithABodyAreStored() {
        assertThat(decide("<message xmlns='jabber:client' type='chat'><body>Wherefore art thou?</body></message>"))
                .isEqualTo(Decision.STORE);
        assertThat(decide("<message xmlns='jabber:client'><body>no type is normal</body></message>"))
                .isEqualTo(Decision.STORE);
        assertThat(decide("<message xmlns='jabber:client' type='normal'><subject>Verona</subject></message>"))
                .isEqualTo(Decision.STORE);
    }

    @Test
    void headlineGroupchatAndErrorAreNotStored() {
        for (String type : new String[] {"headline", "groupchat", "error"}) {
            assertThat(decide("<message xmlns='jabber:client' type='" + type + "'><body>x</body></message>"))
                    .as(type).isEqualTo(Decision.REFUSE);
        }
    }

    @Test
    void chatStatesAloneAreDiscardedWithoutABounce() {
        assertThat(decide("<message xmlns='jabber:client' type='chat'>"
                + "<composing xmlns='http://jabber.org/protocol/chatstates'/><thread>t1</thread></message>"))
                .isEqualTo(Decision.DISCARD);
        assertThat(decide("<message xmlns='jabber:client' type='chat'><body>  </body>"
                + "<active xmlns='http://jabber.org/protocol/chatstates'/></message>")).isEqualTo(Decision.DISCARD);
        assertThat(decide("<message xmlns='jabber:client' type='chat'/>")).isEqualTo(Decision.DISCARD);
        assertThat(decide("<message xmlns='jabber:client' type='chat'><request xmlns='urn:xmpp:receipts'/>"
                + "<origin-id xmlns='urn:xmpp:sid:0' id='a'/></message>")).isEqualTo(Decision.DISCARD);
    }

    @Test
    void payloadsOtherThanChatStatesAreStoredWithoutABody() {
        assertThat(decide("<message xmlns='jabber:client' type='chat'>"
                + "<encrypted xmlns='eu.siacs.conversations.axolotl'><payload>AAAA</payload></encrypted>"
                + "<store xmlns='urn:xmpp:hints'/></message>")).isEqualTo(Decision.STORE);
        assertThat(decide("<message xmlns='jabber:client'><received xmlns='urn:xmpp:receipts' id='m1'/></message>"))
                .isEqualTo(Decision.STORE);
    }

    @Test
    void theSendersHintsWin() {
        assertThat(decide("<message xmlns='jabber:client' type='chat'><body>secret</body>"
                + "<no-store xmlns='urn:xmpp:hints'/></message>")).isEqualTo(Decision.REFUSE);
        assertThat(decide("<message xmlns='jabber:client' type='chat'>"
                + "<paused xmlns='http://jabber.org/protocol/chatstates'/><store xmlns='urn:xmpp:hints'/></message>"))
                .isEqualTo(Decision.STORE);
        // No permanent store still allows the temporary storage of an offline message (XEP-0334 §4.1).
        assertThat(decide("<message xmlns='jabber:client' type='chat'><body>off the record</body>"
                + "<no-permanent-store xmlns='urn:xmpp:hints'/></message>")).isEqualTo(Decision.STORE);
    }
}
