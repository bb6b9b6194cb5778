package im.tongyou.api;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.xmpp.packet.IQ;
import org.xmpp.packet.Packet;

/**
 * Sends stanzas by the delivery rules of RFC 6120 §10 and RFC 6121 §8, through the interceptors of
 * every {@link Phase}.
 */
public interface Router {

    /**
     * Routes a stanza whose {@code from} is set: to the server itself, a local user's bare or full
     * JID, or (when federation exists) a remote domain. Never blocks on the network.
     */
    void route(Packet stanza);

    /**
     * Sends an IQ get or set from the server (its {@code from} is set to the domain when empty)
     * and completes with the result or error reply, or exceptionally with a
     * {@link java.util.concurrent.TimeoutException} after {@code timeout}.
     */
    CompletionStage<IQ> request(IQ request, Duration timeout);
}
