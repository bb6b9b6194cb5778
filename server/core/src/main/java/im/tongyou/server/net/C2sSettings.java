package im.tongyou.server.net;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngine;

/**
 * How one client listener negotiates streams.
 *
 * @param domain                the served domain
 * @param directTls             TLS from the first byte (XEP-0368), no STARTTLS
 * @param tlsContext            the server TLS context, or {@code null} for the loopback plaintext
 *                              listener; the listener may be bound before it is ready (it loads while
 *                              the server starts), and a connection needing it then waits for it
 * @param maxFailuresPerStream  failed authentications before the stream is closed (RFC 6120 §6.4.5)
 * @param negotiationTimeoutSeconds time from connect to a bound resource
 * @param maxSessionsPerUser    the most resources one account may bind at once
 * @param maxPendingStanzas     a session's unprocessed stanzas above which reading pauses
 * @param maxUnackedStanzas     stanzas a client may leave unacknowledged (XEP-0198)
 * @param maxOutboundBytes      bytes queued for a client that does not read before its stream ends
 * @param maxStanzasPerSecond   a session's sustained stanza rate
 * @param stanzaBurst           stanzas above that rate a session may send at once
 * @param tlsTasks              where the CPU-heavy steps of TLS handshakes run (key exchange,
 *                              signature), off the event loops; {@code null}: on the event loop
 */
public record C2sSettings(String domain, boolean directTls, CompletableFuture<SslContext> tlsContext,
                          int maxFailuresPerStream, int negotiationTimeoutSeconds, int maxSessionsPerUser,
                          int maxPendingStanzas, int maxUnackedStanzas, int maxOutboundBytes,
                          int maxStanzasPerSecond, int stanzaBurst, Executor tlsTasks) {

    /** Whether STARTTLS is offered (and then required) on this listener. */
    boolean startTlsRequired() {
        return tlsContext != null && !directTls;
    }

    /** Whether the TLS context has loaded: {@link #newTlsHandler} may be called without waiting. */
    boolean tlsReady() {
        return tlsContext != null && tlsContext.isDone() && !tlsContext.isCompletedExceptionally();
    }

    /**
     * Runs {@code then} once the TLS context has loaded, at once when it has, else on {@code loop}
     * when it completes; {@code failed} instead when it could not load (the server's start then
     * fails and closes every connection).
     */
    void whenTlsReady(Executor loop, Runnable then, Runnable failed) {
        if (tlsReady()) {
            then.run();
            return;
        }
        tlsContext.whenComplete((context, error) -> loop.execute(error == null ? then : failed));
    }

    /**
     * A TLS handler for one connection (RFC 6120 §5.4.3.3; XEP-0368 for direct TLS). Its handshake
     * may take as long as the whole negotiation ({@code stream.negotiation-timeout-seconds}), not
     * Netty's fixed 10 s: on a busy server handshakes queue for the CPU, and the negotiation timeout
     * already bounds how long a connection may stay unauthenticated.
     *
     * @param startTls whether the first message (our {@code <proceed/>}) leaves in clear text
     * @throws IllegalStateException when the context is not {@link #tlsReady() ready}
     */
    SslHandler newTlsHandler(ByteBufAllocator alloc, boolean startTls) {
        if (!tlsReady()) {
            throw new IllegalStateException("the TLS context is not ready");
        }
        SSLEngine engine = tlsContext.join().newEngine(alloc);
        SslHandler handler = tlsTasks == null ? new SslHandler(engine, startTls) : new SslHandler(engine, startTls, tlsTasks);
        handler.setHandshakeTimeoutMillis(TimeUnit.SECONDS.toMillis(negotiationTimeoutSeconds));
        return handler;
    }
}
