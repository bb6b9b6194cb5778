package im.tongyou.server.net;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngine;

/**
 * How one client listener negotiates streams.
 *
 * @param domain                the served domain
 * @param directTls             TLS from the first byte (XEP-0368), no STARTTLS
 * @param sslContext            the server TLS context, or {@code null} for the loopback plaintext listener
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
public record C2sSettings(String domain, boolean directTls, SslContext sslContext,
                          int maxFailuresPerStream, int negotiationTimeoutSeconds, int maxSessionsPerUser,
                          int maxPendingStanzas, int maxUnackedStanzas, int maxOutboundBytes,
                          int maxStanzasPerSecond, int stanzaBurst, Executor tlsTasks) {

    /** Whether STARTTLS is offered (and then required) on this listener. */
    boolean startTlsRequired() {
        return sslContext != null && !directTls;
    }

    /**
     * A TLS handler for one connection (RFC 6120 §5.4.3.3; XEP-0368 for direct TLS). Its handshake
     * may take as long as the whole negotiation ({@code stream.negotiation-timeout-seconds}), not
     * Netty's fixed 10 s: on a busy server handshakes queue for the CPU, and the negotiation timeout
     * already bounds how long a connection may stay unauthenticated.
     *
     * @param startTls whether the first message (our {@code <proceed/>}) leaves in clear text
     */
    SslHandler newTlsHandler(ByteBufAllocator alloc, boolean startTls) {
        SSLEngine engine = sslContext.newEngine(alloc);
        SslHandler handler = tlsTasks == null ? new SslHandler(engine, startTls) : new SslHandler(engine, startTls, tlsTasks);
        handler.setHandshakeTimeoutMillis(TimeUnit.SECONDS.toMillis(negotiationTimeoutSeconds));
        return handler;
    }
}
