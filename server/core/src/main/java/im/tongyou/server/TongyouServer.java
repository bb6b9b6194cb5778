package im.tongyou.server;

import im.tongyou.api.privacy.AuditLog;
import im.tongyou.api.Accounts;
import im.tongyou.api.Plugin;
import im.tongyou.api.Sessions;
import im.tongyou.server.account.AccountService;
import im.tongyou.server.account.AccountStore;
import im.tongyou.server.account.AccountSubjectData;
import im.tongyou.server.admin.AdminSocket;
import im.tongyou.server.auth.AuthThrottle;
import im.tongyou.server.auth.SaslMechanisms;
import im.tongyou.server.auth.SaslSettings;
import im.tongyou.server.auth.ScramServerMechanism;
import im.tongyou.server.auth.UnknownUserDecoys;
import im.tongyou.server.config.ConfigLoader;
import im.tongyou.server.config.PluginEntry;
import im.tongyou.server.config.ServerConfig;
import im.tongyou.server.http.HttpRoutes;
import im.tongyou.server.http.HttpServer;
import im.tongyou.server.net.C2sListener;
import im.tongyou.server.net.ConnectionLimiter;
import im.tongyou.server.net.C2sServices;
import im.tongyou.server.net.C2sSettings;
import im.tongyou.server.plugin.CoreServices;
import im.tongyou.server.plugin.PluginManager;
import im.tongyou.server.plugin.PluginOptions;
import im.tongyou.server.plugin.PluginStartException;
import im.tongyou.server.privacy.DataKeys;
import im.tongyou.server.privacy.AuditSubjectData;
import im.tongyou.server.privacy.Cancellations;
import im.tongyou.server.privacy.CorePrivacy;
import im.tongyou.server.privacy.DataKeysSubjectData;
import im.tongyou.server.privacy.DataMap;
import im.tongyou.server.privacy.ErasureFence;
import im.tongyou.server.privacy.WorkingCalendar;
import im.tongyou.server.privacy.ExportArchive;
import im.tongyou.server.privacy.HashChainedAuditLog;
import im.tongyou.server.privacy.ImportArchive;
import im.tongyou.server.privacy.MasterKey;
import im.tongyou.server.privacy.RetentionRegistry;
import im.tongyou.server.privacy.RetentionReportCommand;
import im.tongyou.server.privacy.SubjectDataRegistry;
import im.tongyou.server.routing.CommandRegistry;
import im.tongyou.server.routing.DiscoRegistry;
import im.tongyou.server.routing.InterceptorChain;
import im.tongyou.server.routing.IqRoutes;
import im.tongyou.server.routing.PendingRequests;
import im.tongyou.server.routing.Services;
import im.tongyou.server.routing.StanzaRouter;
import im.tongyou.server.routing.StreamFeatures;
import im.tongyou.server.routing.UnauthenticatedIqRoutes;
import im.tongyou.server.session.SessionEvents;
import im.tongyou.server.session.SessionLifecycle;
import im.tongyou.server.sms.OutboxSmsGateway;
import im.tongyou.server.session.SessionRegistry;
import im.tongyou.server.storage.Database;
import im.tongyou.server.tls.ServerTlsContext;
import im.tongyou.server.tls.TlsContextFactory;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmpp.packet.IQ;
import org.xmpp.packet.Message;
import org.xmpp.packet.Presence;
import org.xmpp.packet.StreamError;

/**
 * The composition root: opens the database, starts the plugins and the client listeners, and stops
 * everything in reverse order. No singletons: everything a part needs is handed to it here.
 */
public final class TongyouServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TongyouServer.class);

    /** The most sessions one account may bind at once (RFC 6120 §7.6.2.1 resource-constraint). */
    private static final int MAX_SESSIONS_PER_USER = 32;
    /** A session's unprocessed stanzas above which the server stops reading from it. */
    private static final int MAX_PENDING_STANZAS = 256;

    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final Database database;
    private final AccountService accounts;
    private final SessionRegistry sessions;
    private final ServerTlsContext tls;
    private final PluginManager plugins;
    private final SubjectDataRegistry subjectData;
    private final HashChainedAuditLog audit;
    private final RetentionRegistry retention;
    private final Cancellations cancellations;
    private final C2sListener c2s;
    private final C2sListener c2sDirectTls;
    private final C2sListener c2sPlaintext;
    private final HttpServer http;
    private ConnectionLimiter connectionLimiter;
    private final String serverDomain;
    private final Clock clock;

    /**
     * @param listen whether to serve clients; without it the server is headless: the database and
     *               the plugins only, for command-line tasks while the server is stopped
     */
    private TongyouServer(ServerConfig config, Path configFile, Clock clock, boolean listen) throws Exception {
        long begin = System.nanoTime();
        String domain = config.server().domain();
        this.serverDomain = domain;
        this.clock = clock;
        try {
            ExecutorService workers = workerPool();
            closeables.add(() -> shutdown(workers));
            ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, threads("tongyou-timer", true));
            timer.setRemoveOnCancelPolicy(true);
            closeables.add(() -> shutdown(timer));

            DataDirectory.prepare(config.server().dataDir());
            // Reading or generating the certificate (BouncyCastle is slow to load) overlaps the database start.
            CompletableFuture<ServerTlsContext> tlsLoading = listen ? CompletableFuture.supplyAsync(() -> {
                try {
                    return TlsContextFactory.create(config.tls(), config.server());
                } catch (IOException e) {
                    throw new UncheckedIOException(e.getMessage(), e);
                }
            }, workers) : null;
            database = Database.open(config);
            closeables.add(database);
            log.debug("database ready after {} ms", (System.nanoTime() - begin) / 1_000_000);

            AccountStore accountStore = new AccountStore(database.dataSource(), config.auth().scramIterations(), clock);
            SubjectDataRegistry subjectData = new SubjectDataRegistry();
            DataKeys dataKeys = new DataKeys(database.dataSource(), MasterKey.load(config.server().dataDir()), clock);
            // Registered first, so erased last: the account's own rows go after everything else.
            subjectData.add(new AccountSubjectData(database.dataSource(), accountStore));
            subjectData.add(new DataKeysSubjectData(dataKeys));
            HashChainedAuditLog audit = new HashChainedAuditLog(database.dataSource(), dataKeys, clock);
            subjectData.add(new AuditSubjectData(audit));
            retention = new RetentionRegistry(clock);
            WorkingCalendar calendar = workingCalendar(config.privacy());
            ErasureFence fence = new ErasureFence();
            cancellations = new Cancellations(database.dataSource(), accountStore, subjectData, audit, dataKeys, clock,
                    domain, calendar, fence);
            CorePrivacy.declareRetention(retention, config.privacy(), accountStore, audit, database.dataSource());
            accounts = new AccountService(accountStore, cancellations);
            this.subjectData = subjectData;
            this.audit = audit;
            sessions = new SessionRegistry(domain);
            accountStore.onDisabledOrDeleted(user -> sessions.of(user).forEach(s ->
                    s.close(StreamError.Condition.not_authorized, "the account was disabled or deleted")));
            SessionEvents events = new SessionEvents();
            InterceptorChain<Message> messages = new InterceptorChain<>();
            InterceptorChain<Presence> presences = new InterceptorChain<>();
            InterceptorChain<IQ> iqs = new InterceptorChain<>();
            IqRoutes iqRoutes = new IqRoutes();
            StreamFeatures features = new StreamFeatures();
            UnauthenticatedIqRoutes unauthenticatedIqs = new UnauthenticatedIqRoutes();
            Services services = new Services();
            HttpRoutes httpRoutes = new HttpRoutes();
            // A cancelled account is gone for other users at once: stanzas to it bounce.
            StanzaRouter router = new StanzaRouter(domain, sessions, accountStore::isLive, messages, presences, iqs,
                    iqRoutes, new PendingRequests(timer), services);
            router.fence(fence::isFenced);
            CoreServices core = new CoreServices(domain, configFile, clock, workers, timer, database, accounts,
                    sessions, events, router, iqRoutes, messages, presences, iqs, new DiscoRegistry(), features,
                    unauthenticatedIqs, subjectData, dataKeys, Set.copyOf(config.server().adminJids()), services,
                    httpRoutes, new CommandRegistry(),
                    new OutboxSmsGateway(config.server().dataDir().resolve(OutboxSmsGateway.FILE_NAME), clock),
                    config.server().dataDir(), this::httpsUrl, audit, retention);

            plugins = new PluginManager(core, pluginOptions(config, configFile));
            closeables.add(plugins);
            plugins.provide(im.tongyou.api.privacy.CancellationRequests.class, cancellations);
            plugins.provide(WorkingCalendar.class, calendar);
            plugins.provide(ErasureFence.class, fence);
            plugins.start(enabledPlugins(config));
            log.debug("plugins started after {} ms", (System.nanoTime() - begin) / 1_000_000);
            CommandRegistry commands = core.commands();
            closeables.add(commands.add(new RetentionReportCommand(retention, core.admins()), "core"));
            if (!listen) {
                tls = null;
                c2s = null;
                c2sDirectTls = null;
                c2sPlaintext = null;
                http = null;
                return;
            }
            CorePrivacy.schedule(timer, workers, retention, cancellations, config.privacy(), closeables);
            AdminSocket admin = AdminSocket.open(config.server().dataDir(), accounts, new AdminSocket.Privacy() {
                @Override
                public boolean exportTo(String username, Path file) throws IOException {
                    return TongyouServer.this.exportTo(username, file, AuditLog.admin("bin/tongyou"));
                }

                @Override
                public String dataMap() {
                    return TongyouServer.this.dataMap().markdown();
                }

                @Override
                public String importFrom(Path file, char[] password) throws im.tongyou.api.AccountException {
                    return TongyouServer.this.importFrom(file, password, AuditLog.admin("bin/tongyou"));
                }
            }, workers);
            if (admin != null) {
                closeables.add(admin);
            }

            AuthThrottle throttle = new AuthThrottle(AuthThrottle.Limits.of(config.auth().maxFailuresPerAccount(),
                    config.auth().maxFailuresPerAddress(), Duration.ofSeconds(config.auth().failureWindowSeconds())), clock);
            SaslSettings sasl = new SaslSettings(accountStore::credentials,
                    new UnknownUserDecoys(ServerSecret.load(config.server().dataDir()), config.auth().scramIterations()),
                    domain, ScramServerMechanism.randomNonces(new SecureRandom()));
            SessionLifecycle lifecycle = new SessionLifecycle(sessions, events, router, timer, clock,
                    config.stream().resumptionSeconds(), database.durability()::barrier);
            // A cancelled account's sessions, detached ones included, end before its stores are erased.
            closeables.add(fence.beforeErasure(user -> lifecycle.endAll(user, Duration.ofSeconds(10))));
            C2sServices c2sServices = new C2sServices(sessions, events, router,
                    new SaslMechanisms(config.auth().mechanisms(), sasl), throttle, workers, clock, features,
                    unauthenticatedIqs, lifecycle);

            boolean epoll = Epoll.isAvailable();
            IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
            Class<? extends ServerChannel> channelType = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
            EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, threads("tongyou-accept", false), io);
            EventLoopGroup loops = new MultiThreadIoEventLoopGroup(Runtime.getRuntime().availableProcessors(),
                    threads("tongyou-io", false), io);
            // TLS handshakes' key exchanges and signatures: CPU work kept off the event loops.
            ExecutorService tlsTasks = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors(),
                    threads("tongyou-tls", true));
            closeables.add(() -> shutdown(tlsTasks));
            closeables.add(() -> {
                boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
                loops.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            });
            connectionLimiter = new ConnectionLimiter(config.stream().maxConnectionsPerAddress());
            C2sListener.StreamLimits limits = new C2sListener.StreamLimits(config.stream().maxStanzaBytes(),
                    config.stream().maxDepth(), config.stream().idleTimeoutSeconds());
            // The listeners are bound while the TLS context may still be loading (it overlapped the
            // plugins' start): a STARTTLS or direct TLS connection of the first moments waits for it.
            // A context that fails to load still fails the start, below.
            CompletableFuture<SslContext> sslContext = tlsLoading.thenApply(ServerTlsContext::sslContext);
            c2s = listen(config.listeners().c2s(), false, sslContext, config, boss, loops, channelType, c2sServices,
                    limits, tlsTasks);
            c2sDirectTls = listen(config.listeners().c2sDirectTls(), true, sslContext, config, boss, loops, channelType,
                    c2sServices, limits, tlsTasks);
            c2sPlaintext = listen(config.listeners().c2sPlaintext(), false, null, config, boss, loops, channelType,
                    c2sServices, limits, null);
            log.debug("listening after {} ms", (System.nanoTime() - begin) / 1_000_000);
            tls = join(tlsLoading);
            log.debug("TLS ready after {} ms", (System.nanoTime() - begin) / 1_000_000);
            ServerConfig.Listener https = config.listeners().https();
            if (https.enabled()) {
                http = new HttpServer(new InetSocketAddress(https.address(), https.port()), tls.keyStore(),
                        ServerTlsContext.KEY_PASSWORD, tls.protocols(), httpRoutes);
                closeables.add(http);
            } else {
                http = null;
            }
        } catch (Exception | Error e) {
            close();
            throw e;
        }
        log.info("Tongyou Server started for {} in {} ms: {}; plugins {}", domain,
                (System.nanoTime() - begin) / 1_000_000, describeListeners(), plugins.running());
    }

    /**
     * Starts a server.
     *
     * @param configFile the file the configuration came from, named in error messages (may be null)
     */
    public static TongyouServer start(ServerConfig config, Path configFile, Clock clock) throws Exception {
        return new TongyouServer(config, configFile, clock, true);
    }

    /**
     * Starts the database and the plugins without serving clients, for command-line tasks while the
     * server is stopped (so that, for example, removing a user erases what every plugin stores).
     */
    public static TongyouServer startHeadless(ServerConfig config, Path configFile, Clock clock) throws Exception {
        return new TongyouServer(config, configFile, clock, false);
    }

    private C2sListener listen(ServerConfig.Listener listener, boolean directTls, CompletableFuture<SslContext> tlsContext,
                               ServerConfig config, EventLoopGroup boss, EventLoopGroup loops,
                               Class<? extends ServerChannel> channelType, C2sServices services,
                               C2sListener.StreamLimits limits, ExecutorService tlsTasks) throws InterruptedException {
        if (!listener.enabled()) {
            return null;
        }
        C2sSettings settings = new C2sSettings(config.server().domain(), directTls,
                tlsContext, config.auth().maxFailuresPerStream(),
                config.stream().negotiationTimeoutSeconds(), MAX_SESSIONS_PER_USER, MAX_PENDING_STANZAS,
                config.stream().maxUnackedStanzas(), config.stream().maxOutboundBytes(),
                config.stream().maxStanzasPerSecond(), config.stream().stanzaBurst(), tlsTasks);
        C2sListener bound = new C2sListener(new InetSocketAddress(listener.address(), listener.port()), boss, loops,
                channelType, settings, services, limits, connectionLimiter);
        closeables.add(bound);
        return bound;
    }

    /**
     * The plugins to start: those named under {@code plugins:} and not disabled, or, when the
     * configuration names none at all, every plugin found.
     */
    private static List<Plugin> enabledPlugins(ServerConfig config) {
        Map<String, Plugin> found = PluginManager.discover(TongyouServer.class.getClassLoader());
        if (config.plugins().isEmpty()) {
            return new ArrayList<>(found.values());
        }
        List<Plugin> enabled = new ArrayList<>();
        for (Map.Entry<String, PluginEntry> e : config.plugins().entrySet()) {
            Plugin plugin = found.get(e.getKey());
            if (plugin == null) {
                throw new PluginStartException("unknown plugin '" + e.getKey() + "' under plugins: (found: "
                        + String.join(", ", found.keySet()) + ")", null);
            }
            if (e.getValue().enabled()) {
                enabled.add(plugin);
            }
        }
        return enabled;
    }

    /** The shipped working-day calendar with the configured holidays and make-up working days (AC-26). */
    private WorkingCalendar workingCalendar(ServerConfig.Privacy privacy) {
        WorkingCalendar calendar = WorkingCalendar.official().with(
                privacy.holidays().stream().map(java.time.LocalDate::parse).toList(),
                privacy.makeUpWorkdays().stream().map(java.time.LocalDate::parse).toList());
        int year = java.time.LocalDate.now(clock.withZone(WorkingCalendar.ZONE)).getYear();
        if (!calendar.knowsYear(year)) {
            log.warn("the working-day calendar has no public holidays for {}: add the State Council's notice to "
                    + "privacy.holidays and privacy.make-up-workdays (until then only weekends count as rest days)", year);
        }
        return calendar;
    }

    private static PluginOptions pluginOptions(ServerConfig config, Path configFile) {
        return new PluginOptions() {
            @Override
            public <T> T bind(String pluginId, Class<T> type) {
                PluginEntry entry = config.plugins().get(pluginId);
                return ConfigLoader.bindPluginOptions(configFile, pluginId,
                        entry == null ? null : entry.options(), type);
            }
        };
    }

    private String describeListeners() {
        List<String> parts = new ArrayList<>();
        if (c2s != null) {
            parts.add("c2s " + c2s.address());
        }
        if (c2sDirectTls != null) {
            parts.add("c2s direct TLS " + c2sDirectTls.address());
        }
        if (c2sPlaintext != null) {
            parts.add("c2s PLAINTEXT (loopback benchmarks only) " + c2sPlaintext.address());
        }
        if (http != null) {
            parts.add("https " + http.address());
        }
        return String.join(", ", parts);
    }

    /** The port of the STARTTLS listener, or -1 when disabled. */
    public int c2sPort() {
        return c2s == null ? -1 : c2s.address().getPort();
    }

    /** The port of the direct TLS listener, or -1 when disabled. */
    public int directTlsPort() {
        return c2sDirectTls == null ? -1 : c2sDirectTls.address().getPort();
    }

    /** The port of the loopback plaintext listener, or -1 when disabled. */
    public int plaintextPort() {
        return c2sPlaintext == null ? -1 : c2sPlaintext.address().getPort();
    }

    /** The base URL of the HTTPS listener, {@code https://<domain>:<port>}, or {@code null}. */
    public String httpsUrl() {
        return http == null ? null : "https://" + sessions.domain() + ":" + httpsPort();
    }

    /** The port of the HTTPS listener, or -1 when disabled. */
    public int httpsPort() {
        return http == null ? -1 : http.address().getPort();
    }

    /** The certificate the server presents. */
    public X509Certificate certificate() {
        return tls.certificate();
    }

    /** The accounts, with cancellation ({@link AccountService#cancel}). */
    public AccountService accounts() {
        return accounts;
    }

    /** The database, and the changelogs applied to it. */
    public Database database() {
        return database;
    }

    /** The data map of the stores, tables and retention categories of this server (AC-29). */
    public DataMap dataMap() {
        return DataMap.of(subjectData, retention, database.appliedChangelogs());
    }

    /**
     * Writes a user's export archive to a file (readable by its owner only where the file system
     * allows) and records the export in the audit trail; false when there is no such account.
     */
    public boolean exportTo(String username, Path file, String actor) throws IOException {
        if (!accounts.exists(username)) {
            return false;
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".part");
        try (java.io.OutputStream out = Files.newOutputStream(tmp)) {
            try {
                Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                log.debug("no POSIX permissions for {}", tmp);
            }
            new ExportArchive(subjectData, serverDomain, clock).write(username, out);
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        audit.append(actor, "rights.export.written", username, java.util.Map.of("channel", "command-line"));
        return true;
    }

    /**
     * Imports an export archive (or a XEP-0227 file) of one user as a new account with this password
     * (privacy requirements AC-16; {@link ImportArchive}); returns the username.
     *
     * @throws AccountException when the account exists, the name is retired or invalid, the password
     *                          too weak, or the file cannot be imported (the reason in the message)
     */
    public String importFrom(Path file, char[] password, String actor) throws im.tongyou.api.AccountException {
        try {
            return new ImportArchive(accounts, subjectData, audit).importFile(file, password, actor);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (ImportArchive.ImportException e) {
            throw new im.tongyou.api.AccountException(im.tongyou.api.AccountException.Reason.NO_SUCH_ACCOUNT,
                    "cannot import " + file + ": " + e.getMessage());
        }
    }

    /** Every store of personal data. */
    public SubjectDataRegistry subjectData() {
        return subjectData;
    }

    /** The audit trail. */
    public HashChainedAuditLog audit() {
        return audit;
    }

    /** The declared retention of every category of personal data. */
    public RetentionRegistry retention() {
        return retention;
    }

    /** The cancellations and their erasure job. */
    public Cancellations cancellations() {
        return cancellations;
    }

    public Sessions sessions() {
        return sessions;
    }

    /** Stops listening, ends every session, stops the plugins and closes the database. */
    @Override
    public void close() {
        if (sessions != null) {
            sessions.all().forEach(s -> s.close(StreamError.Condition.system_shutdown, "the server is shutting down"));
        }
        for (int i = closeables.size() - 1; i >= 0; i--) {
            try {
                closeables.get(i).close();
            } catch (Exception e) {
                log.warn("failed to stop a part of the server", e);
            }
        }
        closeables.clear();
    }

    private static <T> T join(CompletableFuture<T> future) throws Exception {
        try {
            return future.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    private static ExecutorService workerPool() {
        int size = Math.max(8, Runtime.getRuntime().availableProcessors() * 4);
        return new ThreadPoolExecutor(size, size, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                threads("tongyou-worker", false));
    }

    private static void shutdown(ExecutorService executor) throws InterruptedException {
        executor.shutdown();
        if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
            executor.shutdownNow();
        }
    }

    private static ThreadFactory threads(String prefix, boolean daemon) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(daemon);
            return t;
        };
    }
}
