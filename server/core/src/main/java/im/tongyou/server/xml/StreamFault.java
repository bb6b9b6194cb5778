package im.tongyou.server.xml;

import java.util.Objects;
import org.xmpp.packet.StreamError;

/**
 * Bad input on an XML stream, emitted by {@link XmppStreamDecoder} with the stream error
 * condition of RFC 6120 §4.9.3 that the receiver should close the stream with.
 *
 * <p>After a fault the decoder discards all further input until {@link XmppStreamDecoder#reset()}.
 *
 * @param condition the defined stream error condition
 * @param text      an English description for the {@code <text/>} child, never {@code null}; it
 *                  may quote an XML name or a single character the peer sent, never its text
 */
public record StreamFault(StreamError.Condition condition, String text) {

    public StreamFault {
        Objects.requireNonNull(condition, "condition");
        Objects.requireNonNull(text, "text");
    }

    /** Returns a tinder stream error with this condition and text, in English. */
    public StreamError toStreamError() {
        return new StreamError(condition, text, "en");
    }
}
