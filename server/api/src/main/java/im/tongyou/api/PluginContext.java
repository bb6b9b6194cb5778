package im.tongyou.api;

import im.tongyou.api.commands.AdHocCommand;
import im.tongyou.api.commands.AdHocCommands;
import im.tongyou.api.privacy.ConsentGate;
import im.tongyou.api.privacy.AuditLog;
import im.tongyou.api.privacy.Crypto;
import im.tongyou.api.privacy.Retention;
import im.tongyou.api.privacy.SubjectDataArchive;
import im.tongyou.api.privacy.SubjectDataProvider;
import im.tongyou.api.sms.SmsGateway;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.dom4j.Element;
import org.xmpp.packet.IQ;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;
import org.xmpp.packet.Presence;

/**
 * What a plugin can do, handed to {@link Plugin#start(PluginContext)}. Everything registered here
 * belongs to the plugin and is unregistered automatically when it stops.
 */
public interface PluginContext {

    /** The plugin's own id. */
    String pluginId();

    /** The XMPP domain this server serves, for example {@code tongyou.im}. */
    String domain();

    /** Handles IQ requests that match the route; see {@link IqRoute} for how routes are matched. */
    void onIq(IqRoute route, IqHandler handler);

    /** Intercepts messages in the given phase; lower {@code order} runs first. */
    void onMessage(Phase phase, int order, Interceptor<Message> interceptor);

    /** Intercepts presence stanzas in the given phase; lower {@code order} runs first. */
    void onPresence(Phase phase, int order, Interceptor<Presence> interceptor);

    /**
     * Intercepts IQ stanzas in the given phase. {@link Phase#PRE_ROUTE} sees every IQ: requests to
     * any addressee (the server, a service, the sender's own account, another user) before they go
     * to their {@link IqRoute} handler or on, and every reply. {@link Phase#DELIVER} sees IQs
     * travelling between users' resources (requests to a full JID and every reply).
     */
    void onIqStanza(Phase phase, int order, Interceptor<IQ> interceptor);

    /**
     * Handles IQs a client sends before it authenticated (only XEP-0077 in-band registration has a
     * reason to). Runs on a worker thread.
     */
    void onUnauthenticatedIq(IQ.Type type, String namespace, String element,
                             UnauthenticatedIqHandler handler);

    /** Offers an element in the stream features (RFC 6120 §4.3.2), built anew for each stream. */
    void addStreamFeature(StreamStage stage, Supplier<Element> feature);

    /** Listens to the life of client sessions (bound, presence changes, closed). */
    void onSessionEvent(Consumer<SessionEvent> listener);

    /** Adds a service discovery (XEP-0030) feature to the given entity. */
    void addFeature(DiscoScope scope, String namespace);

    /** Adds a service discovery identity to the server. */
    void addIdentity(DiscoIdentity identity);

    /**
     * Serves a subdomain of the server, for example {@code conference} for
     * {@code conference.<domain>}: every stanza to that domain or an address under it goes to the
     * handler (after {@link Phase#PRE_ROUTE}), and the service is listed in the server's disco#items.
     *
     * @return the service's address
     */
    JID addService(String subdomain, String name, ServiceHandler handler);

    /**
     * Serves HTTPS requests whose path starts with the prefix (for example {@code /policy/}) on the
     * server's public HTTPS listener. No login is asked: a handler that needs one checks it itself.
     */
    void onHttp(String pathPrefix, im.tongyou.api.http.HttpHandler handler);
    /** Answers service discovery for server nodes the plugin owns (XEP-0030 §3.2, §4.2). */
    void onDiscoNode(DiscoNodeHandler handler);

    /** Answers service discovery on users' bare JIDs for what the plugin keeps there (XEP-0163 §6). */
    void onAccountDisco(AccountDiscoHandler handler);

    /**
     * The base URL of the public HTTPS listener as clients reach it, {@code https://<domain>:<port>},
     * or {@code null} when the listener is disabled. Known once the server listens: ask when needed.
     */
    String httpsUrl();

    /** The server's data directory, for plugins that keep files (always under their own subdirectory). */
    java.nio.file.Path dataDirectory();

    /** Everything advertised through service discovery by all running plugins. */
    DiscoInfo discoInfo();

    /** Offers an ad-hoc command (XEP-0050) on the server; its node must be unique. */
    void addCommand(AdHocCommand command);

    /** The ad-hoc commands all running plugins offer. */
    AdHocCommands commands();

    /**
     * Applies the plugin's Liquibase changelog (a classpath resource with a fixed
     * {@code logicalFilePath}) to the server's database, at once. Plugins start in dependency order,
     * so changelogs are applied in that order too.
     */
    void changelog(String classpathResource);

    /** The server's database. Blocking: use it only from {@link #executor()} or IQ handlers. */
    DataSource dataSource();

    /**
     * Registers the wait of a store that writes behind, after the stanza was handled: the server
     * runs it before it acknowledges what a client sent (XEP-0198 {@code <a/>}). It returns once
     * everything the store took before the call is committed, or throws a runtime exception when
     * that cannot be (then nothing is acknowledged).
     */
    void acknowledgementFence(Runnable fence);

    /**
     * The plugin's options under {@code plugins.<id>} bound to {@code type} (a record or a plain
     * class), with an unknown key or a wrong value failing the start with the key's name.
     */
    <T> T config(Class<T> type);

    /** The server clock; tests inject a fixed one. */
    Clock clock();

    /** A scheduler whose tasks are cancelled when the plugin stops. Tasks may block. */
    PluginExecutor executor();

    /**
     * A resource the plugin opened itself (a listening socket, a thread pool), closed when the
     * plugin stops, after the registrations made after it.
     */
    void closeOnStop(AutoCloseable resource);

    /** Sends stanzas: the router applies the delivery rules of RFC 6120 §10 and RFC 6121 §8. */
    Router router();

    /** The client sessions bound on this server. */
    Sessions sessions();

    /** The accounts of this server. */
    Accounts accounts();

    /** Whether a JID (any resource) has administrator rights: rights come from the configuration only. */
    boolean isAdmin(JID jid);

    /**
     * Registers the exporter and eraser of a store of personal data: account removal erases it,
     * data export includes it.
     */
    void subjectData(SubjectDataProvider provider);

    /** The copy of everything every store holds about a user, for data export (R-DSR-5). */
    SubjectDataArchive subjectDataArchive();

    /** Encryption at rest with per-user keys, and keyed hashes for look-ups. */
    Crypto crypto();

    /** The append-only, hash-chained audit trail of privacy-relevant actions. */
    AuditLog audit();

    /**
     * Declares how long a category of personal data is kept (privacy requirements §1.10, R-RET-1):
     * the server's scheduled purge runs the job with the server clock, and reports the category's
     * oldest record age. The category is the one named in the data map tags of its columns
     * ({@code pd:category=...}); a category is declared once.
     *
     * @param category the category, for example {@code sms-code} or {@code offline-message}
     * @param period   the longest a record is kept; what is older is due
     * @param purge    removes what is due
     * @param oldest   finds the oldest record still stored
     */
    void retention(String category, Duration period, Retention.PurgeJob purge, Retention.OldestRecord oldest);

    /**
     * Declares a category kept for the life of the account and erased on cancellation (a roster, a
     * profile): no age purge, but its oldest record age is reported with the others.
     */
    void retentionForAccountLifetime(String category, Retention.OldestRecord oldest);

    /**
     * The consent of users to optional purposes: the {@link ConsentGate} a plugin provides (the
     * consent plugin, with {@link #provide}), looked up at each call; while none runs, every
     * purpose is denied. Optional features ask it every time; core IM never does.
     */
    ConsentGate consents();

    /**
     * Sends SMS: the {@link SmsGateway} a plugin provides, or else the server's development outbox
     * (a file in the data directory). Blocking.
     */
    SmsGateway sms();

    /** An API another plugin provides; it must be listed in {@link Plugin#requires()}. */
    <T> T require(Class<T> api);

    /**
     * An API another plugin provides, when a running plugin does, looked up at each call: for an
     * optional collaboration that needs no {@link Plugin#requires()} entry and no start order.
     */
    <T> java.util.Optional<T> find(Class<T> api);

    /** Offers an API to other plugins; it must be listed in {@link Plugin#provides()}. */
    <T> void provide(Class<T> api, T implementation);
}
