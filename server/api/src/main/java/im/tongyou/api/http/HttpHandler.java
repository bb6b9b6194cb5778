package im.tongyou.api.http;

/**
 * Serves requests under a path prefix of the server's HTTPS listener. Runs on an HTTP worker thread
 * and may block; an exception becomes a 500 answer (and a log line without the query string, which
 * may hold tokens).
 */
@FunctionalInterface
public interface HttpHandler {

    HttpResponse handle(HttpRequest request) throws Exception;

    /** The largest request body this handler accepts; larger requests get 413 without reaching it. */
    default int maxBodyBytes() {
        return 1 << 20;
    }
}
