package im.tongyou.server.routing;

import im.tongyou.api.ServiceHandler;
import java.util.concurrent.ConcurrentHashMap;

/** The services on subdomains of the server, by their full domain (see {@link ServiceHandler}). */
public final class Services {

    private final ConcurrentHashMap<String, ServiceHandler> byDomain = new ConcurrentHashMap<>();

    /** Adds a service; the returned handle removes it. */
    public AutoCloseable add(String serviceDomain, String owner, ServiceHandler handler) {
        if (byDomain.putIfAbsent(serviceDomain, handler) != null) {
            throw new IllegalStateException("plugin '" + owner + "' cannot serve " + serviceDomain
                    + ": another plugin already does");
        }
        return () -> byDomain.remove(serviceDomain, handler);
    }

    /** The service of a domain, or {@code null}. */
    public ServiceHandler find(String domain) {
        return byDomain.get(domain);
    }
}
