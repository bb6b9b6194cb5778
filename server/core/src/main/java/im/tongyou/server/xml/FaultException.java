package im.tongyou.server.xml;

import org.xmpp.packet.StreamError;

/**
 * Carries a {@link StreamFault} out of the element builder to the decoder's event loop
 * (RFC 6120 §4.9.3); it has no stack trace because it reports bad input, not a bug.
 */
final class FaultException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient StreamFault fault;

    FaultException(StreamError.Condition condition, String text) {
        super(text, null, false, false);
        this.fault = new StreamFault(condition, text);
    }

    StreamFault fault() {
        return fault;
    }
}
