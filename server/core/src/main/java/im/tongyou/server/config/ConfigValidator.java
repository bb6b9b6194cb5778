package im.tongyou.server.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.xmpp.packet.JID;

/**
 * Checks the meaning of a bound {@link ServerConfig} (domain per RFC 7622 §3.2, ports, loopback-only
 * plaintext, TLS versions, SASL mechanisms, RFC 6120 §13.12 stream limits, ...) and returns it with
 * the domain and admin JIDs in their canonical (prepared) form.
 */
final class ConfigValidator {

    private static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");
    private static final List<String> MECHANISMS = List.of("SCRAM-SHA-256", "SCRAM-SHA-1", "PLAIN");
    private static final Pattern PLUGIN_ID = Pattern.compile("[a-z][a-z0-9-]*");
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1?\\d?\\d)(\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
    /** RFC 6120 §13.12: a server must not block stanzas of up to 10000 bytes. */
    private static final int MIN_STANZA_BYTES = 10_000;
    /** RFC 7677 §4: the iteration count for SCRAM-SHA-256 should be at least 4096. */
    private static final int MIN_SCRAM_ITERATIONS = 4096;
    private static final int MIN_DEPTH = 8;

    private final Origins origins;

    private ConfigValidator(Origins origins) {
        this.origins = origins;
    }

    static ServerConfig validate(ServerConfig config, Origins origins) {
        ConfigValidator v = new ConfigValidator(origins);
        ServerConfig.Server server = v.server(config.server());
        v.listeners(config.listeners());
        v.tls(config.tls());
        v.database(config.database());
        v.stream(config.stream());
        v.auth(config.auth());
        v.privacy(config.privacy());
        config.plugins().keySet().forEach(v::pluginId);
        return new ServerConfig(server, config.listeners(), config.tls(), config.database(), config.stream(),
                config.auth(), config.privacy(), config.plugins());
    }

    private ServerConfig.Server server(ServerConfig.Server server) {
        String domain = domain(server.domain());
        List<String> admins = new ArrayList<>();
        for (int i = 0; i < server.adminJids().size(); i++) {
            admins.add(bareJid("server.admin-jids[" + i + "]", server.adminJids().get(i)));
        }
        return new ServerConfig.Server(domain, server.dataDir(), admins);
    }

    private String domain(String domain) {
        String path = "server.domain";
        String problem = domain.isBlank() ? "must be a domain name such as example.org,"
                : domain.contains("://") ? "must be a domain name, not a URL,"
                : domain.contains("@") || domain.contains("/") ? "must be a domain only, without a user or resource part,"
                : domain.contains(":") ? "must be a domain without a port (ports are set under 'listeners'),"
                : domain.endsWith(".") ? "must be written without the trailing dot,"
                : null;
        String reason = "";
        if (problem == null) {
            try {
                return JID.domainprep(domain);
            } catch (IllegalArgumentException e) {
                String m = e.getMessage() == null ? "" : e.getMessage();
                reason = m.isEmpty() ? "" : " (" + m.substring(m.lastIndexOf(':') + 1).trim() + ")";
                problem = "must be a valid XMPP domain (RFC 7622 §3.2),";
            }
        }
        throw origins.error(path, "'" + path + "' " + problem + " not '" + domain + "'" + reason);
    }

    private String bareJid(String path, String value) {
        JID jid;
        try {
            jid = new JID(value);
        } catch (IllegalArgumentException e) {
            jid = null;
        }
        if (jid == null || jid.getNode() == null || jid.getResource() != null) {
            throw origins.error(path, "'" + path + "' must be a bare JID such as admin@example.org, not '" + value + "'");
        }
        return jid.toBareJID();
    }

    private void listeners(ServerConfig.Listeners listeners) {
        Map<String, ServerConfig.Listener> all = new LinkedHashMap<>();
        all.put("listeners.c2s", listeners.c2s());
        all.put("listeners.c2s-direct-tls", listeners.c2sDirectTls());
        all.put("listeners.c2s-plaintext", listeners.c2sPlaintext());
        all.put("listeners.https", listeners.https());
        Map<String, InetAddress> bound = new LinkedHashMap<>();
        for (Map.Entry<String, ServerConfig.Listener> e : all.entrySet()) {
            String path = e.getKey();
            ServerConfig.Listener listener = e.getValue();
            if (listener.port() < 0 || listener.port() > 65535) {
                throw origins.error(path + ".port", "'" + path + ".port' must be a number between 0 and 65535, not '"
                        + listener.port() + "'");
            }
            InetAddress address = ipLiteral(listener.address()).orElseThrow(() -> origins.error(path + ".address",
                    "'" + path + ".address' must be an IP address such as 0.0.0.0, :: or 127.0.0.1, not '"
                            + listener.address() + "'"));
            if (!listener.enabled()) {
                continue;
            }
            if (path.equals("listeners.c2s-plaintext") && !address.isLoopbackAddress()) {
                throw origins.error(path + ".address", "'" + path + ".address' must be a loopback address"
                        + " (127.0.0.0/8 or ::1), not '" + listener.address() + "': the plaintext listener exists"
                        + " only for loopback benchmarks");
            }
            for (Map.Entry<String, InetAddress> other : bound.entrySet()) {
                ServerConfig.Listener used = all.get(other.getKey());
                boolean overlap = address.equals(other.getValue()) || address.isAnyLocalAddress()
                        || other.getValue().isAnyLocalAddress();
                if (listener.port() != 0 && listener.port().equals(used.port()) && overlap) {
                    throw origins.error(path + ".port", "'" + path + ".port' " + listener.port()
                            + " is already used by '" + other.getKey() + "'");
                }
            }
            bound.put(path, address);
        }
    }

    /** The address when {@code text} is an IPv4 or IPv6 literal (never a host name: no lookups here). */
    static Optional<InetAddress> ipLiteral(String text) {
        String s = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        if (!IPV4.matcher(s).matches() && !IPV6.matcher(s).matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(s));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    private void tls(ServerConfig.Tls tls) {
        oneOf("tls.protocols", tls.protocols(), PROTOCOLS);
        if ((tls.certificate() == null) != (tls.privateKey() == null)) {
            String given = tls.certificate() != null ? "tls.certificate" : "tls.private-key";
            String missing = tls.certificate() != null ? "tls.private-key" : "tls.certificate";
            throw origins.error(given, "'" + given + "' is set but '" + missing + "' is not: give both,"
                    + " or neither to use a generated self-signed certificate");
        }
    }

    private void database(ServerConfig.Database database) {
        String url = database.url();
        if (!url.isEmpty() && !url.startsWith("jdbc:h2:") && !url.startsWith("jdbc:postgresql:")) {
            throw origins.error("database.url", "'database.url' must start with jdbc:h2: or jdbc:postgresql:"
                    + " (or be empty for the embedded database), not '" + url.replaceAll("password=[^&;]*", "password=****") + "'");
        }
        atLeast("database.max-pool-size", database.maxPoolSize(), 1, "");
    }

    private void stream(ServerConfig.Stream stream) {
        atLeast("stream.max-stanza-bytes", stream.maxStanzaBytes(), MIN_STANZA_BYTES,
                " (RFC 6120 §13.12: a server must accept stanzas of at least 10000 bytes)");
        atLeast("stream.max-depth", stream.maxDepth(), MIN_DEPTH, "");
        atLeast("stream.negotiation-timeout-seconds", stream.negotiationTimeoutSeconds(), 1, "");
        atLeast("stream.idle-timeout-seconds", stream.idleTimeoutSeconds(), 1, "");
        atLeast("stream.resumption-seconds", stream.resumptionSeconds(), 0, "");
        atLeast("stream.max-unacked-stanzas", stream.maxUnackedStanzas(), 16, "");
        atLeast("stream.max-outbound-bytes", stream.maxOutboundBytes(), 65536, "");
        atLeast("stream.max-stanzas-per-second", stream.maxStanzasPerSecond(), 1, "");
        atLeast("stream.stanza-burst", stream.stanzaBurst(), 1, "");
        atLeast("stream.max-connections-per-address", stream.maxConnectionsPerAddress(), 1, "");
    }

    private void privacy(ServerConfig.Privacy privacy) {
        atLeast("privacy.purge-interval-minutes", privacy.purgeIntervalMinutes(), 1, "");
        atLeast("privacy.erasure-interval-minutes", privacy.erasureIntervalMinutes(), 1, "");
        atLeast("privacy.audit-retention-days", privacy.auditRetentionDays(), 1095,
                " (audit rows are kept at least three years)");
        java.util.Set<String> holidays = new java.util.HashSet<>();
        for (int i = 0; i < privacy.holidays().size(); i++) {
            holidays.add(isoDate("privacy.holidays[" + i + "]", privacy.holidays().get(i)));
        }
        for (int i = 0; i < privacy.makeUpWorkdays().size(); i++) {
            String path = "privacy.make-up-workdays[" + i + "]";
            String day = isoDate(path, privacy.makeUpWorkdays().get(i));
            if (holidays.contains(day)) {
                throw origins.error(path, "'" + path + "': " + day + " is also listed in privacy.holidays");
            }
            java.time.DayOfWeek dow = java.time.LocalDate.parse(day).getDayOfWeek();
            if (dow != java.time.DayOfWeek.SATURDAY && dow != java.time.DayOfWeek.SUNDAY) {
                throw origins.error(path, "'" + path + "': " + day + " is a weekday; make-up working days are weekend days");
            }
        }
    }

    private String isoDate(String path, String value) {
        try {
            return java.time.LocalDate.parse(value == null ? "" : value.trim()).toString();
        } catch (java.time.format.DateTimeParseException e) {
            throw origins.error(path, "'" + path + "': '" + value + "' is not an ISO date (yyyy-mm-dd)");
        }
    }

    private void auth(ServerConfig.Auth auth) {
        oneOf("auth.mechanisms", auth.mechanisms(), MECHANISMS);
        atLeast("auth.scram-iterations", auth.scramIterations(), MIN_SCRAM_ITERATIONS, " (RFC 7677 §4)");
        atLeast("auth.max-failures-per-account", auth.maxFailuresPerAccount(), 1, "");
        atLeast("auth.max-failures-per-address", auth.maxFailuresPerAddress(), 1, "");
        atLeast("auth.failure-window-seconds", auth.failureWindowSeconds(), 1, "");
        atLeast("auth.max-failures-per-stream", auth.maxFailuresPerStream(), 1, "");
    }

    private void pluginId(String id) {
        if (!PLUGIN_ID.matcher(id).matches()) {
            String path = "plugins." + id;
            throw origins.error(path, "'" + path + "': a plugin id is lowercase letters, digits and '-',"
                    + " starting with a letter");
        }
    }

    private void oneOf(String path, List<String> values, List<String> allowed) {
        if (values.isEmpty()) {
            throw origins.error(path, "'" + path + "' must list at least one of " + String.join(", ", allowed));
        }
        for (int i = 0; i < values.size(); i++) {
            String value = values.get(i);
            if (!allowed.contains(value)) {
                throw origins.error(path, "'" + path + "[" + i + "]' must be one of " + String.join(", ", allowed)
                        + ", not '" + value + "'");
            }
            if (values.indexOf(value) != i) {
                throw origins.error(path, "'" + path + "' lists '" + value + "' twice");
            }
        }
    }

    private void atLeast(String path, int value, int minimum, String why) {
        if (value < minimum) {
            throw origins.error(path, "'" + path + "' must be at least " + minimum + why + ", not '" + value + "'");
        }
    }
}
