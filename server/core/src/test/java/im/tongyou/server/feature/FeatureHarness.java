package im.tongyou.server.feature;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import im.tongyou.api.Plugin;
import im.tongyou.api.SessionEvent;
import im.tongyou.server.account.AccountService;
import im.tongyou.server.account.AccountStore;
import im.tongyou.server.account.AccountSubjectData;
import im.tongyou.server.config.ConfigLoader;
import im.tongyou.server.plugin.CoreServices;
import im.tongyou.server.plugin.PluginManager;
import im.tongyou.server.privacy.DataKeys;
import im.tongyou.server.privacy.DataKeysSubjectData;
import im.tongyou.server.privacy.MasterKey;
import im.tongyou.server.privacy.SubjectDataRegistry;
import im.tongyou.server.routing.DiscoRegistry;
import im.tongyou.server.routing.InterceptorChain;
import im.tongyou.server.routing.IqRoutes;
import im.tongyou.server.routing.PendingRequests;
import im.tongyou.server.routing.StanzaRouter;
import im.tongyou.server.routing.StreamFeatures;
import im.tongyou.server.routing.UnauthenticatedIqRoutes;
import im.tongyou.server.session.Connection;
import im.tongyou.server.session.LocalSession;
import im.tongyou.server.session.SerialExecutor;
import im.tongyou.server.session.SessionEvents;
import im.tongyou.server.session.SessionRegistry;
import im.tongyou.server.storage.Database;
import im.tongyou.server.storage.TestDatabases;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Predicate;
import org.xmpp.packet.IQ;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;
import org.xmpp.packet.Packet;
import org.xmpp.packet.Presence;
import org.xmpp.packet.StreamError;

/**
 * The real router, sessions, accounts and plugins on an in-memory database, without sockets: each
 * client is a session whose connection records what it is sent, and whose stanzas are processed
 * synchronously the way {@code StanzaInput} does. For fast, exact tests of the IM features.
 */
public final class FeatureHarness implements AutoCloseable {

    public static final String DOMAIN = "example.net";

    private final ExecutorService workers = Executors.newFixedThreadPool(2);
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final Database database;
    private final AccountService accounts;
    private final SessionRegistry sessions = new SessionRegistry(DOMAIN);
    private final SessionEvents events = new SessionEvents();
    private final StanzaRouter router;
    private final PluginManager plugins;
    private final Clock clock;
    private final SubjectDataRegistry subjectData;
    private final Database databaseRef;
    private final im.tongyou.server.privacy.HashChainedAuditLog audit;
    private final im.tongyou.server.privacy.RetentionRegistry retention;
    private final im.tongyou.server.privacy.Cancellations cancellations;
    private final im.tongyou.server.privacy.ErasureFence fence;

    private FeatureHarness(Path dir, Clock clock, Map<String, Map<String, Object>> options, List<Plugin> enabled) {
        this.clock = clock;
        database = Database.open(TestDatabases.config(TestDatabases.Kind.H2, dir));
        AccountStore store = new AccountStore(database.dataSource(), 4096, clock);
        subjectData = new SubjectDataRegistry();
        databaseRef = database;
        DataKeys keys = new DataKeys(database.dataSource(), MasterKey.of(new byte[32]), clock);
        subjectData.add(new AccountSubjectData(database.dataSource(), store));
        subjectData.add(new DataKeysSubjectData(keys));
        audit = new im.tongyou.server.privacy.HashChainedAuditLog(database.dataSource(), keys, clock);
        subjectData.add(new im.tongyou.server.privacy.AuditSubjectData(audit));
        retention = new im.tongyou.server.privacy.RetentionRegistry(clock);
        fence = new im.tongyou.server.privacy.ErasureFence();
        cancellations = new im.tongyou.server.privacy.Cancellations(database.dataSource(), store, subjectData, audit,
                keys, clock, DOMAIN, im.tongyou.server.privacy.WorkingCalendar.official(), fence);
        accounts = new AccountService(store, cancellations);
        store.onDisabledOrDeleted(user -> sessions.of(user).forEach(s -> s.close(StreamError.Condition.not_authorized, null)));
        InterceptorChain<Message> messages = new InterceptorChain<>();
        InterceptorChain<Presence> presences = new InterceptorChain<>();
        InterceptorChain<IQ> iqs = new InterceptorChain<>();
        IqRoutes iqRoutes = new IqRoutes();
        im.tongyou.server.routing.Services services = new im.tongyou.server.routing.Services();
        router = new StanzaRouter(DOMAIN, sessions, store::isLive, messages, presences, iqs, iqRoutes,
                new PendingRequests(timer), services);
        router.fence(fence::isFenced);
        CoreServices core = new CoreServices(DOMAIN, null, clock, workers, timer, database, accounts, sessions, events,
                router, iqRoutes, messages, presences, iqs, new DiscoRegistry(), new StreamFeatures(),
                new UnauthenticatedIqRoutes(), subjectData, keys, Set.of(), services,
                new im.tongyou.server.http.HttpRoutes(), new im.tongyou.server.routing.CommandRegistry(), null, dir, () -> null,
                audit, retention);
        ObjectMapper json = new ObjectMapper();
        plugins = new PluginManager(core, new im.tongyou.server.plugin.PluginOptions() {
            @Override
            public <T> T bind(String pluginId, Class<T> type) {
                Map<String, Object> values = options.get(pluginId);
                ObjectNode node = values == null ? null : json.valueToTree(values);
                return ConfigLoader.bindPluginOptions(null, pluginId, node, type);
            }
        });
        plugins.start(enabled);
    }

    /** Starts the given plugins; options by plugin id, keys as in the configuration file. */
    public static FeatureHarness start(Path dir, Map<String, Map<String, Object>> options, Plugin... plugins) {
        return new FeatureHarness(dir, Clock.systemUTC(), options, List.of(plugins));
    }

    public static FeatureHarness start(Path dir, Clock clock, Plugin... plugins) {
        return new FeatureHarness(dir, clock, Map.of(), List.of(plugins));
    }

    /** Every core IM plugin: roster, presence, blocking, last activity, disco. */
    public static FeatureHarness startAll(Path dir, Clock clock) {
        return start(dir, clock, new im.tongyou.server.feature.roster.RosterPlugin(),
                new im.tongyou.server.feature.presence.PresencePlugin(),
                new im.tongyou.server.feature.blocking.BlockingPlugin(),
                new im.tongyou.server.feature.lastactivity.LastActivityPlugin(),
                new im.tongyou.server.feature.disco.DiscoPlugin());
    }

    /** Makes two clients' users subscribed to each other, through the protocol. */
    public static void mutual(Client a, Client b) {
        for (Client[] pair : new Client[][] {{a, b}, {b, a}}) {
            Presence subscribe = new Presence(Presence.Type.subscribe);
            subscribe.setTo(pair[1].jid().asBareJID());
            pair[0].send(subscribe);
            Presence approve = new Presence(Presence.Type.subscribed);
            approve.setTo(pair[0].jid().asBareJID());
            pair[1].send(approve);
        }
    }

    public im.tongyou.server.privacy.HashChainedAuditLog audit() {
        return audit;
    }

    public im.tongyou.server.privacy.ErasureFence fence() {
        return fence;
    }

    public im.tongyou.server.privacy.Cancellations cancellations() {
        return cancellations;
    }

    public im.tongyou.server.privacy.RetentionRegistry retention() {
        return retention;
    }

    public SubjectDataRegistry subjectData() {
        return subjectData;
    }

    public javax.sql.DataSource dataSource() {
        return databaseRef.dataSource();
    }

    public AccountService accounts() {
        return accounts;
    }

    public SessionRegistry sessions() {
        return sessions;
    }

    public StanzaRouter router() {
        return router;
    }

    public void createUsers(String... names) throws Exception {
        for (String name : names) {
            accounts.create(name, "secret-password".toCharArray());
        }
    }

    public static JID jid(String user) {
        return new JID(user, DOMAIN, null);
    }

    /** Binds a resource for the user (no presence yet). */
    public Client connect(String user, String resource) {
        return connect(user, resource, true);
    }

    /**
     * Binds a resource; a session with the same full JID is replaced in the registry and, when
     * {@code closeReplaced}, ended at once (otherwise the test ends it later with {@link Client#drop}).
     */
    public Client connect(String user, String resource, boolean closeReplaced) {
        Client client = new Client();
        client.session = new LocalSession(new JID(user, DOMAIN, resource), client, new SerialExecutor(Runnable::run),
                Instant.now(clock), null);
        SessionRegistry.BindResult result = sessions.bind(client.session, 32);
        if (result.replaced() != null && closeReplaced) {
            result.replaced().close(StreamError.Condition.conflict, "replaced");
        }
        events.fire(new SessionEvent.Bound(client.session));
        return client;
    }

    /** Binds, requests the roster and sends initial presence, as stock clients do. */
    public Client login(String user, String resource) {
        Client client = connect(user, resource);
        client.send(rosterGet(null));
        client.send(new Presence());
        return client;
    }

    public static IQ rosterGet(String ver) {
        IQ get = new IQ(IQ.Type.get, "roster-" + System.nanoTime());
        var query = get.setChildElement("query", "jabber:iq:roster");
        if (ver != null) {
            query.addAttribute("ver", ver);
        }
        return get;
    }

    @Override
    public void close() {
        plugins.close();
        database.close();
        workers.shutdownNow();
        timer.shutdownNow();
    }

    /** A client: what it sends is processed at once; what the server sends it is recorded. */
    public final class Client implements Connection {
        private LocalSession session;
        private final List<Packet> received = new ArrayList<>();
        private boolean open = true;

        public JID jid() {
            return session.jid();
        }

        public LocalSession session() {
            return session;
        }

        /** Sends a stanza as the client's connection would: 'from' stamped, broadcast presence recorded. */
        public void send(Packet packet) {
            packet.setFrom(session.jid());
            if (packet instanceof Presence presence && presence.getTo() == null
                    && (presence.getType() == null || presence.getType() == Presence.Type.unavailable)) {
                boolean initial = session.updatePresence(presence);
                router.route(presence);
                events.fire(new SessionEvent.PresenceChanged(session, presence, initial));
                return;
            }
            router.route(packet);
        }

        /** The connection drops: the session ends without unavailable presence. */
        public void drop() {
            if (!open) {
                return;
            }
            open = false;
            boolean wasAvailable = session.isAvailable();
            sessions.unbind(session);
            events.fire(new SessionEvent.Closed(session, wasAvailable));
        }

        /** Everything received so far, and forgets it. */
        public synchronized List<Packet> take() {
            List<Packet> all = new ArrayList<>(received);
            received.clear();
            return all;
        }

        /** The stanzas received so far that match, without forgetting them. */
        public synchronized <T extends Packet> List<T> received(Class<T> type, Predicate<T> filter) {
            List<T> matches = new ArrayList<>();
            for (Packet p : received) {
                if (type.isInstance(p) && filter.test(type.cast(p))) {
                    matches.add(type.cast(p));
                }
            }
            return matches;
        }

        public Optional<IQ> reply(String id) {
            return received(IQ.class, iq -> id.equals(iq.getID())
                    && (iq.getType() == IQ.Type.result || iq.getType() == IQ.Type.error)).stream().findFirst();
        }

        /** Sends an IQ and returns its reply. */
        public IQ request(IQ iq) {
            send(iq);
            return reply(iq.getID()).orElseThrow(() -> new AssertionError("no reply to " + iq.toXML()));
        }

        public List<Presence> presences(Predicate<Presence> filter) {
            return received(Presence.class, filter);
        }

        public List<IQ> pushes() {
            return received(IQ.class, iq -> iq.getType() == IQ.Type.set);
        }

        @Override
        public synchronized void write(Object stanza) {
            received.add(((Packet) stanza).createCopy());
        }

        @Override
        public void closeWithError(StreamError.Condition condition, String text) {
            drop();
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public InetSocketAddress remoteAddress() {
            return new InetSocketAddress("127.0.0.1", 1);
        }
    }
}
