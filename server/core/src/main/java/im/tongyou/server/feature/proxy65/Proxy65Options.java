package im.tongyou.server.feature.proxy65;

/**
 * Options of the SOCKS5 bytestreams proxy.
 *
 * @param subdomain                the service's subdomain ({@code proxy} for {@code proxy.<domain>})
 * @param host                     the host name or address clients are told to connect to; empty:
 *                                 the server's domain
 * @param address                  the address the proxy listens on; empty: every interface
 * @param port                     the TCP port (0: any free port, for tests)
 * @param maxConnections           connections open at once, waiting or relaying (two per transfer)
 * @param maxConnectionsPerAddress connections open at once from one client address
 * @param activationSeconds        how long a connection may wait for its partner and the activation
 * @param idleSeconds              how long an activated transfer may carry no byte either way
 */
public record Proxy65Options(String subdomain, String host, String address, Integer port, Integer maxConnections,
                             Integer maxConnectionsPerAddress, Integer activationSeconds, Integer idleSeconds) {

    public Proxy65Options {
        subdomain = subdomain == null ? "proxy" : subdomain;
        host = host == null ? "" : host.strip();
        address = address == null ? "" : address.strip();
        port = port == null ? 7777 : port;
        maxConnections = maxConnections == null ? 1000 : maxConnections;
        maxConnectionsPerAddress = maxConnectionsPerAddress == null ? 20 : maxConnectionsPerAddress;
        activationSeconds = activationSeconds == null ? 60 : activationSeconds;
        idleSeconds = idleSeconds == null ? 300 : idleSeconds;
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be between 0 and 65535");
        }
        if (maxConnections < 2 || maxConnectionsPerAddress < 2) {
            throw new IllegalArgumentException("max-connections and max-connections-per-address must be at least 2");
        }
        if (activationSeconds < 1 || idleSeconds < 1) {
            throw new IllegalArgumentException("activation-seconds and idle-seconds must be at least 1");
        }
    }
}
