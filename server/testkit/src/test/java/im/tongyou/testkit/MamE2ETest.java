package im.tongyou.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.dom4j.Element;
import org.jivesoftware.smack.StanzaCollector;
import org.jivesoftware.smack.filter.AndFilter;
import org.jivesoftware.smack.filter.FromMatchesFilter;
import org.jivesoftware.smack.filter.StanzaTypeFilter;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.MessageBuilder;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.mam.MamManager;
import org.jivesoftware.smackx.mam.element.MamPrefsIQ;
import org.jivesoftware.smackx.mam.element.MamVersion;
import org.jivesoftware.smackx.sid.element.StanzaIdElement;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.Jid;
import org.jxmpp.jid.impl.JidCreate;

/**
 * The message archive (XEP-0313) with Smack's MamManager: Romeo and Juliet exchange 500 messages;
 * Juliet pages through them forwards and backwards with exact counts; preferences, an offline
 * recipient, and our retention extension (xeps/tongyou-mam-retention.md).
 */
class MamE2ETest {

    @RegisterExtension
    static TongyouServerExtension server = TongyouServerExtension.create();
    static EntityBareJid romeoJid;
    static EntityBareJid julietJid;

    @BeforeAll
    static void users() throws Exception {
        server.createUser("romeo", "montague-secret");
        server.createUser("juliet", "capulet-secret");
        server.createUser("mercutio", "queen-mab");
        romeoJid = JidCreate.entityBareFrom("romeo@" + server.domain());
        julietJid = JidCreate.entityBareFrom("juliet@" + server.domain());
    }

    static Message chat(Jid to, String body) {
        return MessageBuilder.buildMessage().to(to).ofType(Message.Type.chat).setBody(body).build();
    }

    static List<String> bodies(List<Message> messages) {
        return messages.stream().map(Message::getBody).toList();
    }

    static Integer count(MamManager.MamQuery query) {
        return query.getPage().getMamFinIq().getRSMSet().getCount();
    }

    @Test
    void fiveHundredMessagesPageForwardsAndBackwardsWithExactCounts() throws Exception {
        XMPPTCPConnection romeo = server.login("romeo", "montague-secret", "orchard");
        XMPPTCPConnection juliet = server.login("juliet", "capulet-secret", "balcony");
        StanzaCollector julietInbox = juliet.createStanzaCollector(new AndFilter(StanzaTypeFilter.MESSAGE,
                FromMatchesFilter.createFull(romeo.getUser())));
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            String body = (i % 2 == 0 ? "romeo " : "juliet ") + i;
            sent.add(body);
            // One at a time across both connections, so that the archive order is the sending order.
            (i % 2 == 0 ? romeo : juliet).sendStanza(chat(i % 2 == 0 ? juliet.getUser() : romeo.getUser(), body));
            server.sync(i % 2 == 0 ? romeo : juliet);
        }
        Message first = julietInbox.nextResult(10_000);
        StanzaIdElement stanzaId = StanzaIdElement.getStanzaId(first);
        assertThat(stanzaId.getBy().toString()).isEqualTo(julietJid.toString());
        julietInbox.cancel();

        MamManager mam = MamManager.getInstanceFor(juliet);
        assertThat(mam.isSupported()).isTrue();
        MamManager.MamQuery forward = mam.queryArchive(MamManager.MamQueryArgs.builder()
                .limitResultsToJid(romeoJid).setResultPageSize(100).build());
        List<String> pagedForward = new ArrayList<>(bodies(forward.getMessages()));
        assertThat(count(forward)).isEqualTo(500);
        assertThat(forward.isComplete()).isFalse();
        assertThat(forward.getMamResultExtensions().get(0).getId()).as("the id she was told").isEqualTo(stanzaId.getId());
        for (int page = 1; page < 5; page++) {
            List<Message> next = forward.pageNext(100);
            assertThat(next).hasSize(100);
            assertThat(count(forward)).isEqualTo(500);
            assertThat(forward.isComplete()).isEqualTo(page == 4);
            pagedForward.addAll(bodies(next));
        }
        assertThat(pagedForward).containsExactlyElementsOf(sent);

        MamManager.MamQuery backward = mam.queryArchive(MamManager.MamQueryArgs.builder()
                .limitResultsToJid(romeoJid).setResultPageSize(120).queryLastPage().build());
        List<String> pagedBackward = new ArrayList<>(bodies(backward.getMessages()));
        assertThat(pagedBackward).hasSize(120).endsWith("juliet 499");
        assertThat(count(backward)).isEqualTo(500);
        for (int page = 1; page < 5; page++) {
            List<Message> previous = backward.pagePrevious(120);
            assertThat(previous).hasSize(page < 4 ? 120 : 20);
            assertThat(backward.isComplete()).isEqualTo(page == 4);
            pagedBackward.addAll(0, bodies(previous));
        }
        assertThat(pagedBackward).containsExactlyElementsOf(sent);

    }

    static void setDefault(XMPPTCPConnection connection, MamPrefsIQ.DefaultBehavior behavior) throws Exception {
        MamPrefsIQ set = new MamPrefsIQ(MamVersion.MAM2, List.of(), List.of(), behavior);
        set.setType(IQ.Type.set);
        MamPrefsIQ applied = connection.sendIqRequestAndWaitForResponse(set);
        assertThat(applied.getDefault()).isEqualTo(behavior);
    }

    @Test
    void preferencesAndAnOfflineRecipientAndOurRetentionExtension() throws Exception {
        XMPPTCPConnection mercutio = server.login("mercutio", "queen-mab", "street");
        MamManager mercutioMam = MamManager.getInstanceFor(mercutio);
        assertThat(mercutioMam.isSupported()).isTrue(); // Smack learns the namespace version here
        assertThat(mercutioMam.retrieveArchivingPreferences().mamPrefs.getDefault())
                .isEqualTo(MamPrefsIQ.DefaultBehavior.always);
        // COMPAT: Smack 4.5.0-beta5's MamPrefs reads the IQ's stanza namespace, so the IQ is built here.
        setDefault(mercutio, MamPrefsIQ.DefaultBehavior.never);
        mercutio.sendStanza(chat(romeoJid, "not kept by me"));
        setDefault(mercutio, MamPrefsIQ.DefaultBehavior.always);
        // Romeo is not logged in: the message waits in his archive all the same.
        mercutio.sendStanza(chat(romeoJid, "kept by me"));
        server.sync(mercutio);
        assertThat(bodies(mercutioMam.queryArchive(MamManager.MamQueryArgs.builder()
                .limitResultsToJid(romeoJid).build()).getMessages())).containsExactly("kept by me");

        XMPPTCPConnection romeo = server.login("romeo", "montague-secret", "orchard");
        MamManager romeoMam = MamManager.getInstanceFor(romeo);
        assertThat(romeoMam.isSupported()).isTrue();
        EntityBareJid mercutioJid = JidCreate.entityBareFrom("mercutio@" + server.domain());
        assertThat(bodies(romeoMam.queryArchive(MamManager.MamQueryArgs.builder()
                .limitResultsToJid(mercutioJid).build()).getMessages())).containsExactly("not kept by me", "kept by me");

        Element retention = XmlIq.request(romeo, new XmlIq(IQ.Type.set, null, "retention", "urn:tongyou:mam-retention:0",
                " days='30'", ""));
        assertThat(retention.attributeValue("days")).isEqualTo("30");
        assertThat(retention.attributeValue("server-days")).isEqualTo("180");
        Element purged = XmlIq.request(romeo, new XmlIq(IQ.Type.set, null, "purge", "urn:tongyou:mam-retention:0", "", ""));
        assertThat(Integer.parseInt(purged.attributeValue("count"))).isGreaterThanOrEqualTo(2);
        assertThat(romeoMam.queryArchive(MamManager.MamQueryArgs.builder().build()).getMessages()).isEmpty();
        assertThat(bodies(mercutioMam.queryArchive(MamManager.MamQueryArgs.builder()
                .limitResultsToJid(romeoJid).build()).getMessages())).as("his copy is his").containsExactly("kept by me");
    }
}
