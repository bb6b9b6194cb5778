package im.tongyou.server.config;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The whole configuration of a server, as typed from {@code conf/tongyou.yml} (keys are kebab-case in
 * the file). Every section has defaults, so an empty file starts a working server.
 */
public record ServerConfig(
        Server server,
        Listeners listeners,
        Tls tls,
        Database database,
        Stream stream,
        Auth auth,
        Privacy privacy,
        Map<String, PluginEntry> plugins) {

    public ServerConfig {
        server = server == null ? Server.defaults() : server;
        listeners = listeners == null ? Listeners.defaults() : listeners;
        tls = tls == null ? Tls.defaults() : tls;
        database = database == null ? Database.defaults() : database;
        stream = stream == null ? Stream.defaults() : stream;
        auth = auth == null ? Auth.defaults() : auth;
        privacy = privacy == null ? Privacy.defaults() : privacy;
        plugins = plugins == null ? Map.of() : inOrder(plugins);
    }

    /** The configuration an empty file gives. */
    public static ServerConfig defaults() {
        return new ServerConfig(null, null, null, null, null, null, null, null);
    }

    /** Keeps the file's order of plugins (start-up and printed order); an empty entry is an enabled plugin. */
    private static Map<String, PluginEntry> inOrder(Map<String, PluginEntry> plugins) {
        Map<String, PluginEntry> copy = new LinkedHashMap<>();
        plugins.forEach((id, entry) -> copy.put(Objects.requireNonNull(id, "plugin id"),
                entry == null ? PluginEntry.of(null) : entry));
        return Collections.unmodifiableMap(copy);
    }

    /**
     * The server's identity and files.
     *
     * @param domain    the XMPP domain served (RFC 7622 domainpart)
     * @param dataDir   where the database, generated certificate and other state live; relative
     *                  paths are resolved against the directory the server runs in
     * @param adminJids bare JIDs with administrator rights (XEP-0133); rights come only from here
     */
    public record Server(String domain, Path dataDir, List<String> adminJids) {
        public Server {
            domain = domain == null ? "localhost" : domain;
            dataDir = dataDir == null ? Path.of("data") : dataDir;
            adminJids = adminJids == null ? List.of() : List.copyOf(adminJids);
        }

        static Server defaults() {
            return new Server(null, null, null);
        }
    }

    /**
     * The network listeners: client streams (STARTTLS, direct TLS, loopback plaintext) and the
     * public HTTPS listener (policy documents, data export downloads, file upload).
     */
    public record Listeners(Listener c2s, Listener c2sDirectTls, Listener c2sPlaintext, Listener https) {
        public Listeners {
            c2s = c2s == null ? new Listener(true, "0.0.0.0", 5222) : c2s;
            c2sDirectTls = c2sDirectTls == null ? new Listener(true, "0.0.0.0", 5223) : c2sDirectTls;
            c2sPlaintext = c2sPlaintext == null ? new Listener(false, "127.0.0.1", 5322) : c2sPlaintext;
            https = https == null ? new Listener(true, "0.0.0.0", 5443) : https;
        }

        static Listeners defaults() {
            return new Listeners(null, null, null, null);
        }
    }

    /**
     * One listener.
     *
     * @param enabled whether it listens at all
     * @param address the address to bind, for example {@code 0.0.0.0}, {@code ::} or {@code 127.0.0.1}
     * @param port    the TCP port, 0 for any free port
     */
    public record Listener(Boolean enabled, String address, Integer port) {
        public Listener {
            enabled = enabled == null ? Boolean.TRUE : enabled;
            address = address == null ? "0.0.0.0" : address;
            port = port == null ? 0 : port;
        }
    }

    /**
     * TLS settings. With neither file given, a self-signed certificate for the domain is generated
     * into the data directory on first start and reused after.
     *
     * @param certificate PEM file with the certificate chain, leaf first
     * @param privateKey  PEM file with the private key (PKCS#8, or PKCS#1 for RSA)
     * @param protocols   enabled protocol versions; only TLSv1.2 and TLSv1.3 are accepted
     */
    public record Tls(Path certificate, Path privateKey, List<String> protocols) {
        public Tls {
            protocols = protocols == null ? List.of("TLSv1.3", "TLSv1.2") : List.copyOf(protocols);
        }

        static Tls defaults() {
            return new Tls(null, null, null);
        }
    }

    /**
     * The database.
     *
     * @param url         a JDBC URL ({@code jdbc:h2:} or {@code jdbc:postgresql:}); empty (the default)
     *                    for the embedded H2 file database in the data directory
     * @param username    the database user
     * @param password    the database password
     * @param maxPoolSize the largest number of pooled connections
     */
    public record Database(String url, String username, String password, Integer maxPoolSize) {
        public Database {
            url = url == null ? "" : url;
            username = username == null ? "" : username;
            password = password == null ? "" : password;
            maxPoolSize = maxPoolSize == null ? 10 : maxPoolSize;
        }

        static Database defaults() {
            return new Database(null, null, null, null);
        }
    }

    /**
     * Limits on client streams (RFC 6120 §13.12: a server must protect itself against abuse).
     *
     * @param maxStanzaBytes            the largest stanza, in bytes of XML, before a
     *                                  {@code policy-violation} stream error
     * @param maxDepth                  the deepest element nesting inside a stanza
     * @param negotiationTimeoutSeconds the time a client has from connecting to a bound resource
     * @param idleTimeoutSeconds        the time without any input (whitespace keepalives count)
     *                                  before the stream is closed with {@code connection-timeout}
     * @param resumptionSeconds         how long a session with stream management (XEP-0198) waits
     *                                  for its client to resume after the connection is lost
     * @param maxUnackedStanzas         stanzas sent and not acknowledged before the stream is closed
     * @param maxOutboundBytes          bytes waiting to be sent to a client that does not read them
     *                                  before its stream is closed
     * @param maxStanzasPerSecond       the sustained rate of stanzas one session may send
     * @param stanzaBurst               the stanzas a session may send at once above that rate
     * @param maxConnectionsPerAddress  open client connections from one IP address
     */
    public record Stream(Integer maxStanzaBytes, Integer maxDepth, Integer negotiationTimeoutSeconds,
                         Integer idleTimeoutSeconds, Integer resumptionSeconds, Integer maxUnackedStanzas,
                         Integer maxOutboundBytes, Integer maxStanzasPerSecond, Integer stanzaBurst,
                         Integer maxConnectionsPerAddress) {
        public Stream {
            maxStanzaBytes = maxStanzaBytes == null ? 262_144 : maxStanzaBytes;
            maxDepth = maxDepth == null ? 32 : maxDepth;
            negotiationTimeoutSeconds = negotiationTimeoutSeconds == null ? 30 : negotiationTimeoutSeconds;
            idleTimeoutSeconds = idleTimeoutSeconds == null ? 600 : idleTimeoutSeconds;
            resumptionSeconds = resumptionSeconds == null ? 300 : resumptionSeconds;
            maxUnackedStanzas = maxUnackedStanzas == null ? 1000 : maxUnackedStanzas;
            maxOutboundBytes = maxOutboundBytes == null ? 4 * 1024 * 1024 : maxOutboundBytes;
            maxStanzasPerSecond = maxStanzasPerSecond == null ? 200 : maxStanzasPerSecond;
            stanzaBurst = stanzaBurst == null ? 1000 : stanzaBurst;
            maxConnectionsPerAddress = maxConnectionsPerAddress == null ? 200 : maxConnectionsPerAddress;
        }

        static Stream defaults() {
            return new Stream(null, null, null, null, null, null, null, null, null, null);
        }
    }

    /**
     * Authentication.
     *
     * @param mechanisms           SASL mechanisms offered, in order of preference
     * @param scramIterations      PBKDF2 iterations for new SCRAM keys (at least 4096, RFC 7677 §4)
     * @param maxFailuresPerAccount failed logins on one account within the window before it is
     *                              refused for the rest of the window
     * @param maxFailuresPerAddress failed logins from one IP address within the window
     * @param failureWindowSeconds  the window over which failures are counted
     * @param maxFailuresPerStream  failed attempts on one stream before it is closed (RFC 6120 §6.4.5)
     */
    public record Auth(List<String> mechanisms, Integer scramIterations, Integer maxFailuresPerAccount,
                       Integer maxFailuresPerAddress, Integer failureWindowSeconds, Integer maxFailuresPerStream) {
        public Auth {
            mechanisms = mechanisms == null ? List.of("SCRAM-SHA-256", "SCRAM-SHA-1", "PLAIN") : List.copyOf(mechanisms);
            scramIterations = scramIterations == null ? 4096 : scramIterations;
            maxFailuresPerAccount = maxFailuresPerAccount == null ? 10 : maxFailuresPerAccount;
            maxFailuresPerAddress = maxFailuresPerAddress == null ? 30 : maxFailuresPerAddress;
            failureWindowSeconds = failureWindowSeconds == null ? 900 : failureWindowSeconds;
            maxFailuresPerStream = maxFailuresPerStream == null ? 3 : maxFailuresPerStream;
        }

        static Auth defaults() {
            return new Auth(null, null, null, null, null, null);
        }
    }

    /**
     * The server's privacy machinery (privacy requirements R-RET, R-DSR-4, R-SEC-4).
     *
     * @param purgeIntervalMinutes   how often the retention purge runs every category's job
     * @param erasureIntervalMinutes how often pending erasures of cancelled accounts are resumed
     * @param auditRetentionDays     how long audit rows are kept (at least 1095, three years)
     * @param holidays               PRC public holidays (ISO dates) added to the shipped calendar of
     *                               working days, for the deadlines of rights requests (AC-26)
     * @param makeUpWorkdays         weekend days the State Council made working days (调休), added likewise
     */
    public record Privacy(Integer purgeIntervalMinutes, Integer erasureIntervalMinutes, Integer auditRetentionDays,
                          List<String> holidays, List<String> makeUpWorkdays) {
        public Privacy {
            purgeIntervalMinutes = purgeIntervalMinutes == null ? 60 : purgeIntervalMinutes;
            erasureIntervalMinutes = erasureIntervalMinutes == null ? 5 : erasureIntervalMinutes;
            auditRetentionDays = auditRetentionDays == null ? 1095 : auditRetentionDays;
            holidays = holidays == null ? List.of() : List.copyOf(holidays);
            makeUpWorkdays = makeUpWorkdays == null ? List.of() : List.copyOf(makeUpWorkdays);
        }

        static Privacy defaults() {
            return new Privacy(null, null, null, null, null);
        }
    }
}
