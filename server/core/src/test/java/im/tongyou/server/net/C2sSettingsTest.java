package im.tongyou.server.net;

import static org.assertj.core.api.Assertions.assertThat;

import im.tongyou.server.tls.ServerTlsContext;
import im.tongyou.server.tls.TlsContextFactory;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslHandler;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The TLS handler of a client connection (RFC 6120 §5.4.3.3): its handshake bound and where its work runs. */
class C2sSettingsTest {

    @TempDir
    Path dir;

    @Test
    void aHandshakeMayTakeAsLongAsTheNegotiationNotNettysTenSeconds() throws Exception {
        ServerTlsContext tls = TlsContextFactory.create(null, null, List.of("TLSv1.3", "TLSv1.2"), dir, "xmpp.example");
        ExecutorService tasks = Executors.newSingleThreadExecutor();
        try {
            C2sSettings settings = new C2sSettings("xmpp.example", false,
                    CompletableFuture.completedFuture(tls.sslContext()), 3, 45, 5, 1000, 1000, 1 << 20, 50, 100, tasks);

            SslHandler startTls = settings.newTlsHandler(ByteBufAllocator.DEFAULT, true);
            assertThat(startTls.getHandshakeTimeoutMillis()).isEqualTo(45_000);
            assertThat(startTls.engine().getUseClientMode()).isFalse();
            assertThat(startTls.engine().getEnabledProtocols()).containsExactlyInAnyOrder("TLSv1.3", "TLSv1.2");

            C2sSettings onTheLoop = new C2sSettings("xmpp.example", true,
                    CompletableFuture.completedFuture(tls.sslContext()), 3, 20, 5, 1000, 1000, 1 << 20, 50, 100, null);
            assertThat(onTheLoop.newTlsHandler(ByteBufAllocator.DEFAULT, false).getHandshakeTimeoutMillis())
                    .isEqualTo(20_000);
        } finally {
            tasks.shutdownNow();
        }
    }
}
