package im.tongyou.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import im.tongyou.api.ClientSession;
import im.tongyou.server.session.LocalSession;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.dom4j.Element;
import org.jivesoftware.smack.iqrequest.AbstractIqRequestHandler;
import org.jivesoftware.smack.iqrequest.IQRequestHandler;
import org.jivesoftware.smack.packet.ExtensionElement;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.MessageBuilder;
import org.jivesoftware.smack.packet.XmlEnvironment;
import org.jivesoftware.smack.provider.ExtensionElementProvider;
import org.jivesoftware.smack.provider.ProviderManager;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.util.PacketParserUtils;
import org.jivesoftware.smack.xml.XmlPullParser;
import org.jivesoftware.smack.xml.XmlPullParserException;
import org.jivesoftware.smackx.pubsub.packet.PubSub;
import org.jivesoftware.smackx.pubsub.packet.PubSubNamespace;
import org.jivesoftware.smackx.push_notifications.PushNotificationsManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.Jid;
import org.jxmpp.jid.impl.JidCreate;
import org.slf4j.LoggerFactory;

/**
 * Push notifications (XEP-0357) with Smack's PushNotificationsManager. Romeo's phone enables push
 * and goes away; Juliet writes; the app server gets a publish with a message count and an opaque id
 * — not her words, not her name — unless Romeo opted in to previews. Both a test app server (a Smack
 * client that answers the pubsub publish) and the built-in one with its log provider.
 */
class PushE2ETest {

    @RegisterExtension
    static TongyouServerExtension server = TongyouServerExtension.builder()
            .set("plugins.push.min-interval-seconds", "0")
            .build();
    static EntityBareJid romeoJid;

    /**
     * A child of the publish request as the app server got it, kept as XML. COMPAT: Smack
     * 4.5.0-beta5 parses a pubsub set it does not know with its generic parser, which asserts that a
     * namespace prefix is never empty; StAX reports default-namespace declarations (the data forms
     * inside) with an empty prefix, so the assertion fails when assertions are on, as in tests.
     */
    record Raw(String name, String xml) implements ExtensionElement {
        @Override
        public String getElementName() {
            return name;
        }

        @Override
        public String getNamespace() {
            return PubSubNamespace.basic.getXmlns();
        }

        @Override
        public CharSequence toXML(XmlEnvironment environment) {
            return xml;
        }
    }

    @BeforeAll
    static void users() throws Exception {
        for (String name : new String[] {"publish", "publish-options"}) {
            ProviderManager.addExtensionProvider(name, PubSubNamespace.basic.getXmlns(), new ExtensionElementProvider<Raw>() {
                @Override
                public Raw parse(XmlPullParser parser, int initialDepth, XmlEnvironment environment)
                        throws XmlPullParserException, java.io.IOException {
                    return new Raw(name, PacketParserUtils.parseElement(parser, true).toString());
                }
            });
        }
        server.createUser("romeo", "montague-secret");
        server.createUser("juliet", "capulet-secret");
        server.createUser("apothecary", "poison-secret");
        romeoJid = JidCreate.entityBareFrom("romeo@" + server.domain());
    }

    final ListAppender<ILoggingEvent> pushLog = new ListAppender<>();

    @AfterEach
    void detachLog() {
        ((Logger) LoggerFactory.getLogger("im.tongyou.push")).detachAppender(pushLog);
    }

    static Message chat(Jid to, String body) {
        return MessageBuilder.buildMessage().to(to).ofType(Message.Type.chat).setBody(body).build();
    }

    /** A client that plays the app server: it answers pubsub publishes and keeps them. */
    static XMPPTCPConnection appServer(BlockingQueue<String> publishes) throws Exception {
        XMPPTCPConnection app = server.login("apothecary", "poison-secret", "push-service");
        app.registerIQRequestHandler(new AbstractIqRequestHandler(PubSub.ELEMENT, PubSubNamespace.basic.getXmlns(),
                IQ.Type.set, IQRequestHandler.Mode.async) {
            @Override
            public IQ handleIQRequest(IQ request) {
                publishes.add(request.getFrom() + " " + request.toXML());
                return IQ.createResultIQ(request);
            }
        });
        return app;
    }

    @Test
    void anOfflineUsersAppServerLearnsOnlyThatAMessageCameUnlessPreviewsAreOn() throws Exception {
        BlockingQueue<String> publishes = new LinkedBlockingQueue<>();
        XMPPTCPConnection app = appServer(publishes);
        XMPPTCPConnection phone = server.login("romeo", "montague-secret", "phone");
        PushNotificationsManager push = PushNotificationsManager.getInstanceFor(phone);
        assertThat(push.isSupported()).isTrue();
        assertThat(push.enable(app.getUser(), "romeos-phone", Map.of("secret", "s3cret"))).isTrue();
        phone.disconnect();
        server.awaitGone(phone); // a message sent earlier would go to the closing stream
        XMPPTCPConnection juliet = server.login("juliet", "capulet-secret", "balcony");

        juliet.sendStanza(chat(romeoJid, "Wherefore art thou Romeo?"));
        String publish = publishes.poll(15, TimeUnit.SECONDS);
        assertThat(publish).isNotNull();
        assertThat(publish).startsWith(romeoJid + " ") // published by Romeo's server for him
                .doesNotContain("Wherefore", "juliet", "last-message");
        Element pubsub = XmlIq.parse(publish.substring(publish.indexOf(' ') + 1)).element("pubsub");
        Element item = pubsub.element("publish").element("item");
        assertThat(pubsub.element("publish").attributeValue("node")).isEqualTo("romeos-phone");
        assertThat(item.attributeValue("id")).as("an opaque id").hasSizeGreaterThan(10);
        assertThat(fields(item.element("notification").element("x")))
                .containsExactly(Map.entry("FORM_TYPE", "urn:xmpp:push:summary"), Map.entry("message-count", "1"));
        assertThat(fields(pubsub.element("publish-options").element("x"))).containsEntry("secret", "s3cret");

        // Romeo opts in to previews (xeps/tongyou-push.md): the next one names Juliet and quotes her.
        phone = server.login("romeo", "montague-secret", "phone");
        assertThat(PushNotificationsManager.getInstanceFor(phone).enable(app.getUser(), "romeos-phone",
                Map.of("secret", "s3cret", "{urn:tongyou:push:0}previews", "true"))).isTrue();
        phone.disconnect();
        server.awaitGone(phone); // a message sent earlier would go to the closing stream
        juliet.sendStanza(chat(romeoJid, "Deny thy father"));
        String preview = publishes.poll(15, TimeUnit.SECONDS);
        assertThat(preview).contains("last-message-body", "Deny thy father", "last-message-sender", "juliet@")
                .doesNotContain("previews");

        // Disabled: nothing more is published.
        phone = server.login("romeo", "montague-secret", "phone");
        assertThat(PushNotificationsManager.getInstanceFor(phone).disableAll(app.getUser())).isTrue();
        phone.disconnect();
        server.awaitGone(phone); // a message sent earlier would go to the closing stream
        juliet.sendStanza(chat(romeoJid, "Are you there?"));
        server.sync(juliet);
        assertThat(publishes.poll(2, TimeUnit.SECONDS)).isNull();
    }

    @Test
    void theBuiltInAppServerWakesAHibernatingPhoneThroughItsLogProviderWithoutTheMessage() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger("im.tongyou.push");
        logger.setLevel(Level.INFO);
        pushLog.start();
        logger.addAppender(pushLog);
        XMPPTCPConnection phone = new XMPPTCPConnection(server.config("romeo", "montague-secret")
                .setResource(org.jxmpp.jid.parts.Resourcepart.from("sleepy-phone")).build());
        phone.setUseStreamManagement(true);
        phone.setUseStreamManagementResumption(true);
        server.track(phone).connect().login();
        assertThat(phone.isSmResumptionPossible()).isTrue();

        Jid service = JidCreate.domainBareFrom("push." + server.domain());
        Element registered = XmlIq.request(phone, new XmlIq(IQ.Type.set, service, "register", "urn:tongyou:push:0",
                " provider='log' token='device-token-of-the-sleepy-phone'", ""));
        String node = registered.attributeValue("node");
        assertThat(PushNotificationsManager.getInstanceFor(phone).enable(service, node,
                Map.of("secret", registered.attributeValue("secret")))).isTrue();
        server.sync(phone);
        phone.instantShutdown(); // the phone's connection dies; its session waits to be resumed
        awaitDetached("romeo@" + server.domain() + "/sleepy-phone");

        XMPPTCPConnection juliet = server.login("juliet", "capulet-secret", "balcony");
        juliet.sendStanza(chat(romeoJid, "Thy drugs are quick"));
        long deadline = System.currentTimeMillis() + 15_000;
        while (pushLog.list.isEmpty() && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertThat(pushLog.list).singleElement().satisfies(event -> {
            assertThat(event.getFormattedMessage()).contains("1 new message(s)")
                    .doesNotContain("Thy drugs", "juliet", "device-token", "preview");
        });
    }

    static Map<String, String> fields(Element form) {
        Map<String, String> fields = new java.util.LinkedHashMap<>();
        form.elements("field").forEach(f -> fields.put(f.attributeValue("var"), f.elementText("value")));
        return fields;
    }

    static void awaitDetached(String fullJid) throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            ClientSession s = server.server().sessions().get(new org.xmpp.packet.JID(fullJid)).orElse(null);
            if (s instanceof LocalSession local && local.isDetached()) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError(fullJid + " was not detached");
    }
}
