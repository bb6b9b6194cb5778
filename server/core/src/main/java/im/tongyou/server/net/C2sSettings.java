package im.tongyou.server.net;

import io.netty.handler.ssl.SslContext;

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
 */
public record C2sSettings(String domain, boolean directTls, SslContext sslContext,
                          int maxFailuresPerStream, int negotiationTimeoutSeconds, int maxSessionsPerUser,
                          int maxPendingStanzas, int maxUnackedStanzas, int maxOutboundBytes,
                          int maxStanzasPerSecond, int stanzaBurst) {

    /** Whether STARTTLS is offered (and then required) on this listener. */
    boolean startTlsRequired() {
        return sslContext != null && !directTls;
    }
}
