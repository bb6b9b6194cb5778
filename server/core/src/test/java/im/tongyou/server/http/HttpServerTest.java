package im.tongyou.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import im.tongyou.api.http.HttpResponse;
import im.tongyou.server.tls.ServerTlsContext;
import im.tongyou.server.tls.TestTrust;
import im.tongyou.server.tls.TlsContextFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTPS listener: routing by prefix, bounded bodies, security headers, TLS versions. */
class HttpServerTest {

    @TempDir
    Path dir;
    HttpServer server;
    HttpRoutes routes = new HttpRoutes();
    HttpClient client;

    @BeforeEach
    void start() throws Exception {
        ServerTlsContext tls = TlsContextFactory.create(null, null, List.of("TLSv1.3", "TLSv1.2"), dir, "localhost");
        routes.add("/policy/", "test", request -> HttpResponse.text(200, "policy " + request.path()
                + " v=" + request.param("v")));
        routes.add("/policy/children/", "test", request -> HttpResponse.text(200, "children"));
        routes.add("/echo", "test", new im.tongyou.api.http.HttpHandler() {
            @Override
            public HttpResponse handle(im.tongyou.api.http.HttpRequest request) {
                return HttpResponse.bytes("application/octet-stream", request.body());
            }

            @Override
            public int maxBodyBytes() {
                return 1024;
            }
        });
        routes.add("/boom", "test", request -> {
            throw new IllegalStateException("boom");
        });
        server = new HttpServer(new InetSocketAddress("127.0.0.1", 0), tls.keyStore(), ServerTlsContext.KEY_PASSWORD,
                tls.protocols(), routes);
        client = HttpClient.newBuilder().sslContext(TestTrust.trusting(tls.certificate())).build();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private java.net.http.HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + server.address().getPort() + path)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theLongestPrefixServesAndTheQueryIsParsed() throws Exception {
        assertThat(get("/policy/privacy?v=V4.2.7").body()).isEqualTo("policy /policy/privacy v=V4.2.7");
        assertThat(get("/policy/children/latest").body()).isEqualTo("children");
        assertThat(get("/nothing").statusCode()).isEqualTo(404);
    }

    @Test
    void everyAnswerCarriesTheSecurityHeaders() throws Exception {
        var response = get("/policy/privacy");

        assertThat(response.headers().firstValue("strict-transport-security")).hasValue("max-age=31536000");
        assertThat(response.headers().firstValue("x-content-type-options")).hasValue("nosniff");
        assertThat(response.headers().firstValue("server")).isEmpty();
    }

    @Test
    void bodiesAreReadAndBounded() throws Exception {
        URI echo = URI.create("https://localhost:" + server.address().getPort() + "/echo");
        var small = client.send(HttpRequest.newBuilder(echo).POST(HttpRequest.BodyPublishers.ofString("hello")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        var large = client.send(HttpRequest.newBuilder(echo).POST(HttpRequest.BodyPublishers.ofString("x".repeat(2000))).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());

        assertThat(small.body()).isEqualTo("hello");
        assertThat(large.statusCode()).isEqualTo(413);
    }

    @Test
    void aFailingHandlerGives500AndTheServerGoesOn() throws Exception {
        assertThat(get("/boom").statusCode()).isEqualTo(500);
        assertThat(get("/policy/x").statusCode()).isEqualTo(200);
    }

    @Test
    void tlsOlderThan12IsRefused() throws Exception {
        SSLContext old = SSLContext.getInstance("TLSv1.1");
        old.init(null, new javax.net.ssl.TrustManager[] {new javax.net.ssl.X509TrustManager() {
            @Override
            public void checkClientTrusted(java.security.cert.X509Certificate[] c, String a) {
            }

            @Override
            public void checkServerTrusted(java.security.cert.X509Certificate[] c, String a) {
            }

            @Override
            public java.security.cert.X509Certificate[] getAcceptedIssuers() {
                return new java.security.cert.X509Certificate[0];
            }
        }}, null);
        try (javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) old.getSocketFactory()
                .createSocket("127.0.0.1", server.address().getPort())) {
            socket.setEnabledProtocols(new String[] {"TLSv1.1"});
            org.assertj.core.api.Assertions.assertThatThrownBy(socket::startHandshake)
                    .isInstanceOf(javax.net.ssl.SSLException.class);
        }
    }
}
