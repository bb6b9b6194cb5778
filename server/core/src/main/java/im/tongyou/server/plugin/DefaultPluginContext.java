package im.tongyou.server.plugin;

import im.tongyou.api.AccountDiscoHandler;
import im.tongyou.api.Accounts;
import im.tongyou.api.DiscoIdentity;
import im.tongyou.api.DiscoInfo;
import im.tongyou.api.DiscoItem;
import im.tongyou.api.DiscoNodeHandler;
import im.tongyou.api.DiscoScope;
import im.tongyou.api.Interceptor;
import im.tongyou.api.IqHandler;
import im.tongyou.api.IqRoute;
import im.tongyou.api.Phase;
import im.tongyou.api.Plugin;
import im.tongyou.api.PluginContext;
import im.tongyou.api.PluginExecutor;
import im.tongyou.api.Router;
import im.tongyou.api.ServiceHandler;
import im.tongyou.api.SessionEvent;
import im.tongyou.api.Sessions;
import im.tongyou.api.StreamStage;
import im.tongyou.api.UnauthenticatedIqHandler;
import im.tongyou.api.http.HttpHandler;
import im.tongyou.api.commands.AdHocCommand;
import im.tongyou.api.commands.AdHocCommands;
import im.tongyou.api.privacy.ConsentGate;
import im.tongyou.api.privacy.AuditLog;
import im.tongyou.api.privacy.Crypto;
import im.tongyou.api.privacy.Retention;
import im.tongyou.api.privacy.SubjectDataProvider;
import im.tongyou.api.sms.SmsGateway;
import im.tongyou.server.privacy.DelegatingConsentGate;
import im.tongyou.server.privacy.RetentionRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.dom4j.Element;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmpp.packet.IQ;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;
import org.xmpp.packet.Presence;

/**
 * A plugin's view of the server. It records every registration so that {@link #close()} undoes them
 * all, in reverse order: plugins never write unregistration code.
 */
final class DefaultPluginContext implements PluginContext, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DefaultPluginContext.class);

    private final Plugin plugin;
    private final CoreServices core;
    private final PluginOptions options;
    private final ApiRegistry apis;
    private final DefaultPluginExecutor executor;
    private final Deque<AutoCloseable> registrations = new ArrayDeque<>();

    DefaultPluginContext(Plugin plugin, CoreServices core, PluginOptions options, ApiRegistry apis) {
        this.plugin = plugin;
        this.core = core;
        this.options = options;
        this.apis = apis;
        this.executor = new DefaultPluginExecutor(plugin.id(), core.scheduler(), core.workers());
        registrations.push(executor);
    }

    private void record(AutoCloseable registration) {
        registrations.push(registration);
    }

    @Override
    public void closeOnStop(AutoCloseable resource) {
        record(resource);
    }

    @Override
    public String pluginId() {
        return plugin.id();
    }

    @Override
    public String domain() {
        return core.domain();
    }

    @Override
    public void onIq(IqRoute route, IqHandler handler) {
        record(core.iqRoutes().add(route, plugin.id(), handler));
    }

    @Override
    public void onMessage(Phase phase, int order, Interceptor<Message> interceptor) {
        record(core.messages().add(phase, order, plugin.id(), interceptor));
    }

    @Override
    public void onPresence(Phase phase, int order, Interceptor<Presence> interceptor) {
        record(core.presences().add(phase, order, plugin.id(), interceptor));
    }

    @Override
    public void onIqStanza(Phase phase, int order, Interceptor<IQ> interceptor) {
        record(core.iqs().add(phase, order, plugin.id(), interceptor));
    }

    @Override
    public void onUnauthenticatedIq(IQ.Type type, String namespace, String element, UnauthenticatedIqHandler handler) {
        record(core.unauthenticatedIqs().add(type, namespace, element, plugin.id(), handler));
    }

    @Override
    public void addStreamFeature(StreamStage stage, Supplier<Element> feature) {
        record(core.features().add(stage, feature));
    }

    @Override
    public void onSessionEvent(Consumer<SessionEvent> listener) {
        record(core.events().add(listener));
    }

    @Override
    public void addFeature(DiscoScope scope, String namespace) {
        record(core.disco().addFeature(scope, namespace));
    }

    @Override
    public void addIdentity(DiscoIdentity identity) {
        record(core.disco().addIdentity(identity));
    }

    @Override
    public JID addService(String subdomain, String name, ServiceHandler handler) {
        if (subdomain == null || !subdomain.matches("[a-z0-9]([a-z0-9-]*[a-z0-9])?")) {
            throw new IllegalArgumentException("'" + subdomain + "' is not a subdomain label");
        }
        JID jid = new JID(null, subdomain + "." + core.domain(), null);
        record(core.services().add(jid.getDomain(), plugin.id(), handler));
        record(core.disco().addItem(new DiscoItem(jid, null, name)));
        return jid;
    }

    @Override
    public void onHttp(String pathPrefix, HttpHandler handler) {
        record(core.http().add(pathPrefix, plugin.id(), handler));
    }

    @Override
    public void onDiscoNode(DiscoNodeHandler handler) {
        record(core.disco().addNodeHandler(handler));
    }

    @Override
    public void onAccountDisco(AccountDiscoHandler handler) {
        record(core.disco().addAccountHandler(handler));
    }

    @Override
    public String httpsUrl() {
        return core.httpsUrl().get();
    }

    @Override
    public java.nio.file.Path dataDirectory() {
        return core.dataDir();
    }

    @Override
    public DiscoInfo discoInfo() {
        return core.disco();
    }

    @Override
    public void addCommand(AdHocCommand command) {
        record(core.commands().add(command, plugin.id()));
    }

    @Override
    public AdHocCommands commands() {
        return core.commands();
    }

    @Override
    public void changelog(String classpathResource) {
        core.database().applyChangelog(classpathResource, plugin.getClass().getClassLoader());
    }

    @Override
    public DataSource dataSource() {
        return core.database().dataSource();
    }

    @Override
    public void acknowledgementFence(Runnable fence) {
        record(core.database().durability().addFence(fence));
    }

    @Override
    public <T> T config(Class<T> type) {
        return options.bind(plugin.id(), type);
    }

    @Override
    public Clock clock() {
        return core.clock();
    }

    @Override
    public PluginExecutor executor() {
        return executor;
    }

    @Override
    public Router router() {
        return core.router();
    }

    @Override
    public Sessions sessions() {
        return core.sessions();
    }

    @Override
    public Accounts accounts() {
        return core.accounts();
    }

    @Override
    public boolean isAdmin(JID jid) {
        return jid != null && core.admins().contains(jid.toBareJID());
    }

    @Override
    public void subjectData(SubjectDataProvider provider) {
        record(core.subjectData().add(provider, plugin.id()));
    }

    @Override
    public Crypto crypto() {
        return core.crypto();
    }

    /** The gate a plugin provides (looked up at each call), or else a gate that denies every purpose. */
    @Override
    public ConsentGate consents() {
        return new DelegatingConsentGate(() -> apis.find(ConsentGate.class));
    }

    @Override
    public im.tongyou.api.privacy.SubjectDataArchive subjectDataArchive() {
        return new im.tongyou.server.privacy.ExportArchive(core.subjectData(), core.domain(), core.clock());
    }

    @Override
    public AuditLog audit() {
        return core.audit();
    }

    @Override
    public void retention(String category, Duration period, Retention.PurgeJob purge, Retention.OldestRecord oldest) {
        if (period == null || purge == null || oldest == null) {
            throw new IllegalArgumentException("a retention needs a period, a purge job and an oldest-record query");
        }
        record(core.retention().add(new RetentionRegistry.Category(category, plugin.id(), period, purge, oldest)));
    }

    @Override
    public void retentionForAccountLifetime(String category, Retention.OldestRecord oldest) {
        if (oldest == null) {
            throw new IllegalArgumentException("a retention needs an oldest-record query");
        }
        record(core.retention().add(new RetentionRegistry.Category(category, plugin.id(), null, null, oldest)));
    }

    /** A plugin's gateway (looked up at each send, so start order does not matter), else the core's. */
    @Override
    public SmsGateway sms() {
        return (number, text) -> apis.find(SmsGateway.class).orElse(core.sms()).send(number, text);
    }

    @Override
    public <T> T require(Class<T> api) {
        if (!plugin.requires().contains(api)) {
            throw new IllegalStateException("plugin '" + plugin.id() + "' requires " + api.getName()
                    + " without listing it in requires()");
        }
        return apis.get(api);
    }

    @Override
    public <T> java.util.Optional<T> find(Class<T> api) {
        return apis.find(api);
    }

    @Override
    public <T> void provide(Class<T> api, T implementation) {
        if (!plugin.provides().contains(api)) {
            throw new IllegalStateException("plugin '" + plugin.id() + "' provides " + api.getName()
                    + " without listing it in provides()");
        }
        record(apis.put(api, implementation));
    }

    /** Undoes every registration, newest first. */
    @Override
    public void close() {
        while (!registrations.isEmpty()) {
            try {
                registrations.pop().close();
            } catch (Exception e) {
                log.warn("plugin '{}': failed to undo a registration", plugin.id(), e);
            }
        }
    }
}
