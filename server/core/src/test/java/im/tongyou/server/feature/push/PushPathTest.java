package im.tongyou.server.feature.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import im.tongyou.api.PluginExecutor;
import im.tongyou.api.Router;
import im.tongyou.api.SessionEvent;
import im.tongyou.api.StanzaErrorException;
import im.tongyou.api.push.PushNotification;
import im.tongyou.api.push.PushProvider;
import im.tongyou.server.TestClock;
import im.tongyou.server.feature.RecordingSessions;
import im.tongyou.server.privacy.DataKeys;
import im.tongyou.server.privacy.MasterKey;
import im.tongyou.server.storage.Database;
import im.tongyou.server.storage.TestDatabases;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.xmpp.packet.IQ;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;
import org.xmpp.packet.Packet;
import org.xmpp.packet.PacketError;

/**
 * The whole push path without sockets, on H2 and PostgreSQL: a device registers with the built-in
 * app server, the client enables it (XEP-0357 §5), an offline message makes the server publish
 * (§7) with the secret, and the provider is called with a count and an opaque id only — unless
 * previews were enabled. Errors disable, disable removes, unused registrations expire.
 */
class PushPathTest {

    static final String DOMAIN = "tongyou.example";
    static final JID SERVICE = new JID("push." + DOMAIN);

    @TempDir
    Path dir;
    Database database;
    DataKeys crypto;
    PushStore store;
    PushIqHandler handler;
    PushNotifier notifier;
    PushAppServer appServer;
    final TestClock clock = new TestClock();
    final List<PushNotification> delivered = new CopyOnWriteArrayList<>();
    final List<Packet> routed = new CopyOnWriteArrayList<>();
    final List<IQ> published = new CopyOnWriteArrayList<>();
    final List<Runnable> later = new ArrayList<>();
    boolean tokenInvalid;

    /** Routes IQs to the app server at once and completes requests with its answers. */
    final class FakeRouter implements Router {
        final Map<String, CompletableFuture<IQ>> pending = new ConcurrentHashMap<>();

        @Override
        public void route(Packet stanza) {
            routed.add(stanza);
            if (stanza instanceof IQ iq && pending.containsKey(iq.getID())
                    && (iq.getType() == IQ.Type.result || iq.getType() == IQ.Type.error)) {
                pending.remove(iq.getID()).complete(iq);
            }
        }

        @Override
        public CompletionStage<IQ> request(IQ request, Duration timeout) {
            published.add(request);
            CompletableFuture<IQ> future = new CompletableFuture<>();
            pending.put(request.getID(), future);
            try {
                appServer.handle(request);
            } catch (StanzaErrorException e) {
                IQ error = IQ.createResultIQ(request);
                error.setType(IQ.Type.error);
                error.setError(e.toPacketError());
                route(error);
            }
            return future;
        }
    }

    final PluginExecutor executor = new PluginExecutor() {
        @Override
        public Future<?> execute(Runnable task) {
            task.run();
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public Future<?> schedule(Runnable task, Duration delay) {
            later.add(task);
            return new CompletableFuture<>();
        }

        @Override
        public Future<?> every(Duration period, Runnable task) {
            return new CompletableFuture<>();
        }
    };

    void open(TestDatabases.Kind kind) {
        database = Database.open(TestDatabases.config(kind, dir));
        database.applyChangelog("im/tongyou/server/feature/push/changelog.xml", getClass().getClassLoader());
        crypto = new DataKeys(database.dataSource(), MasterKey.load(dir), clock);
        store = new PushStore(database.dataSource(), crypto, clock);
        handler = new PushIqHandler(store);
        FakeRouter router = new FakeRouter();
        PushProvidersRegistry providers = new PushProvidersRegistry();
        providers.add(new LogPushProvider());
        providers.add(new PushProvider() {
            @Override
            public String name() {
                return "recording";
            }

            @Override
            public void deliver(PushNotification notification) throws Exception {
                if (tokenInvalid) {
                    throw new InvalidTokenException("gone");
                }
                delivered.add(notification);
            }
        });
        appServer = new PushAppServer(DOMAIN, store, providers, crypto, router);
        appServer.address(SERVICE);
        notifier = new PushNotifier(DOMAIN, store, router, executor, clock, Duration.ofSeconds(10));
    }

    @AfterEach
    void close() {
        if (database != null) {
            database.close();
        }
    }

    /** The device registers with the app server: its node and secret. */
    String[] register(String provider) throws Exception {
        IQ register = new IQ(IQ.Type.set);
        register.setFrom(new JID("romeo@" + DOMAIN + "/phone"));
        register.setTo(SERVICE);
        register.setChildElement("register", PushAppServer.NS).addAttribute("provider", provider)
                .addAttribute("token", "fcm-token-of-romeos-phone");
        appServer.handle(register);
        IQ reply = (IQ) routed.get(routed.size() - 1);
        Element registered = reply.getChildElement();
        return new String[] {registered.attributeValue("node"), registered.attributeValue("secret")};
    }

    IQ enable(String node, String secret, boolean previews) throws Exception {
        String form = "<x xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE'><value>"
                + PushIqHandler.PUBLISH_OPTIONS + "</value></field><field var='secret'><value>" + secret + "</value></field>"
                + (previews ? "<field var='{urn:tongyou:push:0}previews'><value>true</value></field>" : "") + "</x>";
        IQ enable = new IQ(DocumentHelper.parseText("<iq type='set' id='e1'><enable xmlns='urn:xmpp:push:0' jid='"
                + SERVICE + "' node='" + node + "'>" + form + "</enable></iq>").getRootElement(), true);
        enable.setFrom(new JID("romeo@" + DOMAIN + "/phone"));
        return handler.enable(enable);
    }

    static Message chat(String body) {
        Message m = new Message();
        m.setType(Message.Type.chat);
        m.setFrom(new JID("juliet@" + DOMAIN + "/balcony"));
        m.setTo(new JID("romeo@" + DOMAIN));
        m.setBody(body);
        return m;
    }

    @ParameterizedTest
    @MethodSource("im.tongyou.server.storage.TestDatabases#available")
    void anOfflineMessageReachesTheDeviceAsACountAndAnOpaqueIdOnly(TestDatabases.Kind kind) throws Exception {
        open(kind);
        String[] device = register("recording");
        assertThat(enable(device[0], device[1], false).getType()).isEqualTo(IQ.Type.result);

        notifier.offline(chat("Wherefore art thou Romeo?"));

        assertThat(published).singleElement().satisfies(iq -> {
            assertThat(iq.getFrom().toString()).isEqualTo("romeo@" + DOMAIN);
            assertThat(iq.getTo()).isEqualTo(SERVICE);
            assertThat(iq.toXML()).contains("<value>urn:xmpp:push:summary</value>", "message-count", device[1])
                    .doesNotContain("Wherefore", "juliet", "previews");
        });
        assertThat(delivered).singleElement().satisfies(n -> {
            assertThat(n.token()).isEqualTo("fcm-token-of-romeos-phone");
            assertThat(n.messageCount()).isEqualTo(1);
            assertThat(n.hasPreview()).isFalse();
            assertThat(n.id()).hasSizeGreaterThan(10);
            assertThat(n.toString()).doesNotContain("fcm-token");
        });
    }

    @ParameterizedTest
    @MethodSource("im.tongyou.server.storage.TestDatabases#available")
    void withPreviewsTheSenderAndBodyComeAlongAndABurstIsCounted(TestDatabases.Kind kind) throws Exception {
        open(kind);
        String[] device = register("recording");
        enable(device[0], device[1], true);
        notifier.offline(chat("first"));
        notifier.offline(chat("second"));
        notifier.offline(chat("third"));
        assertThat(delivered).hasSize(1);
        clock.advance(Duration.ofSeconds(10));
        later.remove(0).run();
        assertThat(delivered).hasSize(2);
        assertThat(delivered.get(1).messageCount()).isEqualTo(2);
        assertThat(delivered.get(1).sender()).isEqualTo("juliet@" + DOMAIN);
        assertThat(delivered.get(1).body()).isEqualTo("third");
    }

    @ParameterizedTest
    @MethodSource("im.tongyou.server.storage.TestDatabases#available")
    void aMessageQueuedForAHibernatingSessionNotifiesOnceEvenForTwoResources(TestDatabases.Kind kind) throws Exception {
        open(kind);
        String[] device = register("recording");
        enable(device[0], device[1], false);
        RecordingSessions sessions = new RecordingSessions();
        Message m = chat("while you sleep");
        notifier.onSessionEvent(new SessionEvent.StanzaQueued(sessions.bind("romeo@" + DOMAIN + "/phone"), m));
        notifier.onSessionEvent(new SessionEvent.StanzaQueued(sessions.bind("romeo@" + DOMAIN + "/tablet"), m));
        Message composing = new Message();
        composing.setType(Message.Type.chat);
        composing.getElement().addElement("composing", "http://jabber.org/protocol/chatstates");
        notifier.onSessionEvent(new SessionEvent.StanzaQueued(sessions.bind("romeo@" + DOMAIN + "/laptop"), composing));
        assertThat(delivered).hasSize(1);
        assertThat(later).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("im.tongyou.server.storage.TestDatabases#available")
    void aWrongSecretOrPublisherIsRefusedAndARefusingServiceIsDisabled(TestDatabases.Kind kind) throws Exception {
        open(kind);
        String[] device = register("recording");
        enable(device[0], "not-the-secret", false);
        notifier.offline(chat("hello"));
        assertThat(delivered).isEmpty();
        assertThat(store.registrations("romeo")).as("§7.1: an error disables").isEmpty();

        IQ forged = new IQ(published.get(0).getElement().createCopy(), true);
        forged.setFrom(new JID("romeo@" + DOMAIN + "/phone")); // a client, not the user's server
        assertThatThrownBy(() -> appServer.handle(forged)).isInstanceOfSatisfying(StanzaErrorException.class,
                e -> assertThat(e.condition()).isEqualTo(PacketError.Condition.forbidden));

        enable(device[0], device[1], false);
        tokenInvalid = true;
        clock.advance(Duration.ofSeconds(10)); // past the rate limit
        notifier.offline(chat("hello again"));
        assertThat(store.device(device[0])).as("the provider said the token is gone").isEmpty();
        assertThat(store.registrations("romeo")).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("im.tongyou.server.storage.TestDatabases#available")
    void disableRemovesAndUnusedRegistrationsExpireAndTheExportHasTheTokenButTheTableDoesNot(TestDatabases.Kind kind)
            throws Exception {
        open(kind);
        String[] device = register("log");
        enable(device[0], device[1], false);
        IQ other = new IQ(DocumentHelper.parseText("<iq type='set' id='e2'><enable xmlns='urn:xmpp:push:0'"
                + " jid='push.elsewhere.example' node='n1'/></iq>").getRootElement(), true);
        other.setFrom(new JID("romeo@" + DOMAIN + "/tablet"));
        handler.enable(other);
        assertThat(store.registrations("romeo")).hasSize(2);

        Map<String, Object> export = new PushSubjectData(store).export("romeo");
        assertThat(export.toString()).contains("fcm-token-of-romeos-phone", "push.elsewhere.example");
        try (var c = database.dataSource().getConnection(); var st = c.createStatement();
             var rs = st.executeQuery("SELECT * FROM push_device")) {
            while (rs.next()) {
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    Object v = rs.getObject(i);
                    String text = v instanceof byte[] b ? new String(b, StandardCharsets.ISO_8859_1) : String.valueOf(v);
                    assertThat(text).doesNotContain("fcm-token", device[1]);
                }
            }
        }

        IQ disable = new IQ(DocumentHelper.parseText("<iq type='set' id='d'><disable xmlns='urn:xmpp:push:0'"
                + " jid='push.elsewhere.example'/></iq>").getRootElement(), true);
        disable.setFrom(new JID("romeo@" + DOMAIN + "/tablet"));
        handler.disable(disable);
        assertThat(store.registrations("romeo")).singleElement().satisfies(r -> assertThat(r.service()).isEqualTo(SERVICE));

        clock.advance(Duration.ofDays(31));
        assertThat(store.expire(clock.instant().minus(Duration.ofDays(30)))).isEqualTo(2);
        assertThat(store.registrations("romeo")).isEmpty();
        assertThat(store.device(device[0])).isEmpty();

        register("log");
        new PushSubjectData(store).erase("romeo");
        assertThat(new PushSubjectData(store).export("romeo").toString()).doesNotContain("fcm-token");
    }
}
