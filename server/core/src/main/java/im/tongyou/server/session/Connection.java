package im.tongyou.server.session;

import java.net.InetSocketAddress;
import org.xmpp.packet.StreamError;

/** The transport under a session: what a {@link LocalSession} needs from its client connection. */
public interface Connection {

    /** Writes a stanza or element to the client, from any thread. */
    void write(Object stanza);

    /** Sends a stream error (RFC 6120 §4.9), closes the stream and the connection; from any thread. */
    void closeWithError(StreamError.Condition condition, String text);

    /** Whether the connection is open. */
    boolean isOpen();

    /** The peer's address. */
    InetSocketAddress remoteAddress();
}
