package im.tongyou.server.http;

import im.tongyou.api.http.HttpHandler;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/** The HTTPS endpoints plugins registered, by path prefix; the longest matching prefix wins. */
public final class HttpRoutes {

    private final ConcurrentSkipListMap<String, HttpHandler> routes = new ConcurrentSkipListMap<>();

    /** Adds a handler; the returned handle removes it. */
    public AutoCloseable add(String prefix, String owner, HttpHandler handler) {
        if (prefix == null || !prefix.startsWith("/") || prefix.contains("..")) {
            throw new IllegalArgumentException("plugin '" + owner + "': an HTTP path prefix starts with / (" + prefix + ")");
        }
        if (routes.putIfAbsent(prefix, handler) != null) {
            throw new IllegalStateException("plugin '" + owner + "' cannot serve " + prefix + ": another plugin already does");
        }
        return () -> routes.remove(prefix, handler);
    }

    /** The handler for a path, or {@code null}. */
    public HttpHandler find(String path) {
        for (Map.Entry<String, HttpHandler> e = routes.floorEntry(path); e != null; e = routes.lowerEntry(e.getKey())) {
            if (path.startsWith(e.getKey())) {
                return e.getValue();
            }
        }
        return null;
    }
}
