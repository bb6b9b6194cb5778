package im.tongyou.server.http;

import im.tongyou.api.http.HttpHandler;
import im.tongyou.api.http.HttpRequest;
import im.tongyou.api.http.HttpResponse;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.KeyStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's public HTTPS listener (design guide §8), on Jetty 12: the plugins' endpoints
 * ({@link HttpRoutes}), TLS 1.2 and 1.3 with the XMPP certificate, bounded request bodies, and the
 * security headers on every answer (HSTS, no sniffing, no framing, no referrer). Query strings are
 * never logged: they may carry tokens.
 */
public final class HttpServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HttpServer.class);
    private static final Map<String, String> SECURITY_HEADERS = Map.of(
            "Strict-Transport-Security", "max-age=31536000",
            "X-Content-Type-Options", "nosniff",
            "X-Frame-Options", "DENY",
            "Referrer-Policy", "no-referrer",
            "Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'");

    private final Server server;
    private final ServerConnector connector;

    /** Starts the listener; each handler bounds its own request bodies ({@link HttpHandler#maxBodyBytes()}). */
    public HttpServer(InetSocketAddress address, KeyStore keyStore, char[] keyPassword, List<String> protocols,
                      HttpRoutes routes) throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool(32, 2);
        threads.setName("tongyou-http");
        server = new Server(threads);
        SslContextFactory.Server tls = new SslContextFactory.Server();
        tls.setKeyStore(keyStore);
        tls.setKeyStorePassword(new String(keyPassword));
        tls.setIncludeProtocols(protocols.toArray(new String[0]));
        tls.setSniRequired(false);
        HttpConfiguration config = new HttpConfiguration();
        config.setSendServerVersion(false);
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        secure.setSniHostCheck(false);
        config.addCustomizer(secure);
        connector = new ServerConnector(server, new SslConnectionFactory(tls, "http/1.1"), new HttpConnectionFactory(config));
        connector.setHost(address.getHostString());
        connector.setPort(address.getPort());
        server.addConnector(connector);
        server.setHandler(new Dispatcher(routes));
        server.start();
    }

    /** The bound address (the port is chosen by the system when 0 was asked). */
    public InetSocketAddress address() {
        return new InetSocketAddress(connector.getHost() == null ? "0.0.0.0" : connector.getHost(), connector.getLocalPort());
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }

    /** Reads the request whole (bounded), calls the plugin's handler, writes its answer. */
    private static final class Dispatcher extends Handler.Abstract {

        private final HttpRoutes routes;

        Dispatcher(HttpRoutes routes) {
            this.routes = routes;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            String path = Request.getPathInContext(request);
            HttpHandler handler = routes.find(path);
            HttpResponse answer;
            try {
                if (handler == null) {
                    answer = HttpResponse.notFound();
                } else {
                    long length = request.getLength();
                    int maxBodyBytes = handler.maxBodyBytes();
                    if (length > maxBodyBytes) {
                        answer = HttpResponse.text(413, "the request body is too large");
                    } else {
                        byte[] body = readBody(request, maxBodyBytes);
                        answer = body == null ? HttpResponse.text(413, "the request body is too large")
                                : handler.handle(toRequest(request, path, body));
                    }
                }
            } catch (Exception e) {
                log.error("HTTP {} {} failed", request.getMethod(), path, e);
                answer = HttpResponse.text(500, "internal error");
            }
            write(answer, response, callback);
            return true;
        }

        private static byte[] readBody(Request request, int maxBodyBytes) throws java.io.IOException {
            try (InputStream in = Content.Source.asInputStream(request)) {
                byte[] body = in.readNBytes(maxBodyBytes + 1);
                return body.length > maxBodyBytes ? null : body;
            }
        }

        private static HttpRequest toRequest(Request request, String path, byte[] body) {
            Map<String, List<String>> query = new LinkedHashMap<>();
            Fields fields = Request.extractQueryParameters(request);
            for (Fields.Field f : fields) {
                query.put(f.getName(), f.getValues());
            }
            Map<String, String> headers = new LinkedHashMap<>();
            for (HttpField field : request.getHeaders()) {
                headers.putIfAbsent(field.getName().toLowerCase(Locale.ROOT), field.getValue());
            }
            InetSocketAddress remote = (InetSocketAddress) request.getConnectionMetaData().getRemoteSocketAddress();
            return new HttpRequest(request.getMethod(), path, query, headers, body, remote);
        }

        private static void write(HttpResponse answer, Response response, Callback callback) {
            response.setStatus(answer.status());
            SECURITY_HEADERS.forEach((k, v) -> response.getHeaders().put(k, v));
            answer.headers().forEach((k, v) -> response.getHeaders().put(k, v));
            if (answer.contentType() != null) {
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, answer.contentType());
            }
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, answer.body().length);
            response.write(true, ByteBuffer.wrap(answer.body()), callback);
        }
    }
}
