package im.tongyou.server.routing;

import im.tongyou.api.IqHandler;
import im.tongyou.api.IqRoute;
import im.tongyou.api.IqTarget;
import java.util.concurrent.ConcurrentHashMap;
import org.xmpp.packet.IQ;

/** The table of {@link IqRoute}s the plugins registered; one handler per route. */
public final class IqRoutes {

    private record Owned(String owner, IqHandler handler) {
    }

    private final ConcurrentHashMap<IqRoute, Owned> routes = new ConcurrentHashMap<>();

    /**
     * Registers a handler; the returned handle removes it.
     *
     * @throws IllegalStateException when another plugin already handles the route
     */
    public AutoCloseable add(IqRoute route, String owner, IqHandler handler) {
        Owned owned = new Owned(owner, handler);
        Owned previous = routes.putIfAbsent(route, owned);
        if (previous != null) {
            throw new IllegalStateException("plugin '" + owner + "' cannot handle " + describe(route)
                    + ": plugin '" + previous.owner() + "' already does");
        }
        return () -> routes.remove(route, owned);
    }

    /** The handler for a request's child element addressed to the target, or {@code null}. */
    public IqHandler find(IQ.Type type, IqTarget target, String namespace, String element) {
        Owned owned = routes.get(new IqRoute(type, target, namespace, element));
        return owned == null ? null : owned.handler();
    }

    private static String describe(IqRoute route) {
        return "IQ " + route.type() + " {" + route.namespace() + "}" + route.element() + " to " + route.target();
    }
}
