package im.tongyou.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.dom4j.Element;
import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.iqrequest.AbstractIqRequestHandler;
import org.jivesoftware.smack.iqrequest.IQRequestHandler;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.MessageBuilder;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.packet.PresenceBuilder;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.provider.ExtensionElementProvider;
import org.jivesoftware.smack.provider.ProviderManager;
import org.jivesoftware.smack.roster.Roster;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.util.PacketParserUtils;
import org.jivesoftware.smack.xml.XmlPullParser;
import org.jivesoftware.smack.xml.XmlPullParserException;
import org.jivesoftware.smack.packet.XmlEnvironment;
import org.jivesoftware.smackx.pubsub.packet.PubSub;
import org.jivesoftware.smackx.pubsub.packet.PubSubNamespace;
import org.jivesoftware.smackx.push_notifications.PushNotificationsManager;
import org.jivesoftware.smackx.vcardtemp.VCardManager;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.impl.JidCreate;

/**
 * Opaque identity (privacy requirements R-MIN-2, C-14, AC-05): Mercutio registers with his phone
 * number, then lives an ordinary day — a vCard and a profile, presence to his contact Tybalt, push
 * notifications through an app server while he is away. Every stanza Tybalt, Mercutio and the app
 * server receive, and every line the server logs, is searched for his number in each way it can be
 * written; none holds it. A stranger asking for his vCard gets nothing, and his contact gets no
 * birthday.
 */
class OpaqueIdentityE2ETest {

    @RegisterExtension
    static TongyouServerExtension server = TongyouServerExtension.builder()
            .set("plugins.register.mode", "phone")
            .set("plugins.push.min-interval-seconds", "0")
            .build();

    static final String NATIONAL = "13698765432";
    static final String E164 = "+8613698765432";
    static final String BIRTHDAY = "1999-03-14";
    static EntityBareJid mercutioJid;

    @BeforeAll
    static void accounts() throws Exception {
        for (String name : new String[] {"publish", "publish-options"}) {
            ProviderManager.addExtensionProvider(name, PubSubNamespace.basic.getXmlns(),
                    new ExtensionElementProvider<PushE2ETest.Raw>() {
                        @Override
                        public PushE2ETest.Raw parse(XmlPullParser parser, int initialDepth, XmlEnvironment environment)
                                throws XmlPullParserException, java.io.IOException {
                            return new PushE2ETest.Raw(name, PacketParserUtils.parseElement(parser, true).toString());
                        }
                    });
        }
        try (RawRegistration reg = RawRegistration.open(server)) {
            assertThat(reg.requestCode(NATIONAL).attributeValue("type")).isEqualTo("result");
            Map<String, String> form = new LinkedHashMap<>();
            form.put("username", "mercutio");
            form.put("password", "queen-mab-secret");
            form.put("phone", NATIONAL);
            form.put("sms-code", RawRegistration.lastCode(server.dataDir(), E164));
            form.put("birthday", BIRTHDAY);
            form.put("accept-policy", "1");
            form.put("policy-version", "V4.2.7");
            assertThat(reg.submit(form).attributeValue("type")).isEqualTo("result");
        }
        server.createUser("tybalt", "prince-of-cats");
        server.createUser("peter", "nurse-servant");
        server.createUser("apothecary", "poison-secret");
        mercutioJid = JidCreate.entityBareFrom("mercutio@" + server.domain());
    }

    /** Keeps every stanza the connection receives, as XML. */
    private static void capture(XMPPTCPConnection c, List<String> into) {
        c.addSyncStanzaListener(stanza -> into.add(stanza.toXML().toString()), stanza -> true);
    }

    @Test
    void theNumberIsInNoStanzaNoPushPayloadAndNoLogLine() throws Exception {
        List<String> stanzas = new CopyOnWriteArrayList<>();
        List<String> log;
        BlockingQueue<String> publishes = new LinkedBlockingQueue<>();
        try (LogCapture capture = LogCapture.start()) {
            XMPPTCPConnection app = server.login("apothecary", "poison-secret", "push-service");
            app.registerIQRequestHandler(new AbstractIqRequestHandler(PubSub.ELEMENT, PubSubNamespace.basic.getXmlns(),
                    IQ.Type.set, IQRequestHandler.Mode.async) {
                @Override
                public IQ handleIQRequest(IQ request) {
                    publishes.add(request.toXML().toString());
                    return IQ.createResultIQ(request);
                }
            });
            XMPPTCPConnection mercutio = server.connect(server.config("mercutio", "queen-mab-secret").build(),
                    c -> capture(c, stanzas));
            Roster.getInstanceFor(mercutio).setSubscriptionMode(Roster.SubscriptionMode.accept_all);
            XMPPTCPConnection tybalt = server.connect(server.config("tybalt", "prince-of-cats").build(),
                    c -> capture(c, stanzas));
            Roster.getInstanceFor(tybalt).createItemAndRequestSubscription(mercutioJid, "Mercutio", null);
            Await.until("Tybalt sees Mercutio's presence",
                    () -> Roster.getInstanceFor(tybalt).getPresence(mercutioJid).isAvailable());

            XmlIq.request(mercutio, new XmlIq(IQ.Type.set, null, "vCard", "vcard-temp", "",
                    "<FN>Mercutio</FN><NICKNAME>Prince's kinsman</NICKNAME><BDAY>" + BIRTHDAY + "</BDAY>"));
            XmlIq.request(mercutio, new XmlIq(IQ.Type.set, null, "profile", "urn:tongyou:profile:0", "",
                    "<nickname>Mercutio</nickname><region>Verona</region>"));
            mercutio.sendStanza(PresenceBuilder.buildPresence().ofType(Presence.Type.available)
                    .setStatus("Queen Mab hath been with you").build());
            server.sync(mercutio);

            String card = VCardManager.getInstanceFor(tybalt).loadVCard(mercutioJid).toXML().toString();
            assertThat(card).contains("Mercutio").doesNotContain(BIRTHDAY, "BDAY");
            Element profile = XmlIq.request(tybalt, new XmlIq(IQ.Type.get, mercutioJid, "profile", "urn:tongyou:profile:0",
                    "", ""));
            assertThat(profile.asXML()).contains("Verona").doesNotContain(BIRTHDAY);
            XMPPTCPConnection peter = server.connect(server.config("peter", "nurse-servant").build(),
                    c -> capture(c, stanzas));
            assertThatThrownBy(() -> VCardManager.getInstanceFor(peter).loadVCard(mercutioJid))
                    .as("a stranger gets no vCard at all").isInstanceOfSatisfying(XMPPException.XMPPErrorException.class,
                            e -> assertThat(e.getStanzaError().getCondition())
                                    .isEqualTo(StanzaError.Condition.service_unavailable));

            assertThat(PushNotificationsManager.getInstanceFor(mercutio).enable(app.getUser(), "mercutios-phone",
                    Map.of("secret", "s3cret"))).isTrue();
            server.sync(mercutio);
            mercutio.disconnect();
            server.awaitGone(mercutio); // offline for the server too, so the message is pushed
            tybalt.sendStanza(MessageBuilder.buildMessage().to(mercutioJid).ofType(Message.Type.chat)
                    .setBody("Mercutio, thou consort'st with Romeo").build());
            String publish = publishes.poll(15, TimeUnit.SECONDS);
            assertThat(publish).as("the app server was notified").isNotNull();
            server.sync(tybalt);
            stanzas.add(publish);
            log = capture.lines();
        }

        assertThat(stanzas).as("stanzas captured").hasSizeGreaterThan(10)
                .anyMatch(s -> s.contains("<presence") && s.contains("mercutio@"))
                .anyMatch(s -> s.contains("vCard"));
        for (String number : new String[] {NATIONAL, E164, "136 9876 5432", "136-9876-5432", "8613698765432"}) {
            assertThat(stanzas).as("stanzas holding %s", number).noneMatch(s -> s.contains(number));
            assertThat(log).as("log lines holding %s", number).noneMatch(l -> l.contains(number));
        }
        assertThat(stanzas).as("JIDs are opaque").noneMatch(s -> s.matches("(?s).*['\"][^'\"@]*136\\d*@.*"));
    }
}
