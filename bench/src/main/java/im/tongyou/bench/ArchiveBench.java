package im.tongyou.bench;

import im.tongyou.server.TongyouServer;
import im.tongyou.server.config.ConfigLoader;
import im.tongyou.server.config.ServerConfig;
import im.tongyou.server.feature.mam.ArchiveQueryBench;
import im.tongyou.server.privacy.DataKeys;
import im.tongyou.server.privacy.MasterKey;
import im.tongyou.server.storage.Database;
import im.tongyou.testkit.SmackScramSha256;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.jivesoftware.smack.ConnectionConfiguration;
import org.jivesoftware.smack.filter.StanzaFilter;
import org.jivesoftware.smack.filter.StanzaTypeFilter;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.MessageBuilder;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.jxmpp.jid.impl.JidCreate;

/**
 * The archive benchmark of issue 4 (bench/README.md): fills an archive with a million messages, times
 * the server's answer to "the newest 50 of a conversation" against the same query on an archive of a
 * thousand, and measures message throughput of a real server with and without archiving in the same
 * run. Figures are reported as ratios against the baseline of the same run. A tool: it prints
 * Markdown for docs/benchmarks.md.
 */
public final class ArchiveBench {

    private static final String DOMAIN = "bench.example";
    private static java.io.PrintStream report = System.out;

    private ArchiveBench() {
    }

    public static void main(String[] args) throws Exception {
        // Standard output is the report; what libraries print on it (Liquibase's summaries) goes to
        // standard error with the server's log.
        report = System.out;
        System.setOut(System.err);
        Map<String, String> options = options(args);
        int messages = Integer.parseInt(options.getOrDefault("messages", "1000000"));
        int pairs = Integer.parseInt(options.getOrDefault("pairs", "10"));
        int perPair = Integer.parseInt(options.getOrDefault("per-pair", "500"));
        int rounds = Integer.parseInt(options.getOrDefault("rounds", "2"));
        boolean postgres = options.containsKey("postgres");
        Path dir = Files.createTempDirectory("tongyou-bench-");
        try {
            report.println("# Tongyou archive benchmark, " + java.time.LocalDate.now() + ", "
                    + Runtime.getRuntime().availableProcessors() + " CPUs, Java " + System.getProperty("java.version"));
            query(dir.resolve("archive"), messages, postgres);
            if (rounds > 0) { // --rounds=0: the archive query only
                throughput(dir.resolve("servers"), pairs, perPair, rounds);
            }
        } finally {
            delete(dir);
        }
    }

    /** Fills two archives (a million messages and a thousand) and times the newest page of each. */
    static void query(Path dir, int messages, boolean postgres) throws Exception {
        Files.createDirectories(dir);
        ServerConfig config = config(dir, postgres ? postgresUrl() : null);
        try (Database database = Database.open(config)) {
            database.applyChangelog("im/tongyou/server/feature/mam/changelog.xml", ArchiveBench.class.getClassLoader());
            DataKeys crypto = new DataKeys(database.dataSource(), MasterKey.load(dir), Clock.systemUTC());
            long now = System.currentTimeMillis();
            double rate = ArchiveQueryBench.fill(database.dataSource(), crypto, DOMAIN, "romeo", messages, 100, 0.1, now, 0);
            ArchiveQueryBench.fill(database.dataSource(), crypto, DOMAIN, "tybalt", 1000, 100, 0.1, now, 1);
            if (postgres) {
                try (Connection c = database.dataSource().getConnection(); Statement st = c.createStatement()) {
                    st.execute("VACUUM ANALYZE mam_bucket");
                }
            } else {
                try (Connection c = database.dataSource().getConnection(); Statement st = c.createStatement()) {
                    st.execute("ANALYZE");
                }
            }
            String with = "contact0@" + DOMAIN;
            ArchiveQueryBench.Timing big = ArchiveQueryBench.newestPage(database.dataSource(), crypto, DOMAIN, "romeo",
                    with, 50, 100, 300);
            ArchiveQueryBench.Timing small = ArchiveQueryBench.newestPage(database.dataSource(), crypto, DOMAIN, "tybalt",
                    with, 50, 100, 300);
            report.printf(Locale.ROOT, "%n## Archive query (%s)%n%n", postgres ? "PostgreSQL" : "H2 file");
            report.printf(Locale.ROOT, "Fill: %,d encrypted messages at %,.0f rows/s (batches of 5,000).%n%n",
                    messages, rate);
            report.println("| newest 50 of a conversation | median | p95 | ratio to the baseline (median) |");
            report.println("| --- | --- | --- | --- |");
            report.printf(Locale.ROOT, "| archive of 1,000 (baseline; conversation of 100) | %.2f ms | %.2f ms | 1.00 |%n",
                    small.medianMillis(), small.p95Millis());
            report.printf(Locale.ROOT, "| archive of %,d (conversation of %,d) | %.2f ms | %.2f ms | %.2f |%n",
                    messages, messages / 10, big.medianMillis(), big.p95Millis(), big.medianMillis() / small.medianMillis());
            report.printf(Locale.ROOT, "%nSteps of the newest page in the archive of %,d (medians of 100 runs):%n%n", messages);
            for (Map.Entry<String, Object> step : ArchiveQueryBench.breakdown(database.dataSource(), crypto, "romeo",
                    with, 50, 100).entrySet()) {
                report.println(step.getValue() instanceof Double ms
                        ? String.format(Locale.ROOT, "- %s: %.2f ms", step.getKey(), ms)
                        : "- " + step.getKey() + ": `" + step.getValue() + "`");
            }
        }
    }

    /** Messages per second through a real server, without and with the archive, alternating. */
    static void throughput(Path dir, int pairs, int perPair, int rounds) throws Exception {
        SmackScramSha256.register();
        Map<String, List<Double>> results = new LinkedHashMap<>();
        results.put("without archive", new ArrayList<>());
        results.put("with archive", new ArrayList<>());
        for (int round = 0; round < rounds; round++) {
            for (String mode : results.keySet()) {
                Path data = dir.resolve(mode.replace(' ', '-') + "-" + round);
                results.get(mode).add(run(data, mode.equals("with archive"), pairs, perPair));
            }
        }
        double without = median(results.get("without archive"));
        double with = median(results.get("with archive"));
        report.printf(Locale.ROOT, "%n## Message throughput (H2 file, %d sender/receiver pairs, %,d messages each,"
                + " %d rounds alternating)%n%n", pairs, perPair, rounds);
        report.println("| server | messages/s (median) | rounds | ratio to the baseline |");
        report.println("| --- | --- | --- | --- |");
        report.printf(Locale.ROOT, "| without archive (baseline) | %,.0f | %s | 1.00 |%n", without,
                format(results.get("without archive")));
        report.printf(Locale.ROOT, "| with archive | %,.0f | %s | %.2f |%n", with, format(results.get("with archive")),
                with / without);
    }

    /** One server: pairs of clients, each sender writes to its receiver; the time until all arrived. */
    static double run(Path data, boolean archive, int pairs, int perPair) throws Exception {
        Files.createDirectories(data);
        Map<String, String> sets = new LinkedHashMap<>();
        sets.put("server.domain", DOMAIN);
        sets.put("server.data-dir", data.toString());
        sets.put("listeners.c2s.address", "127.0.0.1");
        sets.put("listeners.c2s.port", "0");
        sets.put("listeners.c2s-direct-tls.enabled", "false");
        sets.put("listeners.https.enabled", "false");
        sets.put("listeners.c2s-plaintext.enabled", "true");
        sets.put("listeners.c2s-plaintext.port", "0");
        sets.put("auth.scram-iterations", "4096");
        for (String id : im.tongyou.server.plugin.PluginManager.discover(ArchiveBench.class.getClassLoader()).keySet()) {
            sets.put("plugins." + id + ".enabled", "true");
        }
        sets.put("plugins.mam.enabled", Boolean.toString(archive));
        Path file = data.resolve("tongyou.yml");
        Files.writeString(file, "# written by the benchmark\n");
        List<XMPPTCPConnection> connections = new ArrayList<>();
        try (TongyouServer server = TongyouServer.start(ConfigLoader.load(file, sets, Map.of()), file, Clock.systemUTC())) {
            for (int i = 0; i < 2 * pairs; i++) {
                server.accounts().create("user" + i, ("password-" + i).toCharArray());
            }
            for (int i = 0; i < 2 * pairs; i++) {
                XMPPTCPConnection c = new XMPPTCPConnection(XMPPTCPConnectionConfiguration.builder()
                        .setXmppDomain(JidCreate.domainBareFrom(DOMAIN)).setHostAddress(InetAddress.getLoopbackAddress())
                        .setPort(server.plaintextPort()).setUsernameAndPassword("user" + i, "password-" + i)
                        .setSecurityMode(ConnectionConfiguration.SecurityMode.disabled)
                        .addEnabledSaslMechanism(SmackScramSha256.NAME).build());
                c.setReplyTimeout(60_000);
                // As a mobile client: stream management, an acknowledgement asked for every 10
                // messages (each answer waits for the durability barrier).
                c.setUseStreamManagement(true);
                c.addRequestAckPredicate(new EveryTenthMessage());
                c.connect().login();
                connections.add(c);
            }
            send(connections, pairs, 20); // warm-up
            long start = System.nanoTime();
            send(connections, pairs, perPair);
            double seconds = (System.nanoTime() - start) / 1e9;
            return pairs * perPair / seconds;
        } finally {
            connections.forEach(XMPPTCPConnection::instantShutdown);
        }
    }

    /** Every sender sends {@code count} messages at once; returns when every receiver has them all. */
    private static void send(List<XMPPTCPConnection> connections, int pairs, int count) throws Exception {
        CountDownLatch done = new CountDownLatch(pairs * count);
        List<Runnable> listeners = new ArrayList<>();
        for (int p = 0; p < pairs; p++) {
            XMPPTCPConnection receiver = connections.get(2 * p + 1);
            org.jivesoftware.smack.StanzaListener listener = s -> {
                if (((Message) s).getBody() != null) {
                    done.countDown();
                }
            };
            receiver.addAsyncStanzaListener(listener, StanzaTypeFilter.MESSAGE);
            listeners.add(() -> receiver.removeAsyncStanzaListener(listener));
        }
        List<Thread> senders = new ArrayList<>();
        for (int p = 0; p < pairs; p++) {
            XMPPTCPConnection sender = connections.get(2 * p);
            XMPPTCPConnection receiver = connections.get(2 * p + 1);
            AtomicInteger acked = new AtomicInteger();
            sender.addStanzaAcknowledgedListener(st -> acked.incrementAndGet());
            Thread t = new Thread(() -> {
                try {
                    for (int i = 0; i < count; i++) {
                        // At most 100 unacknowledged: Smack 4.5 deadlocks at 500.
                        while (i - acked.get() > 100) {
                            Thread.sleep(1);
                        }
                        sender.sendStanza(MessageBuilder.buildMessage().to(receiver.getUser()).ofType(Message.Type.chat)
                                .setBody("Message " + i + ": but soft, what light through yonder window breaks?").build());
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            t.start();
            senders.add(t);
        }
        for (Thread t : senders) {
            t.join();
        }
        connections.forEach(XMPPTCPConnection::removeAllStanzaAcknowledgedListeners);
        if (!done.await(600, TimeUnit.SECONDS)) {
            throw new IllegalStateException("messages missing: " + done.getCount());
        }
        listeners.forEach(Runnable::run);
    }

    /** Asks for an acknowledgement after every tenth message. */
    private static final class EveryTenthMessage implements StanzaFilter {
        private final AtomicInteger messages = new AtomicInteger();

        @Override
        public boolean accept(org.jivesoftware.smack.packet.Stanza stanza) {
            return stanza instanceof Message && messages.incrementAndGet() % 10 == 0;
        }
    }

    private static ServerConfig config(Path dir, String url) {
        Map<String, String> sets = new LinkedHashMap<>();
        sets.put("server.data-dir", dir.toString());
        if (url != null) {
            sets.put("database.url", url);
            sets.put("database.username", System.getenv().getOrDefault("TONGYOU_TEST_POSTGRES_USER", ""));
            sets.put("database.password", System.getenv().getOrDefault("TONGYOU_TEST_POSTGRES_PASSWORD", ""));
        }
        return ConfigLoader.loadOrDefaults(dir.resolve("absent.yml"), sets, Map.of());
    }

    /** A fresh schema on the PostgreSQL that TONGYOU_TEST_POSTGRES_* name (as the store tests use). */
    private static String postgresUrl() throws Exception {
        String url = System.getenv("TONGYOU_TEST_POSTGRES_URL");
        if (url == null) {
            throw new IllegalStateException("--postgres needs TONGYOU_TEST_POSTGRES_URL, _USER and _PASSWORD");
        }
        String schema = "bench_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection c = DriverManager.getConnection(url, System.getenv("TONGYOU_TEST_POSTGRES_USER"),
                System.getenv("TONGYOU_TEST_POSTGRES_PASSWORD")); Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA " + schema);
        }
        return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unknown argument " + arg + " (see bench/README.md)");
            }
            int eq = arg.indexOf('=');
            options.put(eq < 0 ? arg.substring(2) : arg.substring(2, eq), eq < 0 ? "" : arg.substring(eq + 1));
        }
        return options;
    }

    private static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    }

    private static String format(List<Double> values) {
        return String.join(", ", values.stream().map(v -> String.format(Locale.ROOT, "%,.0f", v)).toList());
    }

    private static void delete(Path dir) throws Exception {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
