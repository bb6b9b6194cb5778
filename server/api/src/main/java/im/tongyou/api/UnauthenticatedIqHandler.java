package im.tongyou.api;

import java.net.InetSocketAddress;
import org.xmpp.packet.IQ;

/**
 * Answers an IQ a client sends before it authenticated, such as XEP-0077 in-band registration. The
 * request has no {@code from}; the reply is written to that connection only.
 */
@FunctionalInterface
public interface UnauthenticatedIqHandler {

    /**
     * @param request the request, without addresses
     * @param client  what is known of the client: its address and whether the stream is encrypted
     * @return the result, never {@code null}
     */
    IQ handle(IQ request, Client client) throws StanzaErrorException;

    /**
     * A client that has not authenticated.
     *
     * @param remoteAddress where it connects from (for rate limits)
     * @param encrypted     whether the stream is protected by TLS
     */
    record Client(InetSocketAddress remoteAddress, boolean encrypted) {
    }
}
