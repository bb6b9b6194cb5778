package im.tongyou.server.routing;

import im.tongyou.api.UnauthenticatedIqHandler;
import java.util.concurrent.ConcurrentHashMap;
import org.xmpp.packet.IQ;

/** Handlers for IQs sent before authentication, by type and child element (XEP-0077 registration). */
public final class UnauthenticatedIqRoutes {

    private record Key(IQ.Type type, String namespace, String element) {
    }

    private final ConcurrentHashMap<Key, UnauthenticatedIqHandler> routes = new ConcurrentHashMap<>();

    /** Adds a handler; the returned handle removes it. */
    public AutoCloseable add(IQ.Type type, String namespace, String element, String owner,
                             UnauthenticatedIqHandler handler) {
        Key key = new Key(type, namespace, element);
        if (routes.putIfAbsent(key, handler) != null) {
            throw new IllegalStateException("plugin '" + owner + "' cannot handle unauthenticated IQ " + type
                    + " {" + namespace + "}" + element + ": another plugin already does");
        }
        return () -> routes.remove(key, handler);
    }

    /** The handler, or {@code null}. */
    public UnauthenticatedIqHandler find(IQ.Type type, String namespace, String element) {
        return routes.get(new Key(type, namespace, element));
    }
}
