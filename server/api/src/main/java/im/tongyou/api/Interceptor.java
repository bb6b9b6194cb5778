package im.tongyou.api;

import org.xmpp.packet.Packet;

/**
 * Looks at a stanza in one {@link Phase} and decides whether it travels on.
 *
 * @param <T> {@link org.xmpp.packet.Message} or {@link org.xmpp.packet.Presence}
 */
@FunctionalInterface
public interface Interceptor<T extends Packet> {

    /**
     * Returns what happens next. Throwing a {@link StanzaErrorException} stops the stanza and
     * bounces the error to its sender (never for a stanza of type error: RFC 6120 §8.3.1).
     * Interceptors may change the stanza in place; it is not shared with other recipients.
     */
    Verdict intercept(T stanza) throws StanzaErrorException;
}
