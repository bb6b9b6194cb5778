package im.tongyou.api;

import org.xmpp.packet.IQ;

/**
 * Answers an IQ request that matched an {@link IqRoute}. It runs on a worker thread, in the order of
 * the requesting session's stanzas, and may block.
 */
@FunctionalInterface
public interface IqHandler {

    /**
     * Returns the result (usually {@code IQ.createResultIQ(request)} with a payload), or
     * {@code null} when the handler has sent the response itself through the {@link Router}.
     * A {@link StanzaErrorException} becomes an error reply; any other exception becomes
     * {@code internal-server-error} and is logged.
     *
     * @param request the request; its {@code from} was stamped by the server and can be trusted
     */
    IQ handle(IQ request) throws StanzaErrorException;
}
