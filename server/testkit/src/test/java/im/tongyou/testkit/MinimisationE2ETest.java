package im.tongyou.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.StanzaCollector;
import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.filter.AndFilter;
import org.jivesoftware.smack.filter.FromMatchesFilter;
import org.jivesoftware.smack.filter.MessageTypeFilter;
import org.jivesoftware.smack.filter.StanzaTypeFilter;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.MessageBuilder;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.packet.PresenceBuilder;
import org.jivesoftware.smack.packet.StandardExtensionElement;
import org.jivesoftware.smack.packet.Stanza;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.vcardtemp.VCardManager;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jxmpp.jid.Jid;
import org.jxmpp.jid.impl.JidCreate;

/**
 * Data minimisation (privacy requirements C-02, R-MIN-1, AC-04) end to end: Sampson's client tries to
 * hand the server device identifiers in every place a form or an extension can carry them — vCard,
 * profile, push publish options, PEP and publish-subscribe items and node configuration, private
 * storage, ad-hoc command forms, our extensions, message and presence extensions — and each time gets
 * {@code not-acceptable} naming the field, while Gregory receives nothing of it and the database holds
 * none of it. What he writes in a chat body is his and reaches Gregory untouched.
 *
 * <p>Names no other test class uses: the refused presence comes back as an error from Sampson's bare
 * JID with his client's caps inside, which Smack caches for that JID in a static cache shared by every
 * test class in the JVM (a later class asking what {@code romeo@tongyou.test} supports would get the
 * client's features instead of the account's).
 */
class MinimisationE2ETest {

    @RegisterExtension
    static TongyouServerExtension server = TongyouServerExtension.create();

    static final String IMEI = "356938035643809";
    static final String MAC = "3c:5a:b4:01:02:03";
    static final String IDFA = "6D92078A-8246-4BA4-AE5B-76104861E7DC";

    @BeforeAll
    static void users() throws Exception {
        server.createUser("sampson", "montague-secret");
        server.createUser("gregory", "capulet-secret");
    }

    private static XMPPTCPConnection sampson() throws Exception {
        return server.login("sampson", "montague-secret", "orchard");
    }

    /** Sends the IQ and expects not-acceptable whose text names {@code where} and not the value. */
    private static void refused(XMPPTCPConnection c, XmlIq iq, String where, String value) {
        assertThatThrownBy(() -> c.sendIqRequestAndWaitForResponse(iq))
                .isInstanceOfSatisfying(XMPPException.XMPPErrorException.class, e -> {
                    StanzaError error = e.getStanzaError();
                    assertThat(error.getCondition()).isEqualTo(StanzaError.Condition.not_acceptable);
                    assertThat(error.getDescriptiveText()).startsWith("device identifiers are not accepted")
                            .contains(where).doesNotContain(value);
                });
    }

    private static void notStored(String... values) throws Exception {
        for (String value : values) {
            assertThat(StoredData.cells(server)).noneMatch(cell -> cell.toLowerCase().contains(value.toLowerCase()));
        }
    }

    @Test
    void vCardAndProfileRefuseIdentifiersButKeepOrdinaryText() throws Exception {
        XMPPTCPConnection sampson = sampson();

        refused(sampson, new XmlIq(IQ.Type.set, null, "vCard", "vcard-temp", "",
                "<FN>Sampson</FN><X-IMEI>" + IMEI + "</X-IMEI>"), "<X-IMEI/>", IMEI);
        refused(sampson, new XmlIq(IQ.Type.set, null, "profile", "urn:tongyou:profile:0", "",
                "<nickname>sampson</nickname><device-id>" + IDFA + "</device-id>"), "<device-id/>", IDFA);
        XmlIq.request(sampson, new XmlIq(IQ.Type.set, null, "vCard", "vcard-temp", "",
                "<FN>Sampson</FN><NOTE>my old phone's IMEI was " + IMEI + "</NOTE>"));

        String card = VCardManager.getInstanceFor(sampson).loadVCard().toXML().toString();
        assertThat(card).contains("NOTE", IMEI).doesNotContain("X-IMEI");
        notStored(IDFA);
    }

    @Test
    void pushPublishOptionsCannotCarryADeviceId() throws Exception {
        XMPPTCPConnection sampson = sampson();
        refused(sampson, new XmlIq(IQ.Type.set, null, "enable", "urn:xmpp:push:0",
                " jid='push." + server.domain() + "' node='n1'", "<x xmlns='jabber:x:data' type='submit'>"
                        + "<field var='FORM_TYPE'><value>http://jabber.org/protocol/pubsub#publish-options</value></field>"
                        + "<field var='secret'><value>s3cret</value></field>"
                        + "<field var='android-id'><value>9774d56d682e549c</value></field></x>"),
                "field 'android-id'", "9774d56d682e549c");
        notStored("9774d56d682e549c");
    }

    @Test
    void pepAndPublishSubscribeRefuseThemInItemsAndNodeConfiguration() throws Exception {
        XMPPTCPConnection sampson = sampson();
        refused(sampson, new XmlIq(IQ.Type.set, null, "pubsub", "http://jabber.org/protocol/pubsub", "",
                "<publish node='urn:example:device:0'><item id='current'><device xmlns='urn:example:device:0'"
                        + " model='P40' mac='" + MAC + "'/></item></publish>"), "attribute 'mac' of <device/>", MAC);

        Jid service = JidCreate.domainBareFrom("pubsub." + server.domain());
        refused(sampson, new XmlIq(IQ.Type.set, service, "pubsub", "http://jabber.org/protocol/pubsub", "",
                "<create node='verona-devices'/><configure><x xmlns='jabber:x:data' type='submit'>"
                        + "<field var='FORM_TYPE' type='hidden'><value>http://jabber.org/protocol/pubsub#node_config"
                        + "</value></field><field var='pubsub#title'><value>Phones</value></field>"
                        + "<field var='x-oaid'><value>" + IDFA + "</value></field></x></configure>"),
                "field 'x-oaid'", IDFA);
        assertThat(StoredData.rows(server, "SELECT COUNT(*) FROM pubsub_node WHERE node = 'verona-devices'"))
                .as("the node was not created").isZero();
        notStored(MAC, IDFA);
    }

    @Test
    void privateStorageAdHocCommandsAndOurExtensionsRefuseThem() throws Exception {
        XMPPTCPConnection sampson = sampson();
        refused(sampson, new XmlIq(IQ.Type.set, null, "query", "jabber:iq:private", "",
                "<apps xmlns='urn:example:installed-apps'><app>com.tencent.mm</app></apps>"),
                "namespace 'urn:example:installed-apps'", "com.tencent.mm");
        refused(sampson, new XmlIq(IQ.Type.set, JidCreate.domainBareFrom(server.domain()), "command",
                "http://jabber.org/protocol/commands", " node='http://jabber.org/protocol/admin#add-user' action='complete'",
                "<x xmlns='jabber:x:data' type='submit'><field var='accountjid'><value>tybalt@" + server.domain()
                        + "</value></field><field var='imei'><value>" + IMEI + "</value></field></x>"),
                "field 'imei'", IMEI);
        refused(sampson, new XmlIq(IQ.Type.set, null, "retention", "urn:tongyou:mam-retention:0",
                " days='30' imsi='460001234567890'", ""), "attribute 'imsi'", "460001234567890");
        notStored("com.tencent.mm", IMEI, "460001234567890");
    }

    @Test
    void aMessageExtensionWithAnIdentifierBouncesButABodyIsNotRead() throws Exception {
        XMPPTCPConnection sampson = sampson();
        XMPPTCPConnection gregory = server.login("gregory", "capulet-secret", "balcony");
        Jid gregoryJid = gregory.getUser();
        StanzaCollector errors = sampson.createStanzaCollector(MessageTypeFilter.ERROR);
        StanzaCollector inbox = gregory.createStanzaCollector(new AndFilter(StanzaTypeFilter.MESSAGE,
                FromMatchesFilter.createBare(sampson.getUser())));

        sampson.sendStanza(MessageBuilder.buildMessage().to(gregoryJid).ofType(Message.Type.chat)
                .setBody("Take my new number, and my phone's IMEI " + IMEI).build());
        sampson.sendStanza(MessageBuilder.buildMessage().to(gregoryJid).ofType(Message.Type.chat).setBody("see attached")
                .addExtension(StandardExtensionElement.builder("device", "urn:example:device:0")
                        .addAttribute("imei", IMEI).build()).build());
        sampson.sendStanza(MessageBuilder.buildMessage().to(gregoryJid).ofType(Message.Type.chat).setBody("done").build());

        Message error = errors.nextResult(TimeUnit.SECONDS.toMillis(10));
        assertThat(error).isNotNull();
        assertThat(error.getError().getCondition()).isEqualTo(StanzaError.Condition.not_acceptable);
        assertThat(error.getError().getDescriptiveText()).contains("attribute 'imei' of <device/>");
        assertThat(bodyOf(inbox.nextResult(TimeUnit.SECONDS.toMillis(10)))).contains(IMEI);
        assertThat(bodyOf(inbox.nextResult(TimeUnit.SECONDS.toMillis(10)))).as("the refused one never came")
                .isEqualTo("done");
        errors.cancel();
        inbox.cancel();
    }

    @Test
    void aPresenceExtensionWithAnIdentifierIsRefused() throws Exception {
        XMPPTCPConnection sampson = sampson();
        StanzaCollector errors = sampson.createStanzaCollector(new AndFilter(StanzaTypeFilter.PRESENCE,
                stanza -> ((Presence) stanza).getType() == Presence.Type.error));
        sampson.sendStanza(PresenceBuilder.buildPresence().ofType(Presence.Type.available)
                .addExtension(StandardExtensionElement.builder("wifi", "urn:example:net:0")
                        .addElement("bssid", MAC).build()).build());

        Stanza error = errors.nextResult(TimeUnit.SECONDS.toMillis(10));
        assertThat(error).isNotNull();
        assertThat(error.getError().getCondition()).isEqualTo(StanzaError.Condition.not_acceptable);
        assertThat(error.getError().getDescriptiveText()).contains("BSSID", "<bssid/>").doesNotContain(MAC);
        errors.cancel();
    }

    private static String bodyOf(Stanza stanza) {
        assertThat(stanza).isNotNull();
        return ((Message) stanza).getBody();
    }
}
