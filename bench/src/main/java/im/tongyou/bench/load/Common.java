package im.tongyou.bench.load;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Option;

/** Options every scenario shares: the target (loopback only), the users, the server's pid. */
final class Common {
    @Option(names = "--host", defaultValue = "127.0.0.1", description = "server address; loopback only (default ${DEFAULT-VALUE})")
    String host;
    @Option(names = "--port", defaultValue = "5222", description = "client port (default ${DEFAULT-VALUE})")
    int port;
    @Option(names = "--domain", defaultValue = "localhost", description = "XMPP domain (default ${DEFAULT-VALUE})")
    String domain;
    @Option(names = "--prefix", defaultValue = "load", description = "usernames are <prefix><n> (default ${DEFAULT-VALUE})")
    String prefix;
    @Option(names = "--password", defaultValue = "load-password-1", description = "every user's password")
    String password;
    @Option(names = "--tls", description = "STARTTLS before authenticating (else plaintext)")
    boolean tls;
    @Option(names = "--tls-provider", defaultValue = "openssl", description = "the generator's own TLS: openssl"
            + " (BoringSSL through netty-tcnative, when it loads; else jdk) or jdk (default ${DEFAULT-VALUE})")
    TlsChoice tlsProvider;

    /** The generator's TLS implementations (picocli refuses any other value, naming these). */
    enum TlsChoice { openssl, jdk }
    @Option(names = "--plain", description = "SASL PLAIN instead of SCRAM-SHA-1")
    boolean plain;
    @Option(names = "--sources", defaultValue = "4", description = "source addresses 127.0.0.1..127.0.0.N (default ${DEFAULT-VALUE})")
    int sources;
    @Option(names = "--server-pid", defaultValue = "0", description = "the server's pid, for its CPU and memory from /proc")
    long serverPid;
    @Option(names = "--threads", defaultValue = "2", description = "generator event loops (default ${DEFAULT-VALUE})")
    int threads;
    @Option(names = "--concurrency", defaultValue = "100", description = "negotiations in flight (default ${DEFAULT-VALUE})")
    int concurrency;
    @Option(names = "--scram-cache", description = "file keeping SCRAM salted passwords between runs")
    Path scramCache;
    @Option(names = "--label", defaultValue = "", description = "copied into the result line (server name, variant)")
    String label;

    Target target() throws UnknownHostException {
        InetAddress address = InetAddress.getByName(host);
        if (!address.isLoopbackAddress()) {
            throw new IllegalArgumentException("the load generator only targets loopback addresses, not " + host);
        }
        List<InetAddress> from = new ArrayList<>();
        for (int i = 1; i <= Math.max(1, sources); i++) {
            from.add(InetAddress.getByName("127.0.0." + i));
        }
        return new Target(host, port, domain, prefix, password, tls, plain, tlsProvider == TlsChoice.openssl,
                List.copyOf(from));
    }

    Map<String, Object> result(String scenario) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("scenario", scenario);
        r.put("label", label);
        r.put("transport", tls ? "starttls" : "plaintext");
        if (tls) {
            r.put("generator_tls", Net.tlsProvider(tlsProvider == TlsChoice.openssl).name().toLowerCase(Locale.ROOT));
        }
        return r;
    }

    /** Prints the result as one JSON line on standard output (what side-by-side.sh reads). */
    static void print(Map<String, Object> r) {
        StringBuilder sb = new StringBuilder("{");
        for (Map.Entry<String, Object> e : r.entrySet()) {
            if (sb.length() > 1) {
                sb.append(", ");
            }
            sb.append('"').append(e.getKey()).append("\": ");
            Object v = e.getValue();
            if (v instanceof Double d) {
                sb.append(String.format(Locale.ROOT, "%.3f", d));
            } else if (v instanceof Number) {
                sb.append(v);
            } else {
                sb.append('"').append(String.valueOf(v).replace("\\", "\\\\").replace("\"", "'")).append('"');
            }
        }
        System.out.println(sb.append('}'));
        System.out.flush();
    }

    static void log(String format, Object... args) {
        System.err.println(String.format(Locale.ROOT, format, args));
    }
}
